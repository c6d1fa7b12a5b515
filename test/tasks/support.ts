/**
 * Helpers for the projects and tasks tests: factories over the API, and a reader of the
 * notification events the Worker publishes, as the queue consumer stored them (so the events are
 * seen after a real trip through the NOTIFICATIONS queue and its consumer).
 */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import type { OutboundEvent } from '../../src/core/events';
import { api, expectStatus, makeUser } from '../helpers';
import type { TestUser } from '../helpers';

export type NotificationEvent = Extract<OutboundEvent, { type: 'notification' }>;

interface StoredNotification {
  event_id: string;
  recipient_id: number;
  actor_id: number | null;
  verb: string;
  url: string;
  target_type: string | null;
  target_id: string | null;
}

/** The notification events the consumer has stored so far, as events (the row keeps the event's id). */
async function stored(): Promise<NotificationEvent[]> {
  const rows = await env.DB.prepare(
    'SELECT event_id, recipient_id, actor_id, verb, url, target_type, target_id FROM notifications ORDER BY id',
  ).all<StoredNotification>();
  return rows.results.map((r) => ({
    type: 'notification',
    id: r.event_id,
    recipient_id: r.recipient_id,
    actor_id: r.actor_id,
    verb: r.verb,
    url: r.url,
    target_type: r.target_type ?? undefined,
    target_id: r.target_id !== null && /^\d+$/.test(r.target_id) ? Number(r.target_id) : r.target_id,
  }));
}

/** Waits until events matching `match` have arrived through the queue (at least `count`). */
export async function waitForEvents(match: Partial<NotificationEvent>, count = 1, timeoutMs = 4500) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await stored();
    const found = seen.filter(like(match));
    if (found.length >= count) return found;
    if (Date.now() > deadline)
      throw new Error(`expected ${count} event(s) like ${JSON.stringify(match)}; seen: ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Events seen so far that match (no waiting): for asserting that something was NOT published after a wait. */
export const eventsLike = async (match: Partial<NotificationEvent>) => (await stored()).filter(like(match));

const like = (match: Partial<NotificationEvent>) => (e: NotificationEvent) =>
  Object.entries(match).every(([k, v]) => (e as Record<string, unknown>)[k] === v);

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
