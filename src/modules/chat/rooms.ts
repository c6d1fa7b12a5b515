/**
 * Chat rooms: a channel or a direct thread. The queries both the REST handlers and the ChatRoom
 * Durable Object need (who may read a room, storing and replaying messages, read positions,
 * mentions) live here as plain functions of `(db, ...)`.
 */
import { and, asc, between, count, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { signedUrl } from '../../core/files';
import type { Db } from '../../core/resource';
import { nowIso } from '../../db/columns';
import {
  chatAttachments,
  chatChannelMembers,
  chatChannelMessages,
  chatChannels,
  chatDirectMessages,
  chatDirectThreads,
  chatThreadReads,
} from '../../db/schema/chat';
import { users } from '../../db/schema/users';
import type { AuthUser, Bindings } from '../../env';
import { DEFAULT_POST_RATE, HISTORY_PAGE, MAX_SOCKETS_PER_USER, REPLAY_LIMIT, type WireMessage } from './frames';

export type RoomKind = 'channel' | 'thread';
export interface Room {
  kind: RoomKind;
  id: number;
}

/** The Durable Object of a room: one per channel (`channel:<id>`) and per thread (`thread:<id>`). */
export function roomStub(env: Bindings, room: Room) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(`${room.kind}:${room.id}`));
}

type ChannelRow = typeof chatChannels.$inferSelect;
type MemberRow = typeof chatChannelMembers.$inferSelect;
type ThreadRow = typeof chatDirectThreads.$inferSelect;
type MessageRow = typeof chatChannelMessages.$inferSelect | typeof chatDirectMessages.$inferSelect;

/** A stored message in the REST shape. Attachments need object storage, which this service has not (always []). */
export function toWire(kind: RoomKind, row: MessageRow): WireMessage {
  const rest = { sender: row.sender, content: row.content, timestamp: row.timestamp, attachments: [] };
  return kind === 'channel'
    ? { id: row.id, channel: (row as typeof chatChannelMessages.$inferSelect).channel, ...rest }
    : { id: row.id, thread: (row as typeof chatDirectMessages.$inferSelect).thread, ...rest };
}

/** Ids of the live channels the user is a member of (a subquery). */
export function memberChannelIds(db: Db, userId: number) {
  return db
    .select({ id: chatChannelMembers.channel })
    .from(chatChannelMembers)
    .innerJoin(chatChannels, eq(chatChannels.id, chatChannelMembers.channel))
    .where(and(eq(chatChannelMembers.user, userId), eq(chatChannels.is_deleted, false)));
}

/** Ids of the live threads the user takes part in (a subquery). */
export function participantThreadIds(db: Db, userId: number) {
  return db
    .select({ id: chatDirectThreads.id })
    .from(chatDirectThreads)
    .where(
      and(
        eq(chatDirectThreads.is_deleted, false),
        or(eq(chatDirectThreads.user_1, userId), eq(chatDirectThreads.user_2, userId)),
      ),
    );
}

/** A live channel and the user's membership in it (undefined when not a member). */
export async function channelWithMember(
  db: Db,
  channelId: number,
  userId: number,
): Promise<{ channel: ChannelRow; member?: MemberRow } | undefined> {
  const rows = await db
    .select({ channel: chatChannels, member: chatChannelMembers })
    .from(chatChannels)
    .leftJoin(chatChannelMembers, and(eq(chatChannelMembers.channel, chatChannels.id), eq(chatChannelMembers.user, userId)))
    .where(and(eq(chatChannels.id, channelId), eq(chatChannels.is_deleted, false)))
    .limit(1);
  if (!rows.length) return undefined;
  return { channel: rows[0].channel, member: rows[0].member ?? undefined };
}

/** A live thread, whoever takes part in it. */
export async function liveThread(db: Db, threadId: number): Promise<ThreadRow | undefined> {
  const [row] = await db
    .select()
    .from(chatDirectThreads)
    .where(and(eq(chatDirectThreads.id, threadId), eq(chatDirectThreads.is_deleted, false)))
    .limit(1);
  return row;
}

export const isParticipant = (thread: ThreadRow, userId: number) => thread.user_1 === userId || thread.user_2 === userId;

/**
 * Channel admin: an admin member, or the channel's creator; never a Customer (channels are staff
 * spaces: Customers take part where staff invite them, they do not run channels or invite others).
 */
export const isChannelAdmin = (channel: ChannelRow, member: MemberRow | undefined, user: Pick<AuthUser, 'id' | 'role'>) =>
  user.role !== 'Customer' && (channel.created_by === user.id || !!member?.is_admin);

/**
 * Who may read a room: `ok`, or why not. A private channel or a thread is invisible (404) to
 * outsiders; a public channel is visible to staff (403 for non-members) but invisible to a
 * Customer who was not invited (404): Customers see only the channels a member row puts them in.
 */
export async function roomAccess(
  db: Db,
  room: Room,
  user: Pick<AuthUser, 'id' | 'role'>,
): Promise<'ok' | 'not_found' | 'not_member'> {
  if (room.kind === 'channel') {
    const found = await channelWithMember(db, room.id, user.id);
    if (!found) return 'not_found';
    if (found.member) return 'ok';
    return found.channel.is_private || user.role === 'Customer' ? 'not_found' : 'not_member';
  }
  const thread = await liveThread(db, room.id);
  return thread && isParticipant(thread, user.id) ? 'ok' : 'not_found';
}

/** The posting limit per user: `CHAT_POST_RATE` ("count/seconds", e.g. "30/10") or DEFAULT_POST_RATE. */
export function postRate(env: Bindings): { count: number; seconds: number } {
  const m = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*$/.exec((env as { CHAT_POST_RATE?: string }).CHAT_POST_RATE ?? '');
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) return DEFAULT_POST_RATE;
  return { count: Number(m[1]), seconds: Number(m[2]) };
}

/** Counts one post of the user in the current window (a new window starts at 1); returns the count. */
const RATE_SQL = `INSERT INTO chat_post_rates (user_id, window_start, "count") VALUES (?1, ?2, 1)
  ON CONFLICT (user_id) DO UPDATE SET
    "count" = CASE WHEN excluded.window_start > window_start THEN 1 ELSE "count" + 1 END,
    window_start = max(window_start, excluded.window_start)
  RETURNING "count"`;

/**
 * Stores a message if the sender may post in the room (a live membership or participation, an
 * active account, and the post counted just before within the limit): all checked by the INSERT
 * itself, in the batch's transaction, so a member removed or deactivated a moment ago, or a burst
 * of parallel posts, cannot slip one in. ?1 time, ?2 uuid, ?3 room, ?4 sender, ?5 content, ?6 limit.
 */
const INSERT_SQL: Record<RoomKind, string> = {
  channel: `INSERT INTO chat_channel_messages (created_at, updated_at, is_deleted, uuid, channel_id, sender_id, content, timestamp)
  SELECT ?1, ?1, 0, ?2, ?3, ?4, ?5, ?1
  WHERE EXISTS (SELECT 1 FROM chat_channel_members m JOIN chat_channels c ON c.id = m.channel_id
                WHERE m.channel_id = ?3 AND m.user_id = ?4 AND c.is_deleted = 0)
    AND EXISTS (SELECT 1 FROM users u WHERE u.id = ?4 AND u.is_active = 1)
    AND (SELECT "count" FROM chat_post_rates WHERE user_id = ?4) <= ?6
  RETURNING id`,
  thread: `INSERT INTO chat_direct_messages (created_at, updated_at, is_deleted, uuid, thread_id, sender_id, content, timestamp)
  SELECT ?1, ?1, 0, ?2, ?3, ?4, ?5, ?1
  WHERE EXISTS (SELECT 1 FROM chat_direct_threads t WHERE t.id = ?3 AND t.is_deleted = 0
                AND (t.user_1_id = ?4 OR t.user_2_id = ?4))
    AND EXISTS (SELECT 1 FROM users u WHERE u.id = ?4 AND u.is_active = 1)
    AND (SELECT "count" FROM chat_post_rates WHERE user_id = ?4) <= ?6
  RETURNING id`,
};

/**
 * Attaches each stored file to the message inserted just before it in the same batch (found by the
 * message's uuid; nothing is inserted when the message was refused).
 */
const ATTACH_SQL: Record<RoomKind, string> = {
  channel: `INSERT INTO chat_attachments (kind, message_id, file, name, content_type, size, uploaded_at)
  SELECT 'channel', id, ?2, ?3, ?4, ?5, ?6 FROM chat_channel_messages WHERE uuid = ?1
  RETURNING id`,
  thread: `INSERT INTO chat_attachments (kind, message_id, file, name, content_type, size, uploaded_at)
  SELECT 'thread', id, ?2, ?3, ?4, ?5, ?6 FROM chat_direct_messages WHERE uuid = ?1
  RETURNING id`,
};

/** A file stored in R2 for a message being posted (`create-with-file/`): its key and metadata. */
export interface NewAttachment {
  key: string;
  name: string;
  type: string;
  size: number;
}

/** What storing one message of a batch gave: the message, or why it was refused. */
export type Stored =
  | { message: WireMessage }
  | { refused: 'rate_limited'; retryAfter: number }
  /** Not a member (any more), or an inactive account: `whyRefused` tells which. */
  | { refused: 'check' };

/**
 * Stores a batch of messages of one room in one D1 batch (one round trip, one transaction), in
 * the given order: ids and order follow the batch, every message gets the same timestamp.
 */
export async function storeBatch(
  d1: D1Database,
  room: Room,
  items: { sender: number; content: string; file?: NewAttachment }[],
  rate: { count: number; seconds: number },
  now = Date.now(),
): Promise<Stored[]> {
  const at = new Date(now).toISOString();
  const windowMs = rate.seconds * 1000;
  const window = Math.floor(now / windowMs);
  const count = d1.prepare(RATE_SQL);
  const insert = d1.prepare(INSERT_SQL[room.kind]);
  const attach = d1.prepare(ATTACH_SQL[room.kind]);
  const stmts: D1PreparedStatement[] = [];
  /** Where each item's statements start in the batch (a file adds a third). */
  const starts: number[] = [];
  for (const item of items) {
    const uuid = crypto.randomUUID();
    starts.push(stmts.length);
    stmts.push(count.bind(item.sender, window), insert.bind(at, uuid, room.id, item.sender, item.content, rate.count));
    const file = item.file;
    if (file) stmts.push(attach.bind(uuid, file.key, file.name, file.type, file.size, at));
  }
  const results = await d1.batch<{ id?: number; count?: number }>(stmts);
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
  return items.map((item, i) => {
    const start = starts[i];
    const row = results[start + 1].results[0];
    if (row?.id !== undefined) {
      const attached = item.file ? results[start + 2].results[0]?.id : undefined;
      const attachments = attached === undefined || !item.file ? [] : [{ id: attached, file: item.file.key, uploaded_at: at }];
      const rest = { sender: item.sender, content: item.content, timestamp: at, attachments };
      return {
        message: room.kind === 'channel' ? { id: row.id, channel: room.id, ...rest } : { id: row.id, thread: room.id, ...rest },
      };
    }
    const counted = results[start].results[0]?.count ?? 0;
    return counted > rate.count ? { refused: 'rate_limited', retryAfter } : { refused: 'check' };
  });
}

/** Why a message of `sender` was refused: an inactive (or deleted) account, or no place in the room. */
export async function whyRefused(db: Db, sender: number): Promise<'inactive' | 'not_member'> {
  const [user] = await db.select({ is_active: users.is_active }).from(users).where(eq(users.id, sender)).limit(1);
  return user?.is_active ? 'not_member' : 'inactive';
}

type MessageTable = typeof chatChannelMessages | typeof chatDirectMessages;
const tableOf = (room: Room): { t: MessageTable; fk: typeof chatChannelMessages.channel | typeof chatDirectMessages.thread } =>
  room.kind === 'channel'
    ? { t: chatChannelMessages, fk: chatChannelMessages.channel }
    : { t: chatDirectMessages, fk: chatDirectMessages.thread };

/** `(timestamp, id)` of a message of the room (deleted ones too: a cursor may point at one), as SQL. */
const anchorOf = (room: Room, id: number) => {
  const { t, fk } = tableOf(room);
  return sql`(SELECT ${t.timestamp} FROM ${t} WHERE ${t.id} = ${id} AND ${fk} = ${room.id})`;
};

/**
 * The room's live messages stored after message `since` (stored order: timestamp, then id), at
 * most REPLAY_LIMIT: when more were missed, the newest REPLAY_LIMIT and `truncated`.
 * Served by the (room, timestamp, id) index from the anchor on; `since` = 0 means from the start.
 */
export async function messagesAfter(db: Db, room: Room, since: number): Promise<{ messages: WireMessage[]; truncated: boolean }> {
  const { t, fk } = tableOf(room);
  const where = and(
    eq(fk, room.id),
    eq(t.is_deleted, false),
    sql`(${t.timestamp}, ${t.id}) > (coalesce(${anchorOf(room, since)}, ''), ${since})`,
    sql`${t.id} > ${since}`,
  );
  const rows = await db
    .select()
    .from(t)
    .where(where)
    .orderBy(asc(t.timestamp), asc(t.id))
    .limit(REPLAY_LIMIT + 1);
  const truncated = rows.length > REPLAY_LIMIT;
  const chosen = truncated
    ? (await db.select().from(t).where(where).orderBy(desc(t.timestamp), desc(t.id)).limit(REPLAY_LIMIT)).reverse()
    : rows;
  const messages = chosen.map((r) => toWire(room.kind, r as MessageRow));
  if (!messages.length) return { messages, truncated };
  const ids = new Set(messages.map((m) => m.id));
  // Their attachments (`file` still the key: the room signs it for its sockets).
  const a = chatAttachments;
  const files = await db
    .select({ id: a.id, message: a.message, file: a.file, uploaded_at: a.uploaded_at })
    .from(a)
    // The id range of the replayed messages (not a list: D1 binds at most 100 values per statement).
    .where(and(eq(a.kind, room.kind), between(a.message, Math.min(...ids), Math.max(...ids))))
    .orderBy(asc(a.message), asc(a.id));
  const byMessage = new Map<number, WireMessage['attachments']>();
  for (const { message, ...file } of files)
    if (ids.has(message)) byMessage.set(message, [...(byMessage.get(message) ?? []), file]);
  for (const m of messages) m.attachments = byMessage.get(m.id) ?? [];
  return { messages, truncated };
}

/**
 * One page of a room's history, oldest first: the newest HISTORY_PAGE live messages stored before
 * message `before` (or the newest of all), and whether older ones remain. A `before` that is not a
 * message of the room gives an empty page.
 */
export async function messagePage(db: Db, room: Room, before?: number): Promise<{ messages: WireMessage[]; more: boolean }> {
  const { t, fk } = tableOf(room);
  const rows = await db
    .select()
    .from(t)
    .where(
      and(
        eq(fk, room.id),
        eq(t.is_deleted, false),
        before === undefined ? undefined : sql`(${t.timestamp}, ${t.id}) < (${anchorOf(room, before)}, ${before})`,
      ),
    )
    .orderBy(desc(t.timestamp), desc(t.id))
    .limit(HISTORY_PAGE + 1);
  const more = rows.length > HISTORY_PAGE;
  return {
    messages: rows
      .slice(0, HISTORY_PAGE)
      .reverse()
      .map((r) => toWire(room.kind, r as MessageRow)),
    more,
  };
}

/**
 * The newest `perThread` live messages of each thread, oldest first, in one query that reads only
 * those rows: for each thread, the (thread, timestamp, id) index from the newest end, `perThread` deep.
 */
export async function newestPerThread(db: Db, threadIds: number[], perThread: number): Promise<Map<number, WireMessage[]>> {
  const out = new Map<number, WireMessage[]>();
  if (!threadIds.length) return out;
  const rows = await db.all<typeof chatDirectMessages.$inferSelect & { thread_id: number; sender_id: number | null }>(sql`
    SELECT m.* FROM json_each(${JSON.stringify([...new Set(threadIds)])}) AS t
    JOIN chat_direct_messages m ON m.id IN (
      SELECT id FROM chat_direct_messages
      WHERE thread_id = t.value AND is_deleted = 0
      ORDER BY timestamp DESC, id DESC LIMIT ${perThread})
    ORDER BY m.thread_id, m.timestamp, m.id`);
  for (const r of rows) {
    const message: WireMessage = {
      id: r.id,
      thread: r.thread_id,
      sender: r.sender_id,
      content: r.content,
      timestamp: r.timestamp,
      attachments: [],
    };
    const list = out.get(r.thread_id);
    if (list) list.push(message);
    else out.set(r.thread_id, [message]);
  }
  return out;
}

/** The timestamp of a live message of the room, if it is one. */
async function messageTimestamp(db: Db, room: Room, messageId: number): Promise<string | undefined> {
  const t = room.kind === 'channel' ? chatChannelMessages : chatDirectMessages;
  const fk = room.kind === 'channel' ? chatChannelMessages.channel : chatDirectMessages.thread;
  const [row] = await db
    .select({ timestamp: t.timestamp })
    .from(t)
    .where(and(eq(t.id, messageId), eq(fk, room.id), eq(t.is_deleted, false)))
    .limit(1);
  return row?.timestamp;
}

/** Read position never moves backwards. */
const forward = (column: SQL | typeof chatChannelMembers.last_read_at, at: string) =>
  sql`CASE WHEN ${column} IS NULL OR ${column} < ${at} THEN ${at} ELSE ${column} END`;

/**
 * Moves the user's read position in the room forward to `at` (now by default) or to a message's
 * timestamp. Returns the position, or `not_found` when the message is not in the room.
 */
export async function markRead(db: Db, room: Room, userId: number, messageId?: number): Promise<string | 'not_found'> {
  let at = nowIso();
  if (messageId !== undefined) {
    const ts = await messageTimestamp(db, room, messageId);
    if (!ts) return 'not_found';
    at = ts;
  }
  if (room.kind === 'channel') {
    const [row] = await db
      .update(chatChannelMembers)
      .set({ last_read_at: sql`${forward(chatChannelMembers.last_read_at, at)}` })
      .where(and(eq(chatChannelMembers.channel, room.id), eq(chatChannelMembers.user, userId)))
      .returning({ last_read_at: chatChannelMembers.last_read_at });
    return row?.last_read_at ?? at;
  }
  const [row] = await db
    .insert(chatThreadReads)
    .values({ thread: room.id, user: userId, last_read_at: at })
    .onConflictDoUpdate({
      target: [chatThreadReads.thread, chatThreadReads.user],
      set: { last_read_at: sql`${forward(sql`${chatThreadReads.last_read_at}`, at)}` },
    })
    .returning({ last_read_at: chatThreadReads.last_read_at });
  return row?.last_read_at ?? at;
}

/** Messages newer than the user's read position (all when never read), not sent by the user. */
export async function unreadCount(db: Db, room: Room, userId: number): Promise<number> {
  const t = room.kind === 'channel' ? chatChannelMessages : chatDirectMessages;
  const fk = room.kind === 'channel' ? chatChannelMessages.channel : chatDirectMessages.thread;
  const lastRead =
    room.kind === 'channel'
      ? sql`(SELECT last_read_at FROM chat_channel_members WHERE channel_id = ${room.id} AND user_id = ${userId})`
      : sql`(SELECT last_read_at FROM chat_thread_reads WHERE thread_id = ${room.id} AND user_id = ${userId})`;
  const [row] = await db
    .select({ n: count() })
    .from(t)
    .where(
      and(
        eq(fk, room.id),
        eq(t.is_deleted, false),
        or(isNull(t.sender), ne(t.sender, userId)),
        sql`(${lastRead} IS NULL OR ${t.timestamp} > ${lastRead})`,
      ),
    );
  return row?.n ?? 0;
}

const MENTION = /(?:^|[^\w@])@([\w.+-]{1,150})/g;

/** The channel members named by `@username` in a message (one query). */
export async function mentionedMembers(db: Db, channelId: number, content: string): Promise<number[]> {
  const names = [...new Set([...content.matchAll(MENTION)].map((m) => m[1].replace(/[.]+$/, '')))].slice(0, 50);
  if (!names.length) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(chatChannelMembers, and(eq(chatChannelMembers.user, users.id), eq(chatChannelMembers.channel, channelId)))
    .where(inArray(users.username, names));
  return rows.map((r) => r.id);
}

/** A room socket's lease: who holds it, where, until when (epoch ms, the token's expiry). */
export interface Lease {
  sid: string;
  user: number;
  room: Room;
  expiresAt: number;
}

/**
 * Takes a lease for a new socket unless the user already holds MAX_SOCKETS_PER_USER live ones
 * (one conditional INSERT: parallel connects cannot overshoot). Expired leases of the user are
 * dropped in the same batch. Returns false when the cap is reached.
 */
export async function leaseSocket(d1: D1Database, lease: Lease, now = Date.now()): Promise<boolean> {
  const [, inserted] = await d1.batch<{ sid: string }>([
    d1.prepare('DELETE FROM chat_socket_leases WHERE user_id = ?1 AND expires_at <= ?2').bind(lease.user, now),
    d1
      .prepare(
        `INSERT INTO chat_socket_leases (sid, user_id, room_kind, room_id, expires_at)
         SELECT ?1, ?2, ?3, ?4, ?5
         WHERE (SELECT count(*) FROM chat_socket_leases WHERE user_id = ?2 AND expires_at > ?6) < ?7
         RETURNING sid`,
      )
      .bind(lease.sid, lease.user, lease.room.kind, lease.room.id, lease.expiresAt, now, MAX_SOCKETS_PER_USER),
  ]);
  return inserted.results.length === 1;
}

/** Drops the leases of sockets that closed. */
export async function releaseSockets(d1: D1Database, sids: string[]): Promise<void> {
  if (!sids.length) return;
  await d1
    .prepare('DELETE FROM chat_socket_leases WHERE sid IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(sids))
    .run();
}

/** Which of `ids` are active users (one query, whatever the number of ids). */
export async function activeUserIds(d1: D1Database, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const { results } = await d1
    .prepare('SELECT id FROM users WHERE is_active = 1 AND id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(ids))
    .all<{ id: number }>();
  return new Set(results.map((r) => r.id));
}

/**
 * Closes every open room socket of a user, in every room (found through the socket leases): what
 * deactivating a user, resetting their password or revoking their tokens should call so that no
 * socket outlives the decision. Returns the number of sockets closed.
 */
export async function closeUserSockets(env: Bindings, userId: number, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    'SELECT DISTINCT room_kind AS kind, room_id AS id FROM chat_socket_leases WHERE user_id = ?1 AND expires_at > ?2',
  )
    .bind(userId, now)
    .all<Room>();
  const closed = await Promise.all(
    results.map((room) => roomStub(env, room).disconnect(userId, 'Your session has ended; sign in again.')),
  );
  return closed.reduce((a, b) => a + b, 0);
}

/** Turns the attachments' keys into URLs signed for this response (no round trip). */
export function signAttachments<T extends object>(
  s: { env: Pick<Bindings, 'JWT_SECRET' | 'FILES_SIGNING_KEY'>; url: string },
  rows: T[],
): Promise<T[]> {
  const origin = new URL(s.url).origin;
  return Promise.all(
    rows.map(async (r) => {
      const list = ((r as { attachments?: WireMessage['attachments'] }).attachments ?? []) as WireMessage['attachments'];
      if (!list.length) return r;
      const attachments = await Promise.all(list.map(async (a) => ({ ...a, file: await signedUrl(s.env, origin, a.file) })));
      return { ...r, attachments };
    }),
  );
}
