/**
 * Issue 14, finding 9: a room socket lives no longer than its token and its user. The room closes
 * it at the token's expiry (its alarm), refuses a frame that arrives after it, closes the sockets
 * of a deactivated user on their next frame or at the next revalidation, and `closeUserSockets`
 * reaches every room of a user at once.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/core/jwt';
import { closeUserSockets } from '../../src/modules/chat/rooms';
import { channelWs, connect, join, makeChannel, makeThread, stubOf, threadWs } from '../helpers/chat';
import { makeUser, type TestUser } from '../helpers';

/** An access token for `user` that expires in `seconds`. */
async function shortToken(user: TestUser, seconds: number) {
  const secret = (env as unknown as { JWT_SECRET: string }).JWT_SECRET;
  const row = await env.DB.prepare('SELECT role, token_version FROM users WHERE id = ?')
    .bind(user.id)
    .first<{ role: 'Admin' | 'Staff' | 'Customer'; token_version: number }>();
  const claims = { user_id: user.id, uid: user.uuid, role: row!.role, tv: row!.token_version };
  return (await signToken(secret, 'access', claims, seconds)).token;
}

const deactivate = (user: TestUser) => env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(user.id).run();
const countMessages = async (channel: number) =>
  (
    await env.DB.prepare('SELECT count(*) AS n FROM chat_channel_messages WHERE channel_id = ?')
      .bind(channel)
      .first<{ n: number }>()
  )?.n;

describe('sockets end with their token', { timeout: 30000 }, () => {
  it("the room closes a socket (4401) when its token expires, and keeps the others' sockets", async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const short = await join(channelWs(ch.id), await shortToken(a, 2));
    const long = await join(channelWs(ch.id), b.token);
    const closed = await short.waitClosed(6000);
    expect(closed.code).toBe(4401);
    expect(closed.reason).toBe('Token expired.');
    expect(long.closed).toBeUndefined();
    expect((await long.next((f) => f.type === 'presence' && !f.online.includes(a.id))).online).toEqual([b.id]);
    long.close();
  });

  it('a frame sent after the token expired is refused and closes the socket, even before the alarm', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const c = await join(channelWs(ch.id), await shortToken(a, 1));
    // Take the alarm away: only the frame check is left.
    await runInDurableObject(stubOf(`channel:${ch.id}`), (_i, state) => state.storage.deleteAlarm());
    await new Promise((r) => setTimeout(r, 1500));
    c.send({ type: 'message', content: 'too late' });
    expect((await c.waitClosed()).code).toBe(4401);
    expect(await countMessages(ch.id)).toBe(0);
  });

  it('a token that expired before the upgrade is refused with 401', async () => {
    const a = await makeUser();
    const ch = await makeChannel(a);
    const token = await shortToken(a, -5);
    const res = await connect(channelWs(ch.id), { token });
    expect(res.status, res.text).toBe(401);
  });
});

describe('sockets end with their user', { timeout: 30000 }, () => {
  it("a deactivated user's next message frame is refused and their socket closed (4403); nothing is stored", async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    await deactivate(b);
    cb.send({ type: 'message', content: 'from beyond', client_id: 'ghost' });
    const closed = await cb.waitClosed();
    expect(closed.code).toBe(4403);
    expect(closed.reason).toBe('User is inactive.');
    expect(await countMessages(ch.id)).toBe(0);
    expect(ca.frames.some((f) => f.type === 'message')).toBe(false);
    ca.close();
  });

  it("a deactivated user's next typing or read frame closes their socket too", async () => {
    const [a, b, c] = [await makeUser(), await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b, c]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    const cc = await join(channelWs(ch.id), c.token);
    await deactivate(b);
    await deactivate(c);
    cb.send({ type: 'typing' });
    cc.send({ type: 'read', message_id: 1 });
    expect((await cb.waitClosed()).code).toBe(4403);
    expect((await cc.waitClosed()).code).toBe(4403);
    expect(ca.frames.some((f) => f.type === 'typing')).toBe(false);
    ca.close();
  });

  it("the room's revalidation alarm closes the idle sockets of a deactivated user", async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch = await makeChannel(a, [b]);
    const ca = await join(channelWs(ch.id), a.token);
    const cb = await join(channelWs(ch.id), b.token);
    await deactivate(b);
    expect(await runDurableObjectAlarm(stubOf(`channel:${ch.id}`))).toBe(true);
    expect((await cb.waitClosed()).code).toBe(4403);
    expect(ca.closed).toBeUndefined();
    // The alarm is set again for the sockets that remain.
    const next = await runInDurableObject(stubOf(`channel:${ch.id}`), (_i, state) => state.storage.getAlarm());
    expect(next).not.toBeNull();
    ca.close();
  });

  it('closeUserSockets reaches every room where the user has a socket, and only that user', async () => {
    const [a, b] = [await makeUser(), await makeUser()];
    const ch1 = await makeChannel(a, [b]);
    const ch2 = await makeChannel(b, [a]);
    const thread = await makeThread(a, b);
    const mine = [
      await join(channelWs(ch1.id), a.token),
      await join(channelWs(ch2.id), a.token),
      await join(threadWs(thread.id), a.token),
    ];
    const theirs = await join(channelWs(ch1.id), b.token);
    expect(await closeUserSockets(env as never, a.id)).toBe(3);
    for (const c of mine) expect((await c.waitClosed()).code).toBe(4403);
    expect(theirs.closed).toBeUndefined();
    theirs.close();
  });
});
