/**
 * D1 round trips of every notifications operation over populated data (issue 16): each GET one
 * round trip (authorization included) whatever the page size, each write at most two. Notifications
 * carry their actor, loaded in the page's own round trip.
 */
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, notificationEvent } from '../helpers/notifications';
import { Budget, countingD1, countRows, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let me: TestUser;
let admin: TestUser;
let ids: number[] = [];
let deadLetterId: number;

beforeAll(async () => {
  [me, admin] = await Promise.all([makeUser(), makeUser({ role: 'Admin' })]);
  const actors = await Promise.all([makeUser({ prefix: 'actor' }), makeUser({ prefix: 'actor' })]);
  // 24 notifications, each with an actor (two distinct ones) but every third without.
  const events = Array.from({ length: 24 }, (_, i) =>
    notificationEvent(me.id, { verb: `rt ${i}`, actor_id: i % 3 ? actors[i % 2].id : null }),
  );
  const { result } = await deliver(events);
  expect(result.retryMessages).toEqual([]);
  const rows = await env.DB.prepare('SELECT id FROM notifications WHERE recipient_id = ? ORDER BY id')
    .bind(me.id)
    .all<{ id: number }>();
  ids = rows.results.map((r) => r.id);
  expect(ids).toHaveLength(24);
  await deliver(
    Array.from({ length: 24 }, () => notificationEvent(me.id)),
    { queue: 'notifications-dlq' },
  );
  const dl = await env.DB.prepare("SELECT id FROM dead_letters WHERE queue = 'notifications-dlq' ORDER BY id LIMIT 1").first<{
    id: number;
  }>();
  deadLetterId = dl!.id;
}, 60_000);

afterAll(() => budget.print('notifications'));

describe('notifications: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    await budget.pages('notifications_list', '/api/notifications/', me.token);
    await budget.pages('notifications_list', '/api/notifications/?is_read=false&created_at__gte=2020-01-01T00:00:00Z', me.token);
    const page = await budget.call('notifications_list', '/api/notifications/?page_size=20', { token: me.token });
    expect(
      page.json.results.filter((n: { actor: unknown }) => n.actor !== null).length,
      `the page carries its actors: ${page.text.slice(0, 300)}`,
    ).toBeGreaterThan(10);
    await budget.pages('notifications_dead_letters_list', '/api/notifications/dead-letters/', admin.token);
    await budget.pages(
      'notifications_dead_letters_list',
      '/api/notifications/dead-letters/?queue=notifications-dlq',
      admin.token,
    );
  });

  it('retrieves cost one round trip, the actor included', async () => {
    const withActor = await budget.call('notifications_retrieve', `/api/notifications/${ids[1]}/`, { token: me.token });
    expect(withActor.json.actor?.id, withActor.text).toBeTypeOf('number');
    await budget.call('notifications_retrieve', `/api/notifications/${ids[0]}/`, { token: me.token });
    await budget.call('notifications_retrieve', '/api/notifications/999999/', { token: me.token, status: 404 });
    await budget.call('notifications_dead_letters_retrieve', `/api/notifications/dead-letters/${deadLetterId}/`, {
      token: admin.token,
    });
    await budget.call('notifications_dead_letters_retrieve', `/api/notifications/dead-letters/${deadLetterId}/`, {
      token: me.token,
      status: 403,
    });
  });

  it('mark-read, mark-unread and mark-all-read cost one round trip each', async () => {
    const t = me.token;
    const read = await budget.call('notifications_mark_read_create', `/api/notifications/${ids[2]}/mark-read/`, {
      token: t,
      method: 'POST',
      max: 1,
    });
    expect(read.json).toEqual({ status: 'marked read' });
    await budget.call('notifications_mark_unread_create', `/api/notifications/${ids[2]}/mark-unread/`, {
      token: t,
      method: 'POST',
      max: 1,
    });
    // Someone else's notification: the same single round trip, a 404.
    await budget.call('notifications_mark_read_create', `/api/notifications/${ids[2]}/mark-read/`, {
      token: admin.token,
      method: 'POST',
      status: 404,
      max: 1,
    });
    const all = await budget.call('notifications_mark_all_read_create', '/api/notifications/mark-all-read/', {
      token: t,
      method: 'POST',
      max: 1,
    });
    expect(all.json.updated, all.text).toBe(24);
  });

  it('every documented notifications operation was measured', async () => {
    expect(await budget.uncovered('/api/notifications/')).toEqual([]);
  });

  it('the queue consumer stores a notification in one round trip: the row and its recipient read in one batch', async () => {
    const [recipient, actor] = await Promise.all([makeUser({ prefix: 'rt-recipient' }), makeUser({ prefix: 'actor' })]);
    const withActor = notificationEvent(recipient.id, { actor_id: actor.id });
    const cases = [
      { event: withActor, rows: 1 },
      { event: notificationEvent(recipient.id, { actor_id: 987654321 }), rows: 1 },
      { event: notificationEvent(987654321), rows: 0 },
      { event: withActor, rows: 1 }, // redelivered: nothing inserted twice
    ];
    for (const { event, rows } of cases) {
      const DB = countingD1();
      const { result } = await deliver([event], { env: { DB } });
      expect(result.retryMessages).toEqual([]);
      expect(DB.trips, `${event.id} (recipient ${event.recipient_id}, actor ${event.actor_id})`).toBe(1);
      expect(await countRows('notifications', 'event_id = ?', event.id)).toBe(rows);
    }
    const stored = await env.DB.prepare('SELECT actor_id FROM notifications WHERE event_id = ?').bind(withActor.id).first();
    expect(stored).toEqual({ actor_id: actor.id });
  });
});
