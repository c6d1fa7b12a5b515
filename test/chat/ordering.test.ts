/**
 * Issue 21: the room's group commit. Bursts from many sockets and REST at once reach every
 * participant exactly once, in stored order; messages that arrive while a write is in flight are
 * stored together; a reconnect with `since` fills the gap, even while messages keep coming.
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { channelWs, type Client, join, makeChannel, stubOf } from '../helpers/chat';
import { api, eventually, expectStatus, makeUser, sleep, type TestUser } from '../helpers';

/** The room's live messages as stored: (timestamp, id) order. */
async function stored(channel: number) {
  const { results } = await env.DB.prepare(
    'SELECT id, sender_id, content FROM chat_channel_messages WHERE channel_id = ? AND is_deleted = 0 ORDER BY timestamp, id',
  )
    .bind(channel)
    .all<{ id: number; sender_id: number; content: string }>();
  return results;
}

/** Ids of the message frames a client got, in arrival order, waiting until it has `n`. */
async function messageIds(c: Client, n: number, waitMs = 10000): Promise<number[]> {
  const ids = () => c.frames.filter((f) => f.type === 'message').map((f) => f.message.id as number);
  await eventually(() => ids().length >= n, {
    timeoutMs: waitMs,
    intervalMs: 20,
    message: () => `${ids().length} of ${n} messages: ${ids()}`,
  });
  // A moment more: a duplicate would arrive right behind.
  await sleep(100);
  return ids();
}

/**
 * Replaces the room's D1 binding for store batches with one that records each batch's size and
 * holds it for `holdMs` first (a slow write), so that messages pile up behind it.
 */
async function recordBatches(channel: number, holdMs: number) {
  const sizes: number[] = [];
  await runInDurableObject(stubOf(`channel:${channel}`), (instance) => {
    const self = instance as unknown as { env: Record<string, unknown> };
    const real = self.env.DB as D1Database;
    const db = {
      prepare: (q: string) => real.prepare(q),
      batch: async (stmts: D1PreparedStatement[]) => {
        sizes.push(stmts.length / 2);
        await new Promise((r) => setTimeout(r, holdMs));
        return real.batch(stmts);
      },
    };
    self.env = new Proxy(self.env, { get: (t, p) => (p === 'DB' ? db : t[p as string]) });
  });
  return sizes;
}

describe('group commit: ordering and exactly-once delivery', { timeout: 60000 }, () => {
  it('bursts from many sockets and REST at once reach every participant exactly once, in stored order', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 6; i++) users.push(await makeUser());
    const [owner, ...rest] = users;
    const ch = await makeChannel(owner, rest);
    // Seven sockets: every user, one of them twice; two more users post over REST only.
    const clients: { user: TestUser; c: Client }[] = [];
    for (const u of [...users, users[1]]) clients.push({ user: u, c: await join(channelWs(ch.id), u.token) });
    const restUsers = [await makeUser(), await makeUser()];
    for (const u of restUsers)
      expectStatus(await api(`/api/chat/channels/${ch.id}/add_member/`, { token: owner.token, body: { user_id: u.id } }), 201);

    const perSocket = 8;
    const perRest = 6;
    const restPosts: Promise<{ status: number; text: string }>[] = [];
    for (let i = 0; i < perSocket; i++) {
      for (const [k, { c }] of clients.entries()) c.send({ type: 'message', content: `s${k}-${i}`, client_id: `s${k}-${i}` });
      if (i < perRest)
        for (const [k, u] of restUsers.entries())
          restPosts.push(api('/api/chat/channel-messages/', { token: u.token, body: { channel: ch.id, content: `r${k}-${i}` } }));
    }
    for (const res of await Promise.all(restPosts)) expectStatus(res, 201);
    const total = clients.length * perSocket + restUsers.length * perRest;

    const rows = await stored(ch.id);
    const storedIds = rows.map((r) => r.id);
    for (const { user, c } of clients) {
      const got = await messageIds(c, total);
      expect(got.length, `user ${user.id} got ${got.length} of ${total} messages`).toBe(total);
      expect(new Set(got).size, `user ${user.id} got a message twice`).toBe(total);
      expect(got, `user ${user.id} got them out of stored order`).toEqual(storedIds);
    }
    expect(storedIds.length).toBe(total);
    // Stored order is id order, and each socket's messages keep the order it sent them in.
    expect([...storedIds].sort((a, b) => a - b)).toEqual(storedIds);
    for (const k of clients.keys()) {
      const mine = rows.filter((r) => r.content.startsWith(`s${k}-`)).map((r) => r.content);
      expect(mine).toEqual(Array.from({ length: perSocket }, (_, i) => `s${k}-${i}`));
    }
    for (const { c } of clients) c.close();
  });

  it('messages arriving while a write is in flight are stored together in one batch, in arrival order', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b, c]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    const sizes = await recordBatches(ch.id, 300);
    // The first message starts a (slow) write; the next ones arrive meanwhile and wait for it.
    ca.send({ type: 'message', content: 'first', client_id: 'first' });
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 5; i++) {
      ca.send({ type: 'message', content: `a${i}`, client_id: `a${i}` });
      cb.send({ type: 'message', content: `b${i}`, client_id: `b${i}` });
    }
    const rest = api('/api/chat/channel-messages/', { token: c.token, body: { channel: ch.id, content: 'rest' } });
    expectStatus(await rest, 201);
    const ids = await messageIds(ca, 12);
    expect(ids.length).toBe(12);
    expect(
      sizes.reduce((x, y) => x + y, 0),
      `batches ${JSON.stringify(sizes)}`,
    ).toBe(12);
    expect(sizes[0], `batches ${JSON.stringify(sizes)}`).toBe(1);
    expect(
      sizes.length,
      `the 11 messages that arrived during the first write took ${sizes.length - 1} more writes`,
    ).toBeLessThanOrEqual(3);
    const rows = await stored(ch.id);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(rows[0].content).toBe('first');
    // Arrival order per sender survives the batching.
    expect(rows.filter((r) => r.content.startsWith('a')).map((r) => r.content)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(rows.filter((r) => r.content.startsWith('b')).map((r) => r.content)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(await messageIds(cb, 12)).toEqual(ids);
    ca.close();
    cb.close();
  });

  it('a sender is answered only once its message is stored', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    await recordBatches(ch.id, 200);
    ca.send({ type: 'message', content: 'durable', client_id: 'd1' });
    const echo = await ca.next((f) => f.type === 'message' && f.client_id === 'd1');
    const row = await env.DB.prepare('SELECT content FROM chat_channel_messages WHERE id = ?')
      .bind(echo.message.id)
      .first<{ content: string }>();
    expect(row?.content, `message ${echo.message.id} was acknowledged before it was stored`).toBe('durable');
    const posted = await api('/api/chat/channel-messages/', {
      token: b.token,
      body: { channel: ch.id, content: 'rest durable' },
    });
    expectStatus(posted, 201);
    const restRow = await env.DB.prepare('SELECT content FROM chat_channel_messages WHERE id = ?').bind(posted.json.id).first();
    expect(restRow, posted.text).toMatchObject({ content: 'rest durable' });
    ca.close();
  });

  it('a reconnect with ?since= fills the gap exactly, while messages keep arriving', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 4; i++) users.push(await makeUser());
    const [reader, ...writers] = users;
    const ch = await makeChannel(reader, writers);
    const sockets = [];
    for (const w of writers) sockets.push(await join(channelWs(ch.id), w.token));
    let first = await join(channelWs(ch.id), reader.token);
    // Before the disconnect.
    for (const [k, s] of sockets.entries()) s.send({ type: 'message', content: `before-${k}` });
    const seenBefore = await messageIds(first, 3);
    expect(seenBefore.length).toBe(3);
    first.close();
    await new Promise((r) => setTimeout(r, 100));
    // While away, and during the reconnect: sockets and REST keep posting.
    const during: Promise<unknown>[] = [];
    for (let i = 0; i < 4; i++) {
      for (const [k, s] of sockets.entries()) s.send({ type: 'message', content: `away-${k}-${i}` });
      during.push(
        api('/api/chat/channel-messages/', { token: writers[0].token, body: { channel: ch.id, content: `rest-${i}` } }),
      );
    }
    first = await join(channelWs(ch.id), reader.token, seenBefore[seenBefore.length - 1]);
    for (let i = 0; i < 3; i++) for (const [k, s] of sockets.entries()) s.send({ type: 'message', content: `after-${k}-${i}` });
    await Promise.all(during);
    await expect.poll(async () => (await stored(ch.id)).length, { timeout: 5000 }).toBe(3 + 12 + 4 + 9);
    const all = (await stored(ch.id)).map((r) => r.id);
    const afterReconnect = await messageIds(first, all.length - seenBefore.length);
    expect(new Set(afterReconnect).size, 'a message came twice after the reconnect').toBe(afterReconnect.length);
    expect([...seenBefore, ...afterReconnect], 'the reconnect left a gap or changed the order').toEqual(all);
    first.close();
    for (const s of sockets) s.close();
  });

  it('sockets opened with ?batch=1 get the same messages in the same order in fewer frames under load; others one frame each', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b, c]);
    const batched: Client[] = [];
    for (const u of [a, b]) for (let i = 0; i < 5; i++) batched.push(await join(channelWs(ch.id), u.token, undefined, true));
    const single = await join(channelWs(ch.id), c.token);
    for (let round = 0; round < 3; round++)
      for (const [k, s] of batched.entries()) s.send({ type: 'message', content: `b${k}-${round}` });
    await expect.poll(async () => (await stored(ch.id)).length, { timeout: 5000 }).toBe(30);
    const ids = (await stored(ch.id)).map((r) => r.id);
    for (const s of [...batched, single]) expect(await messageIds(s, 30)).toEqual(ids);
    const rawMessages = (s: Client) => s.raw.filter((f) => f.type === 'message' || f.type === 'batch');
    for (const s of batched) {
      expect(rawMessages(s).length, `a batch socket got ${rawMessages(s).length} frames for 30 messages`).toBeLessThan(30);
      expect(s.raw.some((f) => f.type === 'batch')).toBe(true);
    }
    expect(rawMessages(single).length).toBe(30);
    expect(single.raw.some((f) => f.type === 'batch')).toBe(false);
    for (const s of [...batched, single]) s.close();
  });

  it('a reconnect that missed more than 500 messages replays the newest 500 after a truncated frame', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const now = Date.now();
    const insert = env.DB.prepare(
      `INSERT INTO chat_channel_messages (created_at, updated_at, is_deleted, uuid, channel_id, sender_id, content, timestamp)
       VALUES (?1, ?1, 0, ?2, ?3, ?4, ?5, ?1)`,
    );
    const stmts = Array.from({ length: 620 }, (_, i) =>
      insert.bind(new Date(now - 620_000 + i * 1000).toISOString(), crypto.randomUUID(), ch.id, a.id, `old ${i}`),
    );
    await env.DB.batch(stmts);
    const all = (await stored(ch.id)).map((r) => r.id);
    const cb = await join(channelWs(ch.id), b.token, all[9]);
    const frames = await messageIds(cb, 500);
    expect(frames).toEqual(all.slice(-500));
    const truncated = cb.frames.find((f) => f.type === 'truncated');
    expect(truncated, JSON.stringify(cb.frames.slice(0, 3))).toEqual({ type: 'truncated', before: all[120] });
    expect(cb.frames.findIndex((f) => f.type === 'truncated')).toBeLessThan(cb.frames.findIndex((f) => f.type === 'message'));
    // A socket that reads batch frames gets the same replay in frames of 100.
    const batch = await join(channelWs(ch.id), a.token, all[9], true);
    expect(await messageIds(batch, 500)).toEqual(all.slice(-500));
    expect(batch.raw.filter((f) => f.type !== 'presence').map((f) => f.type)).toEqual(['truncated', ...Array(5).fill('batch')]);
    cb.close();
    batch.close();
  });
});
