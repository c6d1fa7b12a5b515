/**
 * Helpers for the projects and tasks tests: factories over the API, and a recorder of the
 * notification events the Worker publishes (it wraps the queue consumer's handler, so the events
 * are seen after a real trip through the NOTIFICATIONS queue).
 */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { OutboundEvent } from '../../src/core/events';
import { eventHandlers } from '../../src/modules/notifications/notifications.queue';
import { api, expectStatus, makeUser } from '../helpers';
import type { TestUser } from '../helpers';

export type NotificationEvent = Extract<OutboundEvent, { type: 'notification' }>;

const seen: NotificationEvent[] = [];
const original = eventHandlers.notification;
eventHandlers.notification = async (e, event) => {
  seen.push(event);
  await original?.(e, event);
};

/** Waits until events matching `match` have arrived through the queue (at least `count`). */
export async function waitForEvents(match: Partial<NotificationEvent>, count = 1, timeoutMs = 4500) {
  const deadline = Date.now() + timeoutMs;
  const pick = () => seen.filter((e) => Object.entries(match).every(([k, v]) => (e as Record<string, unknown>)[k] === v));
  for (;;) {
    const found = pick();
    if (found.length >= count) return found;
    if (Date.now() > deadline)
      throw new Error(`expected ${count} event(s) like ${JSON.stringify(match)}; seen: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Events seen so far that match (no waiting): for asserting that something was NOT published after a wait. */
export const eventsLike = (match: Partial<NotificationEvent>) =>
  seen.filter((e) => Object.entries(match).every(([k, v]) => (e as Record<string, unknown>)[k] === v));

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

export { api, env, expect, expectStatus, makeUser };
