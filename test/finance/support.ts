/**
 * Finance test support: users of each role, small factories over the API, direct reads of stored
 * figures, and a capture of the events published on the NOTIFICATIONS queue.
 */
import { env } from 'cloudflare:test';
import { expect, vi } from 'vitest';
import type { OutboundEvent } from '../../src/core/events';
import { api, expectStatus, makeUser } from '../helpers';
import type { TestUser } from '../helpers';

export interface Cast {
  admin: TestUser;
  staff: TestUser;
  customer: TestUser;
}

/** One user per role. */
export async function cast(): Promise<Cast> {
  const [admin, staff, customer] = await Promise.all([
    makeUser({ role: 'Admin', prefix: 'fin_admin' }),
    makeUser({ role: 'Staff', prefix: 'fin_staff' }),
    makeUser({ role: 'Customer', prefix: 'fin_cust' }),
  ]);
  return { admin, staff, customer };
}

/** POSTs and expects 201; returns the body. */
export async function create(token: string, path: string, body: Record<string, unknown>) {
  const res = await api(path, { token, body });
  expectStatus(res, 201);
  return res.json;
}

let n = 0;
export const party = (token: string, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/parties/', { name: `Party ${++n}`, type: 'client', ...extra });
export const account = (token: string, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/accounts/', { name: `Account ${++n}`, type: 'bank', ...extra });
export const invoice = (token: string, partyId: number, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/invoices/', { party: partyId, total_amount: '1000.00', ...extra });
export const payment = (token: string, partyId: number, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/payments/', { party: partyId, direction: 'incoming', amount: '100.00', ...extra });
export const goal = (token: string, owner: number, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/goals/', {
    title: `Goal ${++n}`,
    target_amount: '1000.00',
    due_date: '2030-01-01',
    owner,
    ...extra,
  });

/** GET a detail route and expect 200. */
export async function get(token: string, path: string) {
  const res = await api(path, { token });
  expectStatus(res, 200);
  return res.json;
}

/** Counts rows of a table matching a where clause (direct read, for "nothing written" checks). */
export async function countRows(table: string, where = '1=1', ...binds: unknown[]) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...binds)
    .first<{ n: number }>();
  return row!.n;
}

/**
 * Captures events published on the NOTIFICATIONS queue (instead of sending them). Call it before the
 * requests whose events you want; `restore()` puts the real queue back.
 */
export function captureEvents() {
  const events: OutboundEvent[] = [];
  const queue = env.NOTIFICATIONS as unknown as { sendBatch(msgs: Iterable<{ body: OutboundEvent }>): Promise<void> };
  const spy = vi.spyOn(queue, 'sendBatch').mockImplementation(async (msgs) => {
    for (const m of msgs) events.push(m.body);
  });
  const notifications = () =>
    events.filter((e): e is Extract<OutboundEvent, { type: 'notification' }> => e.type === 'notification');
  return { events, notifications, restore: () => spy.mockRestore() };
}

export { api, expect, expectStatus };
