/**
 * Issue 14, finding 8 (unbounded chat): history pages with a `before` cursor, bounded embeds,
 * a per-user posting limit that holds under parallel posts (REST and sockets share it), and caps
 * on the sockets a user holds.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { channelWs, type Client, connect, join, makeChannel, makeThread } from '../helpers/chat';
import { api, expectStatus, makeUser } from '../helpers';

/** Inserts `n` messages straight into D1 (no posting limit), oldest first, one second apart. */
async function seedMessages(kind: 'channel' | 'thread', room: number, sender: number, n: number) {
  const [table, fk] = kind === 'channel' ? ['chat_channel_messages', 'channel_id'] : ['chat_direct_messages', 'thread_id'];
  const insert = env.DB.prepare(
    `INSERT INTO ${table} (created_at, updated_at, is_deleted, uuid, ${fk}, sender_id, content, timestamp) VALUES (?1, ?1, 0, ?2, ?3, ?4, ?5, ?1)`,
  );
  const start = Date.now() - n * 1000;
  await env.DB.batch(
    Array.from({ length: n }, (_, i) =>
      insert.bind(new Date(start + i * 1000).toISOString(), crypto.randomUUID(), room, sender, `m${i}`),
    ),
  );
  const { results } = await env.DB.prepare(`SELECT id FROM ${table} WHERE ${fk} = ? ORDER BY timestamp, id`)
    .bind(room)
    .all<{ id: number }>();
  return results.map((r) => r.id);
}

/** Follows `Link: <...>; rel="next"` from `path` to the end; returns every page. */
async function allPages(path: string, token: string) {
  const pages: { ids: number[]; link: string | null }[] = [];
  let next: string | null = path;
  while (next) {
    const res = await api(next, { token });
    expectStatus(res, 200);
    expect(Array.isArray(res.json), res.text.slice(0, 200)).toBe(true);
    const link = res.headers.get('link');
    pages.push({ ids: res.json.map((m: { id: number }) => m.id), link });
    const target = link ? /<([^>]+)>; rel="next"/.exec(link)?.[1] : undefined;
    next = target ? new URL(target).pathname + new URL(target).search : null;
    if (pages.length > 10) throw new Error('Link header loops');
  }
  return pages;
}

describe('bounded chat responses', { timeout: 60000 }, () => {
  it('channel messages/ answers the newest 100 (a bare array, oldest first) and pages back with ?before= and Link', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ids = await seedMessages('channel', ch.id, a.id, 250);
    const pages = await allPages(`/api/chat/channels/${ch.id}/messages/`, b.token);
    expect(pages.map((p) => p.ids.length)).toEqual([100, 100, 50]);
    expect(pages[0].ids).toEqual(ids.slice(150));
    expect(pages[1].ids).toEqual(ids.slice(50, 150));
    expect(pages[2].ids).toEqual(ids.slice(0, 50));
    expect(pages[0].link).toContain(`before=${ids[150]}`);
    expect(pages[2].link).toBeNull();
    const bad = await api(`/api/chat/channels/${ch.id}/messages/?before=abc`, { token: b.token });
    expectStatus(bad, 400);
    expect(bad.json).toEqual({ before: ['Enter a whole number.'] });
    // A cursor that is not a message of this room gives an empty page, not someone else's history.
    const other = await makeChannel(a);
    const [foreign] = await seedMessages('channel', other.id, a.id, 1);
    const empty = await api(`/api/chat/channels/${ch.id}/messages/?before=${foreign}`, { token: b.token });
    expectStatus(empty, 200);
    expect(empty.json).toEqual([]);
  });

  it('direct-thread messages/ pages the same way; a thread embeds its newest 100, a list 10 per thread', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ab = await makeThread(a, b);
    const ac = await makeThread(a, c);
    const ids = await seedMessages('thread', ab.id, a.id, 130);
    await seedMessages('thread', ac.id, c.id, 30);
    const pages = await allPages(`/api/chat/direct-threads/${ab.id}/messages/`, b.token);
    expect(pages.map((p) => p.ids)).toEqual([ids.slice(30), ids.slice(0, 30)]);
    const detail = await api(`/api/chat/direct-threads/${ab.id}/`, { token: a.token });
    expectStatus(detail, 200);
    expect(detail.json.messages.map((m: { id: number }) => m.id)).toEqual(ids.slice(30));
    const list = await api('/api/chat/direct-threads/?page_size=100', { token: a.token });
    expectStatus(list, 200);
    for (const t of list.json.results) expect(t.messages.length, `thread ${t.id} embeds ${t.messages.length}`).toBe(10);
    expect(list.json.results.find((t: { id: number }) => t.id === ab.id).messages.map((m: { id: number }) => m.id)).toEqual(
      ids.slice(120),
    );
  });

  it('a channel embeds at most 100 members; members/ pages through all of them with ?after= and Link', async () => {
    const owner = await makeUser();
    const ch = await makeChannel(owner);
    const { results: people } = await env.DB.prepare('SELECT id FROM users ORDER BY id DESC LIMIT 1').all<{ id: number }>();
    // 140 more users straight into D1, then their memberships.
    const base = people[0].id + 1000;
    await env.DB.batch(
      Array.from({ length: 140 }, (_, i) =>
        env.DB.prepare(
          "INSERT INTO users (id, uuid, username, email, password, date_joined) VALUES (?, ?, ?, ?, '', '2026-01-01')",
        ).bind(base + i, crypto.randomUUID(), `bulk_${base + i}`, `bulk_${base + i}@example.com`),
      ),
    );
    await env.DB.batch(
      Array.from({ length: 140 }, (_, i) =>
        env.DB.prepare('INSERT INTO chat_channel_members (channel_id, user_id, is_admin, joined_at) VALUES (?, ?, 0, ?)').bind(
          ch.id,
          base + i,
          new Date().toISOString(),
        ),
      ),
    );
    const detail = await api(`/api/chat/channels/${ch.id}/`, { token: owner.token });
    expectStatus(detail, 200);
    expect(detail.json.members.length).toBe(100);
    expect(detail.json.members[0].user).toBe(owner.id);
    const listed = await api('/api/chat/channels/?page_size=100', { token: owner.token });
    expect(listed.json.results.find((c: { id: number }) => c.id === ch.id).members.length).toBe(100);
    const pages = await allPages(`/api/chat/channels/${ch.id}/members/`, owner.token);
    expect(pages.map((p) => p.ids.length)).toEqual([100, 41]);
    expect(new Set(pages.flatMap((p) => p.ids)).size).toBe(141);
  });
});

/**
 * The posting limit counts in fixed windows (`floor(now / 10 s)`, src/modules/chat/rooms.ts): posts
 * straddling a window's end would start a fresh budget halfway (this failed a CI run once). Each test
 * of the limit starts with at least 4 s of its window left.
 */
async function clearOfWindowEnd(windowMs = 10_000, needMs = 4_000) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 100));
}

describe('posting limit per user', { timeout: 60000 }, () => {
  it('40 parallel REST posts by one user store exactly 30; the rest get 429 with Retry-After', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    await clearOfWindowEnd();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        api('/api/chat/channel-messages/', { token: a.token, body: { channel: ch.id, content: `p${i}` } }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    const throttled = results.filter((r) => r.status === 429);
    expect(created.length, results.map((r) => `${r.status}`).join(',')).toBe(30);
    expect(throttled.length).toBe(10);
    expect(throttled[0].json.detail, throttled[0].text).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    expect(Number(throttled[0].headers.get('retry-after'))).toBeGreaterThan(0);
    const { results: rows } = await env.DB.prepare(
      'SELECT count(*) AS n FROM chat_channel_messages WHERE channel_id = ? AND sender_id = ?',
    )
      .bind(ch.id, a.id)
      .all<{ n: number }>();
    expect(rows[0].n).toBe(30);
    // Another user is not affected.
    expectStatus(
      await api('/api/chat/channel-messages/', { token: b.token, body: { channel: ch.id, content: 'still fine' } }),
      201,
    );
  });

  it('sockets and REST share the limit across rooms: past it, a socket message gets an error frame and is not stored', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch1 = await makeChannel(a, [b]);
    const thread = await makeThread(a, b);
    await clearOfWindowEnd();
    const posts = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 2
          ? api('/api/chat/channel-messages/', { token: a.token, body: { channel: ch1.id, content: `c${i}` } })
          : api('/api/chat/direct-messages/', { token: a.token, body: { thread: thread.id, content: `d${i}` } }),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(Array(30).fill(201));
    const ca = await join(channelWs(ch1.id), a.token);
    ca.send({ type: 'message', content: 'one too many', client_id: 'x' });
    const reply = await ca.nextReply();
    expect(reply.type, JSON.stringify(reply)).toBe('error');
    expect(reply.detail).toMatch(/^Too many messages: try again in \d+ seconds\.$/);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM chat_channel_messages WHERE content = 'one too many'").first<{
      n: number;
    }>();
    expect(stored?.n).toBe(0);
    ca.close();
  });
});

describe('socket caps', { timeout: 60000 }, () => {
  it('a user holds at most 5 sockets in a room (the 6th is 429); closing one frees its place', async () => {
    const a = await makeUser();
    const ch = await makeChannel(a);
    const open: Client[] = [];
    for (let i = 0; i < 5; i++) open.push(await join(channelWs(ch.id), a.token));
    const sixth = await connect(channelWs(ch.id), { token: a.token });
    expectStatus(sixth, 429);
    expect(sixth.json.detail).toMatch(/at most 5/);
    open[0].close();
    await new Promise((r) => setTimeout(r, 200));
    const again = await connect(channelWs(ch.id), { token: a.token });
    expectStatus(again, 101);
    again.client!.close();
    for (const c of open) c.close();
  });

  it('a user holds at most 20 sockets across rooms, even when they connect in parallel', async () => {
    const a = await makeUser();
    const rooms = [];
    for (let i = 0; i < 5; i++) rooms.push(await makeChannel(a));
    const attempts = await Promise.all(
      rooms.flatMap((r) => Array.from({ length: 5 }, () => connect(channelWs(r.id), { token: a.token }))),
    );
    const opened = attempts.filter((r) => r.status === 101);
    expect(opened.length, attempts.map((r) => r.status).join(',')).toBe(20);
    expect(attempts.filter((r) => r.status === 429).length).toBe(5);
    expect(attempts.find((r) => r.status === 429)!.json.detail).toMatch(/at most 20/);
    const leases = await env.DB.prepare('SELECT count(*) AS n FROM chat_socket_leases WHERE user_id = ?')
      .bind(a.id)
      .first<{ n: number }>();
    expect(leases?.n).toBe(20);
    for (const r of opened) r.client!.close();
    await expect
      .poll(
        async () =>
          (
            await env.DB.prepare('SELECT count(*) AS n FROM chat_socket_leases WHERE user_id = ?')
              .bind(a.id)
              .first<{ n: number }>()
          )?.n,
      )
      .toBe(0);
  });
});
