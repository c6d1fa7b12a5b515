import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliver, notificationEvent } from '../helpers/notifications';
import { api, contactLeaks, emailLikeUser, expectStatus, makeUser } from '../helpers';

/** Stores notifications for a user through the queue consumer; returns their ids, oldest first. */
async function seed(_recipient: number, events: ReturnType<typeof notificationEvent>[]) {
  const { result } = await deliver(events);
  expect(result.retryMessages).toEqual([]);
  const ids = await env.DB.prepare(
    `SELECT id FROM notifications WHERE event_id IN (${events.map(() => '?').join(',')}) ORDER BY id`,
  )
    .bind(...events.map((e) => e.id))
    .all<{ id: number }>();
  return ids.results.map((r) => r.id);
}

describe('GET /api/notifications/', () => {
  it('lists only my notifications, newest first, with the actor', async () => {
    const me = await makeUser();
    const other = await makeUser();
    const actor = await makeUser({ prefix: 'actor' });
    await seed(me.id, [notificationEvent(me.id, { verb: 'first', actor_id: actor.id })]);
    await seed(other.id, [notificationEvent(other.id, { verb: 'not mine' })]);
    await seed(me.id, [notificationEvent(me.id, { verb: 'second' })]);

    const res = await api('/api/notifications/', { token: me.token });
    expectStatus(res, 200);
    expect(res.json.count).toBe(2);
    expect(res.json.results.map((n: any) => n.verb)).toEqual(['second', 'first']);
    const first = res.json.results[1];
    expect(first).toEqual({
      id: expect.any(Number),
      actor: { id: actor.id, username: actor.username },
      verb: 'first',
      is_read: false,
      created_at: expect.any(String),
    });
    expect(res.json.results[0].actor).toBeNull();
    expect(first.created_at).toMatch(/Z$/);
  });

  it('filters by is_read and created_at range, and pages', async () => {
    const me = await makeUser();
    const ids = await seed(me.id, [
      notificationEvent(me.id, { verb: 'a' }),
      notificationEvent(me.id, { verb: 'b' }),
      notificationEvent(me.id, { verb: 'c' }),
    ]);
    await env.DB.prepare('UPDATE notifications SET is_read = 1 WHERE id = ?').bind(ids[0]).run();
    await env.DB.prepare("UPDATE notifications SET created_at = '2024-01-01T10:00:00.000Z' WHERE id = ?").bind(ids[1]).run();

    const unread = await api('/api/notifications/?is_read=false', { token: me.token });
    expectStatus(unread, 200);
    expect(unread.json.results.map((n: any) => n.verb).sort()).toEqual(['b', 'c']);
    const read = await api('/api/notifications/?is_read=true', { token: me.token });
    expect(read.json.results.map((n: any) => n.verb)).toEqual(['a']);

    const old = await api('/api/notifications/?created_at__lte=2024-06-01T00:00:00Z', { token: me.token });
    expect(old.json.results.map((n: any) => n.verb)).toEqual(['b']);
    const recent = await api('/api/notifications/?created_at__gte=2024-06-01T00:00:00%2B00:00', { token: me.token });
    expect(recent.json.results.map((n: any) => n.verb).sort()).toEqual(['a', 'c']);
    const bad = await api('/api/notifications/?created_at__gte=yesterday', { token: me.token });
    expectStatus(bad, 400);
    expect(bad.json).toHaveProperty('created_at__gte');

    const page = await api('/api/notifications/?page_size=2', { token: me.token });
    expect(page.json.count).toBe(3);
    expect(page.json.results).toHaveLength(2);
    expect(page.json.next).toContain('page=2');
    const page2 = await api('/api/notifications/?page_size=2&page=2', { token: me.token });
    expect(page2.json.results).toHaveLength(1);
    expectStatus(await api('/api/notifications/?page=9', { token: me.token }), 404);
  });

  it('lets customers read their notifications', async () => {
    const customer = await makeUser({ role: 'Customer' });
    await seed(customer.id, [notificationEvent(customer.id, { verb: 'hello customer' })]);
    const res = await api('/api/notifications/', { token: customer.token });
    expectStatus(res, 200);
    expect(res.json.results[0].verb).toBe('hello customer');
  });

  it('requires authentication on every route', async () => {
    for (const [method, path] of [
      ['GET', '/api/notifications/'],
      ['GET', '/api/notifications/1/'],
      ['POST', '/api/notifications/1/mark-read/'],
      ['POST', '/api/notifications/1/mark-unread/'],
      ['POST', '/api/notifications/mark-all-read/'],
      ['GET', '/api/notifications/dead-letters/'],
    ]) {
      const res = await api(path, { method });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(401);
    }
  });

  it('has no create, update or delete', async () => {
    const me = await makeUser();
    const [id] = await seed(me.id, [notificationEvent(me.id)]);
    expectStatus(await api('/api/notifications/', { token: me.token, body: { verb: 'x' } }), 405);
    expectStatus(await api(`/api/notifications/${id}/`, { method: 'PATCH', token: me.token, body: { is_read: true } }), 405);
    expectStatus(await api(`/api/notifications/${id}/`, { method: 'DELETE', token: me.token }), 405);
  });
});

describe('GET /api/notifications/{id}/', () => {
  it('returns my notification and 404s for anyone else', async () => {
    const me = await makeUser();
    const other = await makeUser();
    const [id] = await seed(me.id, [notificationEvent(me.id, { verb: 'mine' })]);
    const res = await api(`/api/notifications/${id}/`, { token: me.token });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ id, verb: 'mine', is_read: false, actor: null });
    const theirs = await api(`/api/notifications/${id}/`, { token: other.token });
    expectStatus(theirs, 404);
    expect(theirs.json).toEqual({ detail: 'No Notification matches the given query.' });
    expectStatus(await api('/api/notifications/abc/', { token: me.token }), 404);
  });
});

describe('mark-read / mark-unread / mark-all-read', () => {
  it('marks one read and unread with the original bodies', async () => {
    const me = await makeUser();
    const event = notificationEvent(me.id, { verb: 'original verb' });
    const [id] = await seed(me.id, [event]);
    const read = await api(`/api/notifications/${id}/mark-read/`, { method: 'POST', token: me.token });
    expectStatus(read, 200);
    expect(read.json).toEqual({ status: 'marked read' });
    expect((await api(`/api/notifications/${id}/`, { token: me.token })).json.is_read).toBe(true);

    // A body shaped like the reference's Notification is accepted and ignored.
    const unread = await api(`/api/notifications/${id}/mark-unread/`, {
      token: me.token,
      body: { verb: 'ignored', is_read: true },
    });
    expectStatus(unread, 200);
    expect(unread.json).toEqual({ status: 'marked unread' });
    const after = await api(`/api/notifications/${id}/`, { token: me.token });
    expect(after.json).toMatchObject({ is_read: false, verb: 'original verb' });
  });

  it("cannot mark someone else's notification (404)", async () => {
    const me = await makeUser();
    const other = await makeUser();
    const [id] = await seed(me.id, [notificationEvent(me.id)]);
    expectStatus(await api(`/api/notifications/${id}/mark-read/`, { method: 'POST', token: other.token }), 404);
    expectStatus(await api(`/api/notifications/${id}/mark-unread/`, { method: 'POST', token: other.token }), 404);
    expect((await api(`/api/notifications/${id}/`, { token: me.token })).json.is_read).toBe(false);
  });

  it('marks all of mine read and reports how many changed', async () => {
    const me = await makeUser();
    const other = await makeUser();
    const ids = await seed(me.id, [notificationEvent(me.id), notificationEvent(me.id), notificationEvent(me.id)]);
    await seed(other.id, [notificationEvent(other.id)]);
    await api(`/api/notifications/${ids[0]}/mark-read/`, { method: 'POST', token: me.token });

    const res = await api('/api/notifications/mark-all-read/', { method: 'POST', token: me.token });
    expectStatus(res, 200);
    expect(res.json).toEqual({ updated: 2 });
    expect((await api('/api/notifications/?is_read=false', { token: me.token })).json.count).toBe(0);
    expect((await api('/api/notifications/?is_read=false', { token: other.token })).json.count).toBe(1);
    const again = await api('/api/notifications/mark-all-read/', { method: 'POST', token: me.token });
    expect(again.json).toEqual({ updated: 0 });
  });
});

describe('GET /api/notifications/dead-letters/ (extra, Admin only)', () => {
  it('lists dead letters for admins and refuses everyone else', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const staff = await makeUser();
    const customer = await makeUser({ role: 'Customer' });
    const event = notificationEvent(staff.id);
    await deliver([event], { queue: 'notifications-dlq' });

    const res = await api(`/api/notifications/dead-letters/?event_id=${event.id}`, { token: admin.token });
    expectStatus(res, 200);
    expect(res.json.count).toBe(1);
    const [dl] = res.json.results;
    // The body keeps the message's metadata only (issue 14, finding 5: no mail text in dead letters).
    expect(dl).toMatchObject({
      queue: 'notifications-dlq',
      event_id: event.id,
      body: { type: 'notification', id: event.id, recipient_id: staff.id, verb: event.verb },
      reason: 'delivery failed after every retry',
    });
    const one = await api(`/api/notifications/dead-letters/${dl.id}/`, { token: admin.token });
    expectStatus(one, 200);
    expect(one.json.body).toEqual(dl.body);

    expectStatus(await api('/api/notifications/dead-letters/', { token: staff.token }), 403);
    expectStatus(await api('/api/notifications/dead-letters/', { token: customer.token }), 403);
    expectStatus(await api(`/api/notifications/dead-letters/${dl.id}/`, { token: staff.token }), 403);
  });
});

describe('the actor of a notification (contact details, issue 14 #6)', () => {
  it('shows an actor’s email-like username as user-<id>', async () => {
    const me = await makeUser();
    const actor = await emailLikeUser();
    const [id] = await seed(me.id, [notificationEvent(me.id, { verb: 'mailed', actor_id: actor.id })]);
    for (const path of ['/api/notifications/', `/api/notifications/${id}/`]) {
      const res = await api(path, { token: me.token });
      expectStatus(res, 200);
      expect(contactLeaks(res.text, actor), `${path}: ${res.text}`).toEqual([]);
      const item = res.json.results ? res.json.results[0] : res.json;
      expect(item.actor, res.text).toEqual({ id: actor.id, username: `user-${actor.id}` });
    }
  });
});
