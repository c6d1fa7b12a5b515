/**
 * Chat: rooms built through the REST API, and real WebSockets opened against the
 * Worker with a frame inbox that tests read in order.
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import type { ChatRoom } from '../../src/modules/chat/chat-room.do';
import { spyEvents } from './events';
import { eventually } from './eventually';
import { api, BASE, expectStatus } from './http';
import type { TestUser } from './users';

/** A channel's WebSocket path. */
export const channelWs = (id: number) => `/api/chat/channels/${id}/ws/`;
/** A direct thread's WebSocket path. */
export const threadWs = (id: number) => `/api/chat/direct-threads/${id}/ws/`;

/** The room Durable Object of `channel:<id>` or `thread:<id>`. */
export const stubOf = (name: string) => env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(name)) as DurableObjectStub<ChatRoom>;

/** Records what a room publishes on NOTIFICATIONS from now on, instead of sending it (the events spy, inside the room). */
export async function spyOnRoomEvents(stub: DurableObjectStub<ChatRoom>) {
  const spy = spyEvents();
  await runInDurableObject(stub, (instance) => {
    // The room's env is private to the class: reach it as the instance's own property.
    const room = instance as unknown as { env: Record<string, unknown> };
    room.env = new Proxy(room.env, { get: (t, p) => (p === 'NOTIFICATIONS' ? spy.queue : t[p as string]) });
  });
  return spy;
}

/** Creates a channel as `owner` and adds `members` through add_member. */
export async function makeChannel(owner: TestUser, members: TestUser[] = [], body: Record<string, unknown> = {}) {
  const res = await api('/api/chat/channels/', {
    token: owner.token,
    body: { name: `room-${crypto.randomUUID().slice(0, 8)}`, type: 'public', ...body },
  });
  expectStatus(res, 201);
  for (const m of members) {
    const add = await api(`/api/chat/channels/${res.json.id}/add_member/`, { token: owner.token, body: { user_id: m.id } });
    expectStatus(add, 201);
  }
  return res.json as { id: number; is_private: boolean; type: string; members: { user: number; is_admin: boolean }[] };
}

export async function makeThread(a: TestUser, b: TestUser) {
  const res = await api('/api/chat/direct-threads/', { token: a.token, body: { user_2: b.id } });
  if (res.status !== 201 && res.status !== 200) expectStatus(res, 201);
  return res.json as { id: number; user_1: number; user_2: number; messages: unknown[] };
}

export async function postChannelMessage(u: TestUser, channel: number, content: string) {
  const res = await api('/api/chat/channel-messages/', { token: u.token, body: { channel, content } });
  expectStatus(res, 201);
  return res.json;
}

type Frame = Record<string, any>;

/**
 * A connected socket: `next()` returns frames in arrival order, failing after `waitMs` instead of
 * hanging. `batch` frames are unpacked into `frames`; `raw` keeps the frames as they came.
 */
export class Client {
  readonly frames: Frame[] = [];
  readonly raw: Frame[] = [];
  private cursor = 0;
  private wake?: () => void;
  closed?: { code: number; reason: string };

  constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (e) => {
      const frame = JSON.parse(typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data as ArrayBuffer));
      this.raw.push(frame);
      if (frame.type === 'batch') this.frames.push(...frame.frames);
      else this.frames.push(frame);
      this.wake?.();
    });
    ws.addEventListener('close', (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.wake?.();
    });
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame matching `pred` (frames before it are skipped). */
  async next(pred: (f: Frame) => boolean = () => true, waitMs = 5000): Promise<Frame> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const f = this.frames[this.cursor++];
        if (pred(f)) return f;
      }
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  }

  /** The next frame that is not presence or typing. */
  nextReply(waitMs?: number) {
    return this.next((f) => f.type !== 'presence' && f.type !== 'typing', waitMs);
  }

  /** The next `n` message frames. */
  async messages(n: number): Promise<Frame[]> {
    const out: Frame[] = [];
    while (out.length < n) out.push(await this.next((f) => f.type === 'message'));
    return out;
  }

  /** Waits for the server to close the socket. */
  waitClosed(waitMs = 5000) {
    return eventually(() => this.closed, { timeoutMs: waitMs, intervalMs: 20, message: 'socket not closed' });
  }

  close() {
    try {
      this.ws.close(1000, 'done');
    } catch {
      // already closed
    }
  }
}

/** Opens a room socket; returns the response when the upgrade is refused. */
export async function connect(
  path: string,
  opts: { token?: string; since?: number; batch?: boolean; headers?: Record<string, string> } = {},
) {
  const url = new URL(`${BASE}${path}`);
  if (opts.token) url.searchParams.set('token', opts.token);
  if (opts.since !== undefined) url.searchParams.set('since', String(opts.since));
  if (opts.batch) url.searchParams.set('batch', '1');
  const res = await SELF.fetch(url.toString(), { headers: { Upgrade: 'websocket', ...(opts.headers ?? {}) } });
  if (res.status !== 101 || !res.webSocket) {
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined, client: undefined, headers: res.headers };
  }
  res.webSocket.accept();
  return { status: 101, text: '', json: undefined, client: new Client(res.webSocket), headers: res.headers };
}

/** Opens a socket that must be accepted. */
export async function join(path: string, token: string, since?: number, batch?: boolean) {
  const res = await connect(path, { token, since, batch });
  expectStatus(res, 101);
  return res.client!;
}
