import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  channelWs,
  connect,
  join,
  makeChannel,
  makeThread,
  postChannelMessage,
  spyOnRoomEvents,
  stubOf,
  threadWs,
} from '../helpers/chat';
import { api, expectStatus, makeUser } from '../helpers';

describe('live channel rooms', { timeout: 20000 }, () => {
  it('two participants exchange messages both ways, stored before they are broadcast', async () => {
    const [a, b] = [await makeUser(), await makeUser({ role: 'Customer' })];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    expect((await ca.next((f) => f.type === 'presence' && f.online.length === 2)).online).toEqual(
      [a.id, b.id].sort((x, y) => x - y),
    );

    ca.send({ type: 'message', content: 'hello from a', client_id: 'a-1' });
    const [toA] = await ca.messages(1);
    const [toB] = await cb.messages(1);
    expect(toA).toEqual(toB);
    expect(toA.client_id).toBe('a-1');
    expect(toA.message).toMatchObject({ channel: ch.id, sender: a.id, content: 'hello from a', attachments: [] });

    cb.send({ type: 'message', content: 'hi back from b', client_id: 'b-1' });
    const [backA] = await ca.messages(1);
    const [backB] = await cb.messages(1);
    expect(backA).toEqual(backB);
    expect(backB.message).toMatchObject({ sender: b.id, content: 'hi back from b' });
    expect(backB.client_id).toBe('b-1');

    const list = await api(`/api/chat/channel-messages/?channel=${ch.id}`, { token: b.token });
    expectStatus(list, 200);
    expect(list.json.results).toEqual([toA.message, backA.message]);
    ca.close();
    cb.close();
  });

  it('REST posts and socket messages interleave in one order, each delivered once', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b, c]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    const sent: Promise<unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      ca.send({ type: 'message', content: `socket ${i}`, client_id: `s${i}` });
      sent.push(postChannelMessage(c, ch.id, `rest ${i}`));
    }
    await Promise.all(sent);
    const seenA = await ca.messages(12);
    const seenB = await cb.messages(12);
    const ids = seenA.map((f) => f.message.id);
    expect(seenB.map((f) => f.message.id)).toEqual(ids);
    expect(new Set(ids).size).toBe(12);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    const list = await api(`/api/chat/channel-messages/?channel=${ch.id}&page_size=100`, { token: a.token });
    expect(list.json.results.map((m: { id: number }) => m.id)).toEqual(ids);
    // Each socket message keeps its order among the socket ones.
    expect(seenA.filter((f) => f.client_id).map((f) => f.message.content)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `socket ${i}`));
    // Nothing else arrives: the next reply to a ping is the pong.
    ca.send('{"type": "ping"}');
    expect(await ca.nextReply()).toEqual({ type: 'pong' });
    ca.close();
    cb.close();
  });

  it("refuses a stranger's upgrade before any socket exists", async () => {
    const [owner, member, stranger] = [await makeUser(), await makeUser(), await makeUser()];
    const pub = await makeChannel(owner, [member]);
    const priv = await makeChannel(owner, [member], { type: 'private' });

    let res = await connect(channelWs(pub.id));
    expectStatus(res, 401);
    res = await connect(channelWs(pub.id), { token: 'not.a.token' });
    expectStatus(res, 401);
    expect(res.json.code).toBe('token_not_valid');
    res = await connect(channelWs(pub.id), { token: stranger.token });
    expectStatus(res, 403);
    res = await connect(channelWs(priv.id), { token: stranger.token });
    expectStatus(res, 404);
    res = await connect(channelWs(999999), { token: owner.token });
    expectStatus(res, 404);
    res = await connect(channelWs(pub.id), { token: owner.token });
    expectStatus(res, 101);
    res.client!.close();

    const thread = await makeThread(owner, member);
    res = await connect(threadWs(thread.id), { token: stranger.token });
    expectStatus(res, 404);

    const plain = await api(`${channelWs(pub.id)}?token=${owner.token}`);
    expectStatus(plain, 426);
    const since = await api(`${channelWs(pub.id)}?token=${owner.token}&since=abc`, { headers: { Upgrade: 'websocket' } });
    expectStatus(since, 400);

    // No socket was opened in the private room by the refused stranger.
    const online = await runInDurableObject(stubOf(`channel:${priv.id}`), (_i, state) => state.getWebSockets().length);
    expect(online).toBe(0);
  });

  it('takes the token from the Sec-WebSocket-Protocol offer and selects the other protocol', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const res = await connect(channelWs(ch.id), { headers: { 'Sec-WebSocket-Protocol': `bearer, ${a.token}` } });
    expectStatus(res, 101);
    expect(res.headers.get('sec-websocket-protocol')).toBe('bearer');
    res.client!.send({ type: 'message', content: 'via protocol' });
    const [f] = await res.client!.messages(1);
    expect(f.message.sender).toBe(a.id);
    res.client!.close();
  });

  it('replays the messages stored after ?since=, then goes live', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const m1 = await postChannelMessage(a, ch.id, 'one');
    const m2 = await postChannelMessage(a, ch.id, 'two');
    const m3 = await postChannelMessage(b, ch.id, 'three');
    const cb = await join(channelWs(ch.id), b.token, m1.id);
    const replayed = await cb.messages(2);
    expect(replayed.map((f) => f.message)).toEqual([m2, m3]);
    const m4 = await postChannelMessage(a, ch.id, 'four');
    const [live] = await cb.messages(1);
    expect(live.message).toEqual(m4);
    // A deleted message is not replayed.
    expectStatus(await api(`/api/chat/channel-messages/${m2.id}/`, { method: 'DELETE', token: a.token }), 204);
    const again = await join(channelWs(ch.id), b.token, m1.id);
    const frames = await again.messages(2);
    expect(frames.map((f) => f.message.id)).toEqual([m3.id, m4.id]);
    cb.close();
    again.close();
  });

  it('answers bad frames with an error frame and keeps the connection and the room working', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    const bad: [unknown, RegExp][] = [
      ['not json', /JSON/],
      [{ type: 'dance' }, /Unknown frame type/],
      [[1, 2], /JSON objects/],
      [{ type: 'message', content: '   ' }, /cannot be empty/],
      [{ type: 'message' }, /cannot be empty/],
      [{ type: 'message', content: 'x'.repeat(4001) }, /4000/],
      [{ type: 'message', content: 'ok', client_id: 42 }, /client_id/],
      [{ type: 'read', message_id: 'x' }, /message_id/],
      [{ type: 'read', message_id: 99999999 }, /Message not found/],
    ];
    for (const [frame, detail] of bad) {
      ca.send(frame);
      const reply = await ca.nextReply();
      expect(reply.type, JSON.stringify(frame)).toBe('error');
      expect(reply.detail).toMatch(detail);
    }
    ca.ws.send(new Uint8Array([1, 2, 3]));
    expect((await ca.nextReply()).detail).toMatch(/Binary/);
    // Ten frames so far: let the one-second rate window pass.
    await new Promise((r) => setTimeout(r, 1100));
    // 4000 characters is fine.
    ca.send({ type: 'message', content: 'y'.repeat(4000), client_id: 'long' });
    const [long] = await cb.messages(1);
    expect(long.message.content.length).toBe(4000);
    ca.send({ type: 'message', content: 'still here', client_id: 'c' });
    expect((await cb.messages(1))[0].message.content).toBe('still here');
    ca.close();
    cb.close();
  });

  it('rate-limits a flooding socket with error frames; the socket survives', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    for (let i = 0; i < 15; i++) ca.send({ type: 'ping', n: i });
    const replies = [];
    for (let i = 0; i < 15; i++) replies.push(await ca.nextReply());
    expect(replies.filter((r) => r.type === 'error').length).toBeGreaterThan(0);
    expect(replies.find((r) => r.type === 'error')!.detail).toMatch(/Too many frames/);
    expect(replies.filter((r) => r.type === 'pong').length).toBeLessThanOrEqual(10);
    await new Promise((r) => setTimeout(r, 1100));
    ca.send({ type: 'message', content: 'after the flood' });
    expect((await ca.messages(1))[0].message.content).toBe('after the flood');
    ca.close();
  });

  it('sends typing to the others only, and answers an exact ping without waking the room', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    ca.send({ type: 'typing' });
    expect(await cb.next((f) => f.type === 'typing')).toEqual({ type: 'typing', user: a.id });
    ca.send('{"type": "ping"}');
    // The sender gets no typing frame of its own before the pong.
    expect(await ca.next((f) => f.type !== 'presence')).toEqual({ type: 'pong' });
    ca.send('{"type":"ping"}');
    expect(await ca.next((f) => f.type !== 'presence')).toEqual({ type: 'pong' });
    // That one was answered by the runtime's auto-response, which records when it answered.
    const auto = await runInDurableObject(stubOf(`channel:${ch.id}`), (_i, state) =>
      state.getWebSockets().map((ws) => state.getWebSocketAutoResponseTimestamp(ws)),
    );
    expect(auto.some((t) => t instanceof Date)).toBe(true);
    ca.close();
    cb.close();
  });

  it('tells the others who is online when someone leaves', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    await ca.next((f) => f.type === 'presence' && f.online.length === 2);
    cb.close();
    expect((await ca.next((f) => f.type === 'presence' && f.online.length === 1)).online).toEqual([a.id]);
    ca.close();
  });

  it('a hibernated room wakes with its sockets and their users', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    await ca.next((f) => f.type === 'presence' && f.online.length === 2);
    const stub = stubOf(`channel:${ch.id}`);
    await runInDurableObject(stub, (instance) => {
      (instance as unknown as { marker: number }).marker = 1;
    });
    await evictDurableObject(stub);
    // A fresh instance: the in-memory state is gone, the sockets are not.
    expect(await runInDurableObject(stub, (instance) => (instance as unknown as { marker?: number }).marker)).toBeUndefined();

    cb.send({ type: 'message', content: 'after hibernation', client_id: 'h1' });
    const [toA] = await ca.messages(1);
    expect(toA.message).toMatchObject({ sender: b.id, content: 'after hibernation' });
    expect(toA.client_id).toBe('h1');
    expect((await cb.messages(1))[0].message.id).toBe(toA.message.id);

    await evictDurableObject(stub);
    const rest = await postChannelMessage(a, ch.id, 'rest after hibernation');
    expect((await ca.messages(1))[0].message).toEqual(rest);
    expect((await cb.messages(1))[0].message).toEqual(rest);
    ca.send({ type: 'typing' });
    expect(await cb.next((f) => f.type === 'typing')).toEqual({ type: 'typing', user: a.id });
    ca.send('{"type": "ping"}');
    expect(await ca.next((f) => f.type !== 'presence' && f.type !== 'message')).toEqual({ type: 'pong' });
    const sockets = await runInDurableObject(stub, (_i, state) => state.getWebSockets().length);
    expect(sockets).toBe(2);
    ca.close();
    cb.close();
  });

  it('closes the socket of a member who is removed, and every socket of a deleted channel', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b, c]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    const cc = await join(channelWs(ch.id), c.token);
    await ca.next((f) => f.type === 'presence' && f.online.length === 3);
    expectStatus(await api(`/api/chat/channels/${ch.id}/remove_member/`, { token: a.token, body: { user_id: b.id } }), 200);
    expect((await cb.waitClosed()).code).toBe(4403);
    expect((await ca.next((f) => f.type === 'presence' && !f.online.includes(b.id))).online).toEqual(
      [a.id, c.id].sort((x, y) => x - y),
    );
    expectStatus(await api(`/api/chat/channels/${ch.id}/`, { method: 'DELETE', token: a.token }), 204);
    await ca.waitClosed();
    await cc.waitClosed();
  });

  it('refuses a socket message from a member removed while connected', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const cb = await join(channelWs(ch.id), b.token);
    // Remove the membership behind the room's back: the store itself re-checks membership.
    await env.DB.prepare('DELETE FROM chat_channel_members WHERE channel_id = ? AND user_id = ?').bind(ch.id, b.id).run();
    cb.send({ type: 'message', content: 'sneaky' });
    expect((await cb.nextReply()).detail).toMatch(/no longer post/);
    const list = await api(`/api/chat/channel-messages/?channel=${ch.id}`, { token: a.token });
    expect(list.json.count).toBe(0);
    cb.close();
  });

  it('a read frame moves the read position forward', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const m1 = await postChannelMessage(a, ch.id, 'one');
    await postChannelMessage(a, ch.id, 'two');
    const cb = await join(channelWs(ch.id), b.token);
    cb.send({ type: 'read', message_id: m1.id });
    cb.send('{"type": "ping"}');
    await cb.next((f) => f.type === 'pong');
    const unread = await api(`/api/chat/channels/${ch.id}/unread_count/`, { token: b.token });
    expect(unread.json).toEqual({ unread_count: 1 });
    cb.close();
  });
});

describe('live direct threads', { timeout: 20000 }, () => {
  it('exchanges direct messages and notifies the participant who is not connected', async () => {
    const [a, b] = [await makeUser(), await makeUser({ role: 'Customer' })];
    const thread = await makeThread(a, b);
    const stub = stubOf(`thread:${thread.id}`);
    const ca = await join(threadWs(thread.id), a.token);
    const sent = (await spyOnRoomEvents(stub)).events;

    ca.send({ type: 'message', content: 'are you there?', client_id: 'x' });
    const [own] = await ca.messages(1);
    expect(own.message).toMatchObject({ thread: thread.id, sender: a.id, content: 'are you there?' });
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toEqual({
      type: 'notification',
      id: `chat-thread-${own.message.id}-${b.id}`,
      recipient_id: b.id,
      actor_id: a.id,
      verb: 'sent you a message',
      url: `/chat/direct-threads/${thread.id}/`,
      target_type: 'direct_thread',
      target_id: thread.id,
    });

    // Once b is connected, messages reach b live and no notification is sent.
    const cb = await join(threadWs(thread.id), b.token);
    const rest = await api('/api/chat/direct-messages/', { token: a.token, body: { thread: thread.id, content: 'now live' } });
    expectStatus(rest, 201);
    expect((await cb.messages(1))[0].message).toEqual(rest.json);
    cb.send({ type: 'message', content: 'yes!' });
    expect((await ca.messages(2)).map((f) => f.message.content)).toEqual(['now live', 'yes!']);
    expect(sent.length).toBe(1);
    ca.close();
    cb.close();
  });

  it('a mention of a channel member who is not connected becomes a notification', async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const stub = stubOf(`channel:${ch.id}`);
    const ca = await join(channelWs(ch.id), a.token);
    const sent = (await spyOnRoomEvents(stub)).events;
    // c is not a member, a is the sender: only b is notified.
    ca.send({ type: 'message', content: `hey @${b.username} and @${c.username}, cc @${a.username}` });
    const [m] = await ca.messages(1);
    await expect.poll(() => sent.length).toBe(1);
    expect(sent[0]).toMatchObject({
      recipient_id: b.id,
      actor_id: a.id,
      verb: 'mentioned you',
      target_type: 'channel',
      target_id: ch.id,
    });
    expect(sent[0].id).toBe(`chat-channel-${m.message.id}-${b.id}`);
    ca.close();
  });
});
