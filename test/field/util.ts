import { env } from 'cloudflare:test';
import { api, expectStatus } from '../helpers';

/** Today's UTC date shifted by `days`, YYYY-MM-DD. */
export const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

let n = 0;
/** A unique marker to find a test's own rows with `?search=`. */
export const mark = (p = 'm') => `${p}${Date.now().toString(36)}${n++}`;

export async function createLead(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/field/leads/', {
    token,
    body: { business_name: mark('biz'), contact_phone: '0700000000', ...body },
  });
  expectStatus(res, 201);
  return res.json;
}

export async function createZone(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/field/zones/', { token, body: { name: mark('zone'), ...body } });
  expectStatus(res, 201);
  return res.json;
}

export async function createVisit(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/field/visits/', {
    token,
    body: { location: 'Kampala', business_name: mark('visit'), contact_phone: '0711111111', ...body },
  });
  expectStatus(res, 201);
  return res.json;
}

/** Waits for the queue consumer to store a notification matching the filter. */
export async function waitForNotification(recipient: number, verb: string, targetId: number, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare(
      'SELECT recipient_id, actor_id, verb, url, target_type, target_id FROM notifications WHERE recipient_id = ? AND verb = ? AND target_id = ?',
    )
      .bind(recipient, verb, String(targetId))
      .first<Record<string, unknown>>();
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`no "${verb}" notification for user ${recipient} on ${targetId}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Counts notifications matching the filter (no waiting). */
export async function countNotifications(recipient: number, verb: string, targetId: number) {
  const row = await env.DB.prepare(
    'SELECT count(*) AS n FROM notifications WHERE recipient_id = ? AND verb = ? AND target_id = ?',
  )
    .bind(recipient, verb, String(targetId))
    .first<{ n: number }>();
  return row!.n;
}
