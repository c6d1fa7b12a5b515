/**
 * Chat rooms: a channel or a direct thread. The queries both the REST handlers and the ChatRoom
 * Durable Object need (who may read a room, storing and replaying messages, read positions,
 * mentions) live here as plain functions of `(db, ...)`.
 */
import { and, asc, count, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { Db } from '../../core/resource';
import { nowIso } from '../../db/columns';
import {
  chatChannelMembers,
  chatChannelMessages,
  chatChannels,
  chatDirectMessages,
  chatDirectThreads,
  chatThreadReads,
} from '../../db/schema/chat';
import { users } from '../../db/schema/users';
import type { Bindings } from '../../env';
import type { WireMessage } from './frames';

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

/** Channel admin: an admin member, or the channel's creator. */
export const isChannelAdmin = (channel: ChannelRow, member: MemberRow | undefined, userId: number) =>
  channel.created_by === userId || !!member?.is_admin;

/**
 * Who may read a room: `ok`, or why not. A private channel or a thread is invisible (404) to
 * outsiders; a public channel is visible but only its members read its messages (403).
 */
export async function roomAccess(db: Db, room: Room, userId: number): Promise<'ok' | 'not_found' | 'not_member'> {
  if (room.kind === 'channel') {
    const found = await channelWithMember(db, room.id, userId);
    if (!found || (found.channel.is_private && !found.member)) return 'not_found';
    return found.member ? 'ok' : 'not_member';
  }
  const thread = await liveThread(db, room.id);
  return thread && isParticipant(thread, userId) ? 'ok' : 'not_found';
}

/**
 * Stores a message if the sender may still post in the room (checked in the same statement, so a
 * member removed a moment ago cannot slip one in). Returns undefined when refused.
 */
export async function storeMessage(db: Db, room: Room, senderId: number, content: string): Promise<WireMessage | undefined> {
  const now = nowIso();
  const uuid = crypto.randomUUID();
  const allowed =
    room.kind === 'channel'
      ? sql`EXISTS (SELECT 1 FROM chat_channel_members m JOIN chat_channels c ON c.id = m.channel_id
            WHERE m.channel_id = ${room.id} AND m.user_id = ${senderId} AND c.is_deleted = 0)`
      : sql`EXISTS (SELECT 1 FROM chat_direct_threads t WHERE t.id = ${room.id} AND t.is_deleted = 0
            AND (t.user_1_id = ${senderId} OR t.user_2_id = ${senderId}))`;
  const [table, fk] = room.kind === 'channel' ? ['chat_channel_messages', 'channel_id'] : ['chat_direct_messages', 'thread_id'];
  const row = await db.get<{ id: number } | undefined>(sql`
    INSERT INTO ${sql.identifier(table)} (created_at, updated_at, is_deleted, uuid, ${sql.identifier(fk)}, sender_id, content, timestamp)
    SELECT ${now}, ${now}, 0, ${uuid}, ${room.id}, ${senderId}, ${content}, ${now} WHERE ${allowed}
    RETURNING id`);
  if (!row) return undefined;
  const rest = { sender: senderId, content, timestamp: now, attachments: [] };
  return room.kind === 'channel' ? { id: row.id, channel: room.id, ...rest } : { id: row.id, thread: room.id, ...rest };
}

/** The room's live messages after `sinceId`, in the order they were stored (timestamp, then id). */
export async function messagesAfter(db: Db, room: Room, sinceId: number, limit: number): Promise<WireMessage[]> {
  const t = room.kind === 'channel' ? chatChannelMessages : chatDirectMessages;
  const fk = room.kind === 'channel' ? chatChannelMessages.channel : chatDirectMessages.thread;
  const rows = await db
    .select()
    .from(t)
    .where(and(eq(fk, room.id), eq(t.is_deleted, false), gt(t.id, sinceId)))
    .orderBy(asc(t.timestamp), asc(t.id))
    .limit(limit);
  return rows.map((r) => toWire(room.kind, r as MessageRow));
}

/** Every live message of a room, oldest first (the later code's unpaginated `messages/` action). */
export async function allMessages(db: Db, room: Room): Promise<WireMessage[]> {
  return messagesAfter(db, room, 0, -1);
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
