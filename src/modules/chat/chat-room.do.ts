/**
 * One Durable Object per chat room (channel or direct thread), holding the room's WebSockets with
 * the Hibernation API: an idle room is evicted from memory while its sockets stay connected, and
 * wakes with them (each socket carries its user in its attachment).
 *
 * The object is the single writer of its room: messages from sockets and from REST (`post`) are
 * stored in D1 and broadcast one at a time, in one queue, so every participant receives every
 * message once, in the order the room stored them. Connecting with `since` replays the missed
 * messages inside the same queue, so nothing is lost or doubled between replay and live traffic.
 */
import { DurableObject } from 'cloudflare:workers';
import { drizzle } from 'drizzle-orm/d1';
import type { OutboundEvent } from '../../core/events';
import type { Db } from '../../core/resource';
import type { Bindings } from '../../env';
import { MAX_FRAMES_PER_SECOND, parseClientFrame, type ServerFrame, type WireMessage } from './frames';
import { liveThread, markRead, mentionedMembers, messagesAfter, storeMessage, type Room } from './rooms';

/** What each socket remembers across hibernation. */
interface Attachment {
  sid: string;
  user: number;
  room: Room;
}

/** What `post` answers: the stored message, or why it was refused. */
export type PostResult = { message: WireMessage } | { error: 'not_member' };

const REPLAY_BATCH = 500;
const PING = JSON.stringify({ type: 'ping' });
const PONG = JSON.stringify({ type: 'pong' });

export class ChatRoom extends DurableObject<Bindings> {
  private readonly db: Db;
  /** The room's write queue: each task starts when the previous one finished. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Frames per socket in the current one-second window (lost on hibernation, which is harmless). */
  private readonly rates = new Map<string, { start: number; count: number }>();
  private threadUsers?: [number, number];

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.db = drizzle(env.DB);
    // A bare ping is answered by the runtime without waking the room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Runs `task` after every task queued before it (failures do not block the queue). */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Accepts a socket. The Worker has already authenticated the user and checked that they may
   * read the room; it passes `room`, `user` and optionally `since` as query parameters.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket')
      return new Response('Expected a WebSocket upgrade', { status: 426 });
    const url = new URL(request.url);
    const kind = url.searchParams.get('kind');
    const id = Number(url.searchParams.get('id'));
    const user = Number(url.searchParams.get('user'));
    const sinceRaw = url.searchParams.get('since');
    if ((kind !== 'channel' && kind !== 'thread') || !Number.isSafeInteger(id) || !Number.isSafeInteger(user))
      return new Response('Bad room', { status: 400 });
    const room: Room = { kind, id };
    const { 0: client, 1: server } = new WebSocketPair();
    await this.serial(async () => {
      this.ctx.acceptWebSocket(server, [`user:${user}`]);
      const attachment: Attachment = { sid: crypto.randomUUID(), user, room };
      server.serializeAttachment(attachment);
      if (sinceRaw !== null) await this.replay(server, room, Number(sinceRaw));
      this.broadcastPresence();
    });
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends the room's messages stored after `since` to one socket, oldest first. */
  private async replay(ws: WebSocket, room: Room, since: number) {
    let after = since;
    for (;;) {
      const batch = await messagesAfter(this.db, room, after, REPLAY_BATCH);
      for (const message of batch) this.send(ws, { type: 'message', message });
      if (batch.length < REPLAY_BATCH) return;
      after = batch[batch.length - 1].id;
    }
  }

  /** Stores a message posted over REST and broadcasts it (RPC from the Worker). */
  async post(room: Room, sender: number, content: string): Promise<PostResult> {
    const message = await this.store(room, sender, content);
    if (!message) return { error: 'not_member' };
    await this.notifyAbsent(room, sender, message);
    return { message };
  }

  /**
   * Closes the sockets of one user (removed from a channel, left it) or of everyone (the room
   * was deleted), then tells the others who is still online (RPC from the Worker).
   */
  async disconnect(user?: number): Promise<number> {
    const sockets = user === undefined ? this.ctx.getWebSockets() : this.ctx.getWebSockets(`user:${user}`);
    for (const ws of sockets) {
      try {
        ws.close(4403, user === undefined ? 'The room was deleted.' : 'You no longer belong to this room.');
      } catch {
        // already closing
      }
    }
    this.broadcastPresence(new Set(sockets));
    return sockets.length;
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const me = ws.deserializeAttachment() as Attachment | null;
    if (!me) return;
    if (this.overRate(me.sid)) {
      this.send(ws, { type: 'error', detail: `Too many frames: at most ${MAX_FRAMES_PER_SECOND} per second.` });
      return;
    }
    const frame = parseClientFrame(raw);
    if ('error' in frame) {
      this.send(ws, { type: 'error', detail: frame.error });
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
      case 'message': {
        const message = await this.store(me.room, me.user, frame.content, frame.client_id);
        if (!message) {
          this.send(ws, { type: 'error', detail: 'You can no longer post in this room.' });
          return;
        }
        await this.notifyAbsent(me.room, me.user, message);
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.forget(ws);
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // the runtime already answered the close
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.forget(ws);
  }

  private forget(ws: WebSocket) {
    const me = ws.deserializeAttachment() as Attachment | null;
    if (me) this.rates.delete(me.sid);
    this.broadcastPresence(new Set([ws]));
  }

  /** Stores then broadcasts, in the room's queue: stored order is delivery order. */
  private store(room: Room, sender: number, content: string, clientId?: string): Promise<WireMessage | undefined> {
    return this.serial(async () => {
      const message = await storeMessage(this.db, room, sender, content);
      if (message)
        this.broadcast(clientId === undefined ? { type: 'message', message } : { type: 'message', message, client_id: clientId });
      return message;
    });
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
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
      try {
        ws.send(text);
      } catch {
        // closing
      }
    }
  }

  /** The users with an open socket, leaving out sockets that are going away. */
  private online(leaving?: Set<WebSocket>): number[] {
    const ids = new Set<number>();
    for (const ws of this.ctx.getWebSockets()) {
      if (leaving?.has(ws) || ws.readyState !== WebSocket.OPEN) continue;
      const att = ws.deserializeAttachment() as Attachment | null;
      if (att) ids.add(att.user);
    }
    return [...ids].sort((a, b) => a - b);
  }

  private broadcastPresence(leaving?: Set<WebSocket>) {
    const online = this.online(leaving);
    const text = JSON.stringify({ type: 'presence', online } satisfies ServerFrame);
    for (const ws of this.ctx.getWebSockets()) {
      if (leaving?.has(ws) || ws.readyState !== WebSocket.OPEN) continue;
      try {
        ws.send(text);
      } catch {
        // closing
      }
    }
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
