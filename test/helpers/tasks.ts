/** Projects and tasks factories over the API, and a user's task counters. */
import { env } from 'cloudflare:test';
import { api, expectStatus } from './http';
import type { TestUser } from './users';

let n = 0;

/** Creates a project through the API (201 asserted). */
export async function makeProject(owner: TestUser, extra: Record<string, unknown> = {}) {
  const res = await api('/api/projects/', {
    token: owner.token,
    body: { name: `Project ${n++}`, start_date: '2025-01-01', due_date: '2099-12-31', ...extra },
  });
  expectStatus(res, 201);
  return res.json as { id: number } & Record<string, any>;
}

/** Creates a task through the API (201 asserted). */
export async function makeTask(user: TestUser, extra: Record<string, unknown> = {}) {
  const res = await api('/api/tasks/', { token: user.token, body: { title: `Task ${n++}`, ...extra } });
  expectStatus(res, 201);
  return res.json as { id: number } & Record<string, any>;
}

/** Adds a member to a project through the API (201 asserted). */
export async function addMember(owner: TestUser, projectId: number, user: TestUser, role = 'contributor') {
  const res = await api(`/api/projects/${projectId}/members/`, { token: owner.token, body: { user: user.id, role } });
  expectStatus(res, 201);
  return res.json;
}

/** A user's counters, read from the database. */
export async function countersOf(user: TestUser) {
  return (await env.DB.prepare('SELECT total_tasks_completed, streak_days, current_streak_started FROM users WHERE id = ?')
    .bind(user.id)
    .first<{ total_tasks_completed: number; streak_days: number; current_streak_started: string | null }>())!;
}
