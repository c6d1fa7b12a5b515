import { describe, expect, it } from 'vitest';
import { makeChannel, postChannelMessage } from '../helpers/chat';
import { api, expectStatus, makeUser } from '../helpers';

describe('channel messages', { timeout: 20000 }, () => {
  it('creates a message as the caller (an invited Customer too), now, whatever the body says', async () => {
    const [a, b] = [await makeUser({ role: 'Customer' }), await makeUser()];
    const ch = await makeChannel(b, [a]);
    const res = await api('/api/chat/channel-messages/', {
      token: a.token,
      body: { channel: ch.id, content: '  hello  ', sender: b.id, timestamp: '2001-01-01T00:00:00Z' },
    });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ channel: ch.id, sender: a.id, content: 'hello', attachments: [] });
    expect(res.json.timestamp).not.toContain('2001');
    expect(Object.keys(res.json).sort()).toEqual(['attachments', 'channel', 'content', 'id', 'sender', 'timestamp']);
  });

  it('validates content and channel', async () => {
    const [a, stranger] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a);
    const empty = await api('/api/chat/channel-messages/', { token: a.token, body: { channel: ch.id, content: '   ' } });
    expectStatus(empty, 400);
    expect(empty.json).toEqual({ content: ['Message content cannot be empty.'] });
    expectStatus(await api('/api/chat/channel-messages/', { token: a.token, body: { channel: ch.id } }), 400);
    expectStatus(
      await api('/api/chat/channel-messages/', { token: a.token, body: { channel: ch.id, content: 'x'.repeat(4001) } }),
      400,
    );
    const noChannel = await api('/api/chat/channel-messages/', { token: a.token, body: { content: 'hi' } });
    expectStatus(noChannel, 400);
    expect(noChannel.json.channel).toBeDefined();
    const unknown = await api('/api/chat/channel-messages/', { token: a.token, body: { channel: 99999999, content: 'hi' } });
    expectStatus(unknown, 400);
    expect(unknown.json.channel[0]).toContain('does not exist');
    expectStatus(await api('/api/chat/channel-messages/', { body: { channel: ch.id, content: 'hi' } }), 401);
    // Posting requires membership: the original answered 500 here (original bug).
    const outsider = await api('/api/chat/channel-messages/', { token: stranger.token, body: { channel: ch.id, content: 'hi' } });
    expectStatus(outsider, 403);
  });

  it("lists the caller's channels' messages oldest first, filtered by ?channel=, paginated", async () => {
    const [a, b, stranger] = [await makeUser(), await makeUser(), await makeUser()];
    const ch1 = await makeChannel(a, [b]);
    const ch2 = await makeChannel(a);
    const m1 = await postChannelMessage(a, ch1.id, 'first');
    const m2 = await postChannelMessage(b, ch1.id, 'second');
    const other = await postChannelMessage(a, ch2.id, 'elsewhere');
    const mine = await api('/api/chat/channel-messages/?page_size=100', { token: b.token });
    expectStatus(mine, 200);
    expect(mine.json.results.map((m: { id: number }) => m.id)).toEqual([m1.id, m2.id]);
    const filtered = await api(`/api/chat/channel-messages/?channel=${ch2.id}`, { token: a.token });
    expect(filtered.json.results).toEqual([other]);
    const page = await api(`/api/chat/channel-messages/?channel=${ch1.id}&page_size=1&page=2`, { token: a.token });
    expect(page.json).toMatchObject({ count: 2, next: null, results: [m2] });
    expect((await api('/api/chat/channel-messages/', { token: stranger.token })).json.count).toBe(0);
    expectStatus(await api('/api/chat/channel-messages/?channel=abc', { token: a.token }), 400);
    expectStatus(await api('/api/chat/channel-messages/?page=9', { token: a.token }), 404);
  });

  it('retrieves a message for members only', async () => {
    const [a, stranger] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a);
    const m = await postChannelMessage(a, ch.id, 'hi');
    const got = await api(`/api/chat/channel-messages/${m.id}/`, { token: a.token });
    expectStatus(got, 200);
    expect(got.json).toEqual(m);
    expectStatus(await api(`/api/chat/channel-messages/${m.id}/`, { token: stranger.token }), 404);
    expectStatus(await api('/api/chat/channel-messages/99999999/', { token: a.token }), 404);
  });

  it('only the sender edits; channel and sender never change', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const elsewhere = await makeChannel(b);
    const m = await postChannelMessage(b, ch.id, 'draft');
    const put = await api(`/api/chat/channel-messages/${m.id}/`, {
      method: 'PUT',
      token: b.token,
      body: { channel: elsewhere.id, content: 'final', sender: a.id },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ id: m.id, channel: ch.id, sender: b.id, content: 'final', timestamp: m.timestamp });
    const patch = await api(`/api/chat/channel-messages/${m.id}/`, {
      method: 'PATCH',
      token: b.token,
      body: { content: 'patched' },
    });
    expectStatus(patch, 200);
    expect(patch.json.content).toBe('patched');
    expectStatus(
      await api(`/api/chat/channel-messages/${m.id}/`, { method: 'PATCH', token: b.token, body: { content: ' ' } }),
      400,
    );
    // Not even the channel admin edits someone else's message.
    expectStatus(
      await api(`/api/chat/channel-messages/${m.id}/`, { method: 'PATCH', token: a.token, body: { content: 'x' } }),
      403,
    );
    expectStatus(
      await api(`/api/chat/channel-messages/${m.id}/`, { method: 'PUT', token: a.token, body: { channel: ch.id, content: 'x' } }),
      403,
    );
  });

  it('the sender or a channel admin deletes (soft); others may not', async () => {
    const [admin, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(admin, [b, c]);
    const byB = await postChannelMessage(b, ch.id, 'from b');
    const byB2 = await postChannelMessage(b, ch.id, 'from b again');
    expectStatus(await api(`/api/chat/channel-messages/${byB.id}/`, { method: 'DELETE', token: c.token }), 403);
    expectStatus(await api(`/api/chat/channel-messages/${byB.id}/`, { method: 'DELETE', token: b.token }), 204);
    expectStatus(await api(`/api/chat/channel-messages/${byB2.id}/`, { method: 'DELETE', token: admin.token }), 204);
    expectStatus(await api(`/api/chat/channel-messages/${byB.id}/`, { token: b.token }), 404);
    const list = await api(`/api/chat/channel-messages/?channel=${ch.id}`, { token: b.token });
    expect(list.json.count).toBe(0);
    const all = await api(`/api/chat/channels/${ch.id}/messages/`, { token: b.token });
    expect(all.json).toEqual([]);
  });
});
