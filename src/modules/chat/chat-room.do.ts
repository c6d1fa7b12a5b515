/**
 * One Durable Object per chat room (channel or direct thread), holding the room's WebSockets with
 * the Hibernation API: an idle room is evicted from memory while its sockets stay connected, and
 * wakes with them (each socket carries its user, room and token expiry in its attachment; the
 * next check is the object's alarm). Nothing else it keeps in memory needs to survive a wake-up.
 *
 * The object is the single writer of its room, with group commit: messages from sockets and from
 * REST (`post`) join a queue; while one D1 batch is being written, the messages that arrive wait
 * and are then stored together in the next batch (ids and order in arrival order), so throughput
 * grows with load instead of queueing one round trip per message. Each batch is broadcast in
 * stored order before the next one is written, and each sender is answered only once its message
 * is stored. Connecting with `since` replays the missed messages between two batches, so nothing
 * is lost or doubled between replay and live traffic.
 *
 * A socket lives no longer than its token and its user: the alarm closes sockets at their token's
 * expiry and re-checks every connected user's state every REVALIDATE_MS; a frame from an expired
 * token or a deactivated user is refused and closes the socket.
 */
import { logEvent } from '../../core/log';
import { DurableObject } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import type { OutboundEvent } from '../../core/events';
import type { Db } from '../../core/resource';
import type { Bindings } from '../../env';
import {
  CLOSE_FORBIDDEN,
  CLOSE_TOKEN_EXPIRED,
  MAX_FRAMES_PER_SECOND,
  MAX_SOCKETS_PER_ROOM,
  MAX_SOCKETS_PER_USER,
  parseClientFrame,
  type ServerFrame,
  type WireMessage,
} from './frames';
import {
  activeUserIds,
  leaseSocket,
  liveThread,
  markRead,
  mentionedMembers,
  messagesAfter,
  type NewAttachment,
  postRate,
  releaseSockets,
  signAttachments,
  type Room,
  type Stored,
  storeBatch,
  whyRefused,
} from './rooms';

/**
 * What each socket remembers across hibernation. `exp`: the token's expiry, epoch ms; `batch`:
 * the client reads `batch` frames (several messages in one frame).
 */
interface Attachment {
  sid: string;
  user: number;
  room: Room;
  exp: number;
  batch?: boolean;
  /** The Worker's origin, for the URLs of replayed attachments. */
  origin?: string;
}

/** What storing a message gave: the message, or why it was refused. */
export type PostResult =
  | { message: WireMessage }
  | { error: 'not_member' | 'inactive' | 'unavailable' }
  | { error: 'rate_limited'; retryAfter: number };

interface Pending {
  sender: number;
  content: string;
  clientId?: string;
  /** A file stored for the message (`create-with-file/`), attached in the message's batch. */
  file?: NewAttachment;
  /** The Worker's origin, for the attachment's signed URL. */
  origin?: string;
  at: number;
  done: (stored: Stored | { refused: 'unavailable' }) => void;
}

/** Messages per D1 batch (two statements each); a longer queue is written in several batches. */
const MAX_BATCH = 50;
/**
 * Under load a batch waits up to LINGER_MS after its first message for more: each batch is one D1
 * write and, to sockets that read `batch` frames, one frame, so fewer of both per message. A room
 * lingers only while messages arrive less than BUSY_GAP_MS apart (on average) and at least
 * LINGER_MIN_SOCKETS sockets read batch frames; otherwise a message is written at once.
 * Measured at 100 messages/s to 100 clients (`npm run bench -- --only=chat`, quiet machine): 20 ms
 * gives p50/p99 delivery of 20/36-38 ms at 2.4-2.6 ms CPU per message (2.7 messages per write);
 * 10 ms gave 15/28 ms at 2.7 ms (1.6 per write), but 4.3 ms CPU per message in a full bench run:
 * 20 ms keeps the CPU target with room to spare.
 */
const LINGER_MS = 20;
const BUSY_GAP_MS = 40;
const LINGER_MIN_SOCKETS = 10;
/** Presence changes within this window go out as one frame (a reconnect storm is not n² frames). */
const PRESENCE_DEBOUNCE_MS = 25;
/** Replayed messages per `batch` frame. */
const REPLAY_CHUNK = 100;
/** How often the alarm re-checks the users of open sockets (deactivation reaches a room this soon at the latest). */
export const REVALIDATE_MS = 60_000;
const PING = JSON.stringify({ type: 'ping' });
const PONG = JSON.stringify({ type: 'pong' });

const json = (status: number, detail: string) =>
  new Response(JSON.stringify({ detail }), { status, headers: { 'content-type': 'application/json' } });

export class ChatRoom extends DurableObject<Bindings> {
  private readonly db: Db;
  /** Runs connects and batches one after another: a replay never interleaves with a broadcast. */
  private lock: Promise<unknown> = Promise.resolve();
  /** Messages waiting for the next batch, in arrival order. */
  private pending: Pending[] = [];
  private flushing = false;
  /** Frames per socket in the current one-second window (lost on hibernation, which is harmless). */
  private readonly rates = new Map<string, { start: number; count: number }>();
  /** Attachments already read (rebuilt from the sockets after a wake-up). */
  private readonly attachments = new WeakMap<WebSocket, Attachment>();
  private threadUsers?: [number, number];
  /** Moving average of the time between arriving messages (ms), and the last arrival. */
  private gap = 1000;
  private lastArrival = 0;
  /** Sockets going away since the last presence frame, and whether one is scheduled. */
  private readonly leaving = new Set<WebSocket>();
  private presenceTimer?: ReturnType<typeof setTimeout>;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.db = drizzle(env.DB);
    // A bare ping is answered by the runtime without waking the room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Runs `task` after every task queued before it (failures do not block the queue). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private attachmentOf(ws: WebSocket): Attachment | undefined {
    let att = this.attachments.get(ws);
    if (!att) {
      att = (ws.deserializeAttachment() as Attachment | null) ?? undefined;
      if (att) this.attachments.set(ws, att);
    }
    return att;
  }

  /**
   * Accepts a socket. The Worker has already authenticated the user and checked that they may
   * read the room; it passes `kind`, `id`, `user`, `exp` (the token's expiry, epoch seconds) and
   * optionally `since` as query parameters. 429 when the user holds too many sockets.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket')
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    const url = new URL(request.url);
    const kind = url.searchParams.get('kind');
    const id = Number(url.searchParams.get('id'));
    const user = Number(url.searchParams.get('user'));
    const exp = Number(url.searchParams.get('exp')) * 1000;
    const sinceRaw = url.searchParams.get('since');
    const batch = url.searchParams.get('batch') === '1';
    const origin = url.searchParams.get('origin') ?? undefined;
    if (
      (kind !== 'channel' && kind !== 'thread') ||
      !Number.isSafeInteger(id) ||
      !Number.isSafeInteger(user) ||
      !Number.isSafeInteger(exp)
    )
      return new Response('Bad room', { status: 400 });
    if (exp <= Date.now()) return json(401, 'Token is invalid or expired');
    const room: Room = { kind, id };
    const sid = crypto.randomUUID();
    if (!(await leaseSocket(this.env.DB, { sid, user, room, expiresAt: exp })))
      return json(429, `Too many open chat connections: at most ${MAX_SOCKETS_PER_USER} per user.`);
    return this.serial(async () => {
      const mine = this.ctx.getWebSockets(`user:${user}`).filter((ws) => ws.readyState === WebSocket.OPEN).length;
      if (mine >= MAX_SOCKETS_PER_ROOM) {
        await releaseSockets(this.env.DB, [sid]);
        return json(429, `Too many open connections to this room: at most ${MAX_SOCKETS_PER_ROOM} per user.`);
      }
      const { 0: client, 1: server } = new WebSocketPair();
      this.ctx.acceptWebSocket(server, batch ? [`user:${user}`, 'batch'] : [`user:${user}`]);
      const attachment: Attachment = { sid, user, room, exp, ...(batch && { batch }), ...(origin && { origin }) };
      server.serializeAttachment(attachment);
      this.attachments.set(server, attachment);
      await this.armAlarm(exp);
      if (sinceRaw !== null) await this.replay(server, attachment, Number(sinceRaw));
      this.schedulePresence();
      logEvent(this.env, 'room join', {
        room: `${kind}:${id}`,
        userId: user,
        replay: sinceRaw !== null,
        sockets: this.ctx.getWebSockets().length,
      });
      return new Response(null, { status: 101, webSocket: client });
    });
  }

  /** Sends the room's messages stored after `since` to one socket, oldest first (the newest REPLAY_LIMIT). */
  private async replay(ws: WebSocket, me: Attachment, since: number) {
    const replayed = await messagesAfter(this.db, me.room, since);
    const { truncated } = replayed;
    // Attachment URLs signed for the room's members (a socket's user may read its room's files).
    const messages = me.origin ? await signAttachments({ env: this.env, url: me.origin }, replayed.messages) : replayed.messages;
    if (truncated && messages.length) this.send(ws, { type: 'truncated', before: messages[0].id });
    const frames = messages.map((message) => JSON.stringify({ type: 'message', message } satisfies ServerFrame));
    try {
      if (!me.batch) for (const text of frames) ws.send(text);
      else for (let i = 0; i < frames.length; i += REPLAY_CHUNK) ws.send(batchFrame(frames.slice(i, i + REPLAY_CHUNK)));
    } catch {
      // closing
    }
  }

  /**
   * Stores a message posted over REST and broadcasts it (RPC from the Worker); `file`, a stored
   * upload, is attached in the message's own batch and goes out with it, its URL signed for `origin`.
   */
  async post(room: Room, sender: number, content: string, file?: NewAttachment, origin?: string): Promise<PostResult> {
    const result = await this.store(room, sender, content, undefined, file, origin);
    if ('message' in result) await this.notifyAbsent(room, sender, result.message);
    return result;
  }

  /**
   * Tells the room's sockets that a file was attached to one of its messages (`upload_attachment/`;
   * RPC from the Worker once the attachment is stored): an `attachment` frame, in order with the
   * room's message frames. `attachment.file` is already a signed URL.
   */
  async attached(messageId: number, attachment: WireMessage['attachments'][number]): Promise<void> {
    await this.serial(async () => this.broadcast({ type: 'attachment', message_id: messageId, attachment }));
  }

  /**
   * Closes the sockets of one user (removed from a channel, left it, cut off) or of everyone (the
   * room was deleted), then tells the others who is still online (RPC from the Worker).
   */
  async disconnect(user?: number, reason?: string): Promise<number> {
    const sockets = user === undefined ? this.ctx.getWebSockets() : this.ctx.getWebSockets(`user:${user}`);
    await this.closeSockets(
      sockets,
      CLOSE_FORBIDDEN,
      reason ?? (user === undefined ? 'The room was deleted.' : 'You no longer belong to this room.'),
    );
    return sockets.length;
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const me = this.attachmentOf(ws);
    if (!me) return;
    if (me.exp <= Date.now()) {
      await this.closeSockets([ws], CLOSE_TOKEN_EXPIRED, 'Token expired.');
      return;
    }
    if (this.overRate(me.sid)) {
      this.send(ws, { type: 'error', detail: `Too many frames: at most ${MAX_FRAMES_PER_SECOND} per second.` });
      return;
    }
    const frame = parseClientFrame(raw);
    if ('error' in frame) {
      this.send(ws, { type: 'error', detail: frame.error });
      return;
    }
    if (frame.type === 'message') {
      const result = await this.store(me.room, me.user, frame.content, frame.client_id);
      if ('message' in result) {
        await this.notifyAbsent(me.room, me.user, result.message);
        return;
      }
      if (result.error === 'inactive') await this.closeSockets([ws], CLOSE_FORBIDDEN, 'User is inactive.');
      else this.send(ws, { type: 'error', detail: refusal(result) });
      return;
    }
    // Message frames are checked by the store itself; every other frame checks the user here.
    if (!(await activeUserIds(this.env.DB, [me.user])).has(me.user)) {
      await this.closeSockets([ws], CLOSE_FORBIDDEN, 'User is inactive.');
      return;
    }
    switch (frame.type) {
      case 'ping':
        this.send(ws, { type: 'pong' });
        return;
      case 'typing':
        this.broadcast({ type: 'typing', user: me.user }, ws);
        return;
      case 'read': {
        const at = await markRead(this.db, me.room, me.user, frame.message_id);
        if (at === 'not_found') this.send(ws, { type: 'error', detail: 'Message not found.' });
        return;
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    const me = this.attachmentOf(ws);
    logEvent(this.env, 'room leave', { room: me && `${me.room.kind}:${me.room.id}`, userId: me?.user ?? null, code });
    await this.forget([ws]);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // the runtime already answered the close
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.forget([ws]);
  }

  /**
   * Closes sockets whose token expired, and those of users who are no longer active (one query
   * for all of them); then sets the next alarm while sockets remain.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const expired: WebSocket[] = [];
    const live: [WebSocket, Attachment][] = [];
    for (const ws of this.ctx.getWebSockets()) {
      const att = this.attachmentOf(ws);
      if (!att) continue;
      if (att.exp <= now) expired.push(ws);
      else live.push([ws, att]);
    }
    await this.closeSockets(expired, CLOSE_TOKEN_EXPIRED, 'Token expired.');
    const active = await activeUserIds(this.env.DB, [...new Set(live.map(([, att]) => att.user))]);
    await this.closeSockets(
      live.filter(([, att]) => !active.has(att.user)).map(([ws]) => ws),
      CLOSE_FORBIDDEN,
      'User is inactive.',
    );
    await this.armAlarm();
  }

  /**
   * Sets the alarm at the earliest of: `exp` (a socket just opened), the earliest token expiry of
   * the open sockets, and the next revalidation. No sockets, no alarm.
   */
  private async armAlarm(exp?: number) {
    const now = Date.now();
    let next = exp ?? Number.POSITIVE_INFINITY;
    if (exp === undefined) {
      for (const ws of this.ctx.getWebSockets()) {
        const att = this.attachmentOf(ws);
        if (att && ws.readyState === WebSocket.OPEN) next = Math.min(next, att.exp);
      }
      if (next === Number.POSITIVE_INFINITY) return;
    }
    next = Math.min(next, now + REVALIDATE_MS);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next) await this.ctx.storage.setAlarm(next);
  }

  /** Closes sockets with a code and reason, releases their leases and tells the others. */
  private async closeSockets(sockets: WebSocket[], code: number, reason: string) {
    if (!sockets.length) return;
    const first = this.attachmentOf(sockets[0]);
    logEvent(this.env, 'room close', {
      room: first && `${first.room.kind}:${first.room.id}`,
      users: [...new Set(sockets.map((ws) => this.attachmentOf(ws)?.user))],
      sockets: sockets.length,
      code,
    });
    for (const ws of sockets) {
      try {
        ws.close(code, reason);
      } catch {
        // already closing
      }
    }
    await this.forget(sockets);
  }

  /** Forgets closed sockets: their rate windows and leases; presence for the others. */
  private async forget(sockets: WebSocket[]) {
    const sids: string[] = [];
    for (const ws of sockets) {
      this.leaving.add(ws);
      const me = this.attachmentOf(ws);
      if (!me) continue;
      this.rates.delete(me.sid);
      sids.push(me.sid);
    }
    this.schedulePresence();
    try {
      await releaseSockets(this.env.DB, sids);
    } catch (err) {
      // The lease expires with the token anyway.
      console.error(JSON.stringify({ level: 'error', msg: 'chat lease release failed', error: String(err) }));
    }
  }

  /** Queues a message for the next batch; resolves once it is stored and broadcast (or refused). */
  private async store(
    room: Room,
    sender: number,
    content: string,
    clientId?: string,
    file?: NewAttachment,
    origin?: string,
  ): Promise<PostResult> {
    const at = Date.now();
    this.gap = 0.8 * this.gap + 0.2 * Math.min(1000, at - this.lastArrival);
    this.lastArrival = at;
    const stored = await new Promise<Stored | { refused: 'unavailable' }>((done) => {
      this.pending.push({ sender, content, clientId, file, origin, at, done });
      if (!this.flushing) void this.flush(room);
    });
    if ('message' in stored) return stored;
    if (stored.refused === 'rate_limited') return { error: 'rate_limited', retryAfter: stored.retryAfter };
    if (stored.refused === 'unavailable') return { error: 'unavailable' };
    return { error: await whyRefused(this.db, sender) };
  }

  /** Writes the queue in batches until it is empty: what arrives during a write goes into the next batch. */
  private async flush(room: Room) {
    this.flushing = true;
    try {
      while (this.pending.length) {
        const wait = this.linger();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        await this.serial(() => this.commit(room, this.pending.splice(0, MAX_BATCH)));
      }
    } finally {
      this.flushing = false;
    }
  }

  /** How long the next batch waits for more messages (see LINGER_MS). */
  private linger(): number {
    if (this.gap >= BUSY_GAP_MS || this.pending.length >= MAX_BATCH) return 0;
    if (this.ctx.getWebSockets('batch').length < LINGER_MIN_SOCKETS) return 0;
    return Math.max(0, this.pending[0].at + LINGER_MS - Date.now());
  }

  /** Stores one batch (one D1 round trip), broadcasts what was stored in order, then answers the senders. */
  private async commit(room: Room, batch: Pending[]) {
    let results: Stored[];
    try {
      results = await storeBatch(this.env.DB, room, batch, postRate(this.env));
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'chat batch failed', room, size: batch.length, error: String(err) }));
      for (const p of batch) p.done({ refused: 'unavailable' });
      return;
    }
    // A posted file's URL, signed for the poster's origin (every socket of the room may read it).
    await Promise.all(
      results.map(async (r, i) => {
        const origin = batch[i].origin;
        if ('message' in r && origin) [r.message] = await signAttachments({ env: this.env, url: origin }, [r.message]);
      }),
    );
    const frames: string[] = [];
    results.forEach((r, i) => {
      if (!('message' in r)) return;
      const clientId = batch[i].clientId;
      const frame: ServerFrame =
        clientId === undefined
          ? { type: 'message', message: r.message }
          : { type: 'message', message: r.message, client_id: clientId };
      frames.push(JSON.stringify(frame));
    });
    this.sendAll(frames);
    for (const [i, r] of results.entries()) batch[i].done(r);
  }

  /**
   * Sends frames, each serialised once, to every open socket in order (closing sockets are
   * skipped): one by one, or as one `batch` frame to sockets that read them.
   */
  private sendAll(frames: string[], except?: WebSocket) {
    if (!frames.length) return;
    const combined = frames.length > 1 ? batchFrame(frames) : frames[0];
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
      try {
        if (this.attachmentOf(ws)?.batch) ws.send(combined);
        else for (const text of frames) ws.send(text);
      } catch {
        // closing; its close event cleans up
      }
    }
  }

  private overRate(sid: string): boolean {
    const now = Date.now();
    const rate = this.rates.get(sid);
    if (!rate || now - rate.start >= 1000) {
      this.rates.set(sid, { start: now, count: 1 });
      return false;
    }
    rate.count += 1;
    return rate.count > MAX_FRAMES_PER_SECOND;
  }

  private send(ws: WebSocket, frame: ServerFrame) {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // the socket is closing; its close event cleans up
    }
  }

  /** Sends a frame to every open socket of the room (but `except`). */
  private broadcast(frame: ServerFrame, except?: WebSocket) {
    this.sendAll([JSON.stringify(frame)], except);
  }

  /** The users with an open socket, leaving out sockets that are going away. */
  private online(leaving?: Set<WebSocket>): number[] {
    const ids = new Set<number>();
    for (const ws of this.ctx.getWebSockets()) {
      if (leaving?.has(ws) || ws.readyState !== WebSocket.OPEN) continue;
      const att = this.attachmentOf(ws);
      if (att) ids.add(att.user);
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** Tells everyone who is online, once for all the joins and leaves of the next few milliseconds. */
  private schedulePresence() {
    this.presenceTimer ??= setTimeout(() => {
      this.presenceTimer = undefined;
      const leaving = new Set(this.leaving);
      this.leaving.clear();
      const text = JSON.stringify({ type: 'presence', online: this.online(leaving) } satisfies ServerFrame);
      for (const ws of this.ctx.getWebSockets()) {
        if (leaving.has(ws) || ws.readyState !== WebSocket.OPEN) continue;
        try {
          ws.send(text);
        } catch {
          // closing
        }
      }
    }, PRESENCE_DEBOUNCE_MS);
  }

  private isConnected(user: number) {
    return this.ctx.getWebSockets(`user:${user}`).some((ws) => ws.readyState === WebSocket.OPEN);
  }

  /**
   * A direct message for a participant who is not connected, or a mention of a channel member who
   * is not connected, becomes a notification event. Failures are logged: the message is stored.
   */
  private async notifyAbsent(room: Room, sender: number, message: WireMessage) {
    try {
      let recipients: number[];
      if (room.kind === 'thread') {
        if (!this.threadUsers) {
          const thread = await liveThread(this.db, room.id);
          if (!thread) return;
          this.threadUsers = [thread.user_1, thread.user_2];
        }
        recipients = this.threadUsers.filter((u) => u !== sender);
      } else {
        if (!message.content.includes('@')) return;
        recipients = (await mentionedMembers(this.db, room.id, message.content)).filter((u) => u !== sender);
      }
      const events: OutboundEvent[] = recipients
        .filter((u) => !this.isConnected(u))
        .map((recipient) => ({
          type: 'notification',
          id: `chat-${room.kind}-${message.id}-${recipient}`,
          recipient_id: recipient,
          actor_id: sender,
          verb: room.kind === 'thread' ? 'sent you a message' : 'mentioned you',
          url: room.kind === 'thread' ? `/chat/direct-threads/${room.id}/` : `/chat/channels/${room.id}/`,
          target_type: room.kind === 'thread' ? 'direct_thread' : 'channel',
          target_id: room.id,
        }));
      if (events.length) await this.env.NOTIFICATIONS.sendBatch(events.map((body) => ({ body })));
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', msg: 'chat notification failed', room, error: String(err) }));
    }
  }
}

/** Several message frames (each serialised once) as one frame. */
const batchFrame = (frames: string[]) => `{"type":"batch","frames":[${frames.join(',')}]}`;

/** The error frame's text for a refused socket message. */
function refusal(result: Exclude<PostResult, { message: WireMessage }>): string {
  switch (result.error) {
    case 'rate_limited':
      return `Too many messages: try again in ${result.retryAfter} seconds.`;
    case 'unavailable':
      return 'The message could not be stored; send it again.';
    default:
      return 'You can no longer post in this room.';
  }
}
