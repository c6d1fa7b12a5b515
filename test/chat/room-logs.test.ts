/**
 * Observability of chat rooms (issue 19): one JSON line when a socket joins a room and one when it
 * leaves, with the room, the user id and counts only — never the token or a message's text. The
 * suite runs with LOG_EVENTS=off; this test turns it on inside one room's Durable Object.
 */
import { runInDurableObject } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { join, makeChannel, stubOf } from '../helpers/chat';
import { makeUser } from '../helpers';

afterEach(() => vi.restoreAllMocks());

const roomLines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls
    .map((args) => String(args[0]))
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .filter((l) => String(l.msg).startsWith('room '));

describe('room event logs', { timeout: 20000 }, () => {
  it('a join and a leave write one line each (room, user id, counts), without the token or the message text', async () => {
    const a = await makeUser();
    const ch = await makeChannel(a);
    const stub = stubOf(`channel:${ch.id}`);
    await runInDurableObject(stub, (instance) => {
      // `env` is the room's own copy of the bindings: switch its event logs on for this room only.
      const room = instance as unknown as { env: Record<string, unknown> };
      room.env = { ...room.env, LOG_EVENTS: 'on' };
    });
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    const client = await join(`/api/chat/channels/${ch.id}/ws/`, a.token);
    client.send({ type: 'message', content: 'a secret message text', client_id: 'l1' });
    await client.messages(1);
    client.close();
    await vi.waitFor(() => expect(roomLines(spy).map((l) => l.msg)).toContain('room leave'), { timeout: 5000 });
    const lines = roomLines(spy);
    const text = spy.mock.calls.map((args) => String(args[0])).join('\n');
    expect(
      lines.find((l) => l.msg === 'room join'),
      text,
    ).toMatchObject({
      level: 'info',
      room: `channel:${ch.id}`,
      userId: a.id,
      replay: false,
      sockets: 1,
    });
    expect(
      lines.find((l) => l.msg === 'room leave'),
      text,
    ).toMatchObject({ room: `channel:${ch.id}`, userId: a.id });
    expect(
      lines.filter((l) => l.msg === 'room join'),
      text,
    ).toHaveLength(1);
    expect(text).not.toContain(a.token);
    expect(text).not.toContain('a secret message text');
  });
});
