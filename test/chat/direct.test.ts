import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { makeThread } from '../helpers/chat';
import { api, expectStatus, makeUser } from '../helpers';

const dm = (token: string, thread: number, content: string) =>
  api('/api/chat/direct-messages/', { token, body: { thread, content } });

describe('direct threads', { timeout: 20000 }, () => {
  it('creates one thread per pair, normalised; the same pair returns it with 200', async () => {
    const [a, b] = [await makeUser(), await makeUser({ role: 'Customer' })];
    const created = await api('/api/chat/direct-threads/', { token: a.token, body: { user_2: b.id, user_1: 12345 } });
    expectStatus(created, 201);
    const [lo, hi] = [a.id, b.id].sort((x, y) => x - y);
    expect(created.json).toMatchObject({ user_1: lo, user_2: hi, messages: [] });
    expect(typeof created.json.created_at).toBe('string');
    // The Customer asking for the pair gets the thread the staff member started.
    const again = await api('/api/chat/direct-threads/', { token: b.token, body: { user_2: a.id } });
    expectStatus(again, 200);
    expect(again.json.id).toBe(created.json.id);
    const reads = await env.DB.prepare('SELECT user_id FROM chat_thread_reads WHERE thread_id = ? ORDER BY user_id')
      .bind(created.json.id)
      .all();
    expect(reads.results.map((r) => r.user_id)).toEqual([lo, hi]);
  });

  it('refuses a thread with yourself (403, the original 500ed), unknown users and a missing user_2', async () => {
    const a = await makeUser();
    expectStatus(await api('/api/chat/direct-threads/', { token: a.token, body: { user_2: a.id } }), 403);
    const unknown = await api('/api/chat/direct-threads/', { token: a.token, body: { user_2: 99999999 } });
    expectStatus(unknown, 400);
    expect(unknown.json.user_2[0]).toContain('does not exist');
    expectStatus(await api('/api/chat/direct-threads/', { token: a.token, body: {} }), 400);
    expectStatus(await api('/api/chat/direct-threads/', { token: a.token, body: { user_2: 'x' } }), 400);
    expectStatus(await api('/api/chat/direct-threads/', { body: { user_2: a.id } }), 401);
  });

  it('lists and retrieves only the threads the caller takes part in, with their live messages', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ab = await makeThread(a, b);
    const bc = await makeThread(b, c);
    const m1 = (await dm(a.token, ab.id, 'one')).json;
    const m2 = (await dm(b.token, ab.id, 'two')).json;
    expectStatus(await api(`/api/chat/direct-messages/${m2.id}/`, { method: 'DELETE', token: b.token }), 204);
    const list = await api('/api/chat/direct-threads/', { token: a.token });
    expectStatus(list, 200);
    expect(list.json.results.map((t: { id: number }) => t.id)).toEqual([ab.id]);
    expect(list.json.results[0].messages).toEqual([m1]);
    expect((await api('/api/chat/direct-threads/', { token: b.token })).json.count).toBe(2);
    expectStatus(await api(`/api/chat/direct-threads/${bc.id}/`, { token: c.token }), 200);
    const hidden = await api(`/api/chat/direct-threads/${bc.id}/`, { token: a.token });
    expectStatus(hidden, 404);
    expect(hidden.json.detail).toBe('No DirectThread matches the given query.');
  });

  it('threads cannot be rewritten (the original let a participant swap user_2)', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const t = await makeThread(a, b);
    expectStatus(
      await api(`/api/chat/direct-threads/${t.id}/`, { method: 'PATCH', token: a.token, body: { user_2: c.id } }),
      403,
    );
    expectStatus(
      await api(`/api/chat/direct-threads/${t.id}/`, { method: 'PUT', token: a.token, body: { user_1: a.id, user_2: c.id } }),
      403,
    );
    expectStatus(
      await api(`/api/chat/direct-threads/${t.id}/`, { method: 'PATCH', token: c.token, body: { user_2: c.id } }),
      404,
    );
    const still = await api(`/api/chat/direct-threads/${t.id}/`, { token: b.token });
    expect(still.json.user_2).toBe(t.user_2);
  });

  it('a participant deletes (soft); the pair may start again', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const t = await makeThread(a, b);
    const m = (await dm(a.token, t.id, 'hello')).json;
    expectStatus(await api(`/api/chat/direct-threads/${t.id}/`, { method: 'DELETE', token: c.token }), 404);
    expectStatus(await api(`/api/chat/direct-threads/${t.id}/`, { method: 'DELETE', token: b.token }), 204);
    expectStatus(await api(`/api/chat/direct-threads/${t.id}/`, { token: a.token }), 404);
    expectStatus(await api(`/api/chat/direct-messages/${m.id}/`, { token: a.token }), 404);
    expectStatus(await dm(a.token, t.id, 'into the void'), 400);
    const fresh = await api('/api/chat/direct-threads/', { token: a.token, body: { user_2: b.id } });
    expectStatus(fresh, 201);
    expect(fresh.json.id).not.toBe(t.id);
  });

  it('read state: mark_read, mark-read-up-to, unread_count and messages/', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const t = await makeThread(a, b);
    const path = (x: string) => `/api/chat/direct-threads/${t.id}/${x}/`;
    const m1 = (await dm(a.token, t.id, 'one')).json;
    const m2 = (await dm(a.token, t.id, 'two')).json;
    await dm(b.token, t.id, 'mine');
    expect((await api(path('unread_count'), { token: b.token })).json).toEqual({ unread_count: 2 });
    const up = await api(path('mark-read-up-to'), { token: b.token, body: { message_id: m1.id } });
    expectStatus(up, 200);
    expect((await api(path('unread_count'), { token: b.token })).json).toEqual({ unread_count: 1 });
    expectStatus(await api(path('mark-read-up-to'), { token: b.token, body: { message_id: 99999999 } }), 404);
    expectStatus(await api(path('mark-read-up-to'), { token: b.token, body: {} }), 400);
    expectStatus(await api(path('mark_read'), { method: 'POST', token: b.token }), 200);
    expect((await api(path('unread_count'), { token: b.token })).json).toEqual({ unread_count: 0 });
    const all = await api(path('messages'), { token: a.token });
    expectStatus(all, 200);
    expect(all.json.slice(0, 2)).toEqual([m1, m2]);
    for (const [method, x] of [
      ['GET', 'messages'],
      ['GET', 'unread_count'],
      ['POST', 'mark_read'],
    ] as const) {
      expectStatus(await api(path(x), { method, token: c.token }), 404);
    }
  });
});

describe('direct messages', { timeout: 20000 }, () => {
  it("creates a message from a participant; someone else's thread is the 400 of a missing one (the original 500ed)", async () => {
    const [a, b, c] = [await makeUser(), await makeUser({ role: 'Customer' }), await makeUser()];
    const t = await makeThread(a, b);
    const res = await api('/api/chat/direct-messages/', { token: b.token, body: { thread: t.id, content: 'hi', sender: a.id } });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ thread: t.id, sender: b.id, content: 'hi', attachments: [] });
    const intruder = await dm(c.token, t.id, 'intruder');
    expectStatus(intruder, 400);
    expect(intruder.json).toEqual({ thread: [`Invalid pk "${t.id}" - object does not exist.`] });
    const empty = await dm(a.token, t.id, '');
    expectStatus(empty, 400);
    expect(empty.json).toEqual({ content: ['Message content cannot be empty.'] });
    expectStatus(await dm(a.token, 99999999, 'hi'), 400);
    expectStatus(await api('/api/chat/direct-messages/', { token: a.token, body: { content: 'no thread' } }), 400);
  });

  it("lists the caller's direct messages oldest first, filtered by ?thread=", async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ab = await makeThread(a, b);
    const ac = await makeThread(a, c);
    const m1 = (await dm(a.token, ab.id, 'to b')).json;
    const m2 = (await dm(c.token, ac.id, 'from c')).json;
    const m3 = (await dm(b.token, ab.id, 'from b')).json;
    const all = await api('/api/chat/direct-messages/?page_size=100', { token: a.token });
    expectStatus(all, 200);
    expect(all.json.results.map((m: { id: number }) => m.id)).toEqual([m1.id, m2.id, m3.id]);
    const filtered = await api(`/api/chat/direct-messages/?thread=${ab.id}`, { token: a.token });
    expect(filtered.json.results).toEqual([m1, m3]);
    expect((await api('/api/chat/direct-messages/', { token: c.token })).json.results).toEqual([m2]);
    expectStatus(await api(`/api/chat/direct-messages/${m1.id}/`, { token: a.token }), 200);
    expectStatus(await api(`/api/chat/direct-messages/${m1.id}/`, { token: c.token }), 404);
  });

  it('only the sender edits or deletes (soft)', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const t = await makeThread(a, b);
    const m = (await dm(a.token, t.id, 'draft')).json;
    const put = await api(`/api/chat/direct-messages/${m.id}/`, {
      method: 'PUT',
      token: a.token,
      body: { thread: 99999, content: 'final' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ thread: t.id, sender: a.id, content: 'final' });
    const patch = await api(`/api/chat/direct-messages/${m.id}/`, {
      method: 'PATCH',
      token: a.token,
      body: { content: 'patched' },
    });
    expect(patch.json.content).toBe('patched');
    expectStatus(
      await api(`/api/chat/direct-messages/${m.id}/`, { method: 'PATCH', token: a.token, body: { content: '' } }),
      400,
    );
    expectStatus(
      await api(`/api/chat/direct-messages/${m.id}/`, { method: 'PATCH', token: b.token, body: { content: 'x' } }),
      403,
    );
    expectStatus(await api(`/api/chat/direct-messages/${m.id}/`, { method: 'DELETE', token: b.token }), 403);
    expectStatus(await api(`/api/chat/direct-messages/${m.id}/`, { method: 'DELETE', token: a.token }), 204);
    expectStatus(await api(`/api/chat/direct-messages/${m.id}/`, { token: a.token }), 404);
    expect((await api(`/api/chat/direct-threads/${t.id}/`, { token: b.token })).json.messages).toEqual([]);
  });
});
