/**
 * Small pieces shared by the chat routes: the common declaration of the extra detail actions (later
 * code, not in the reference), response schemas, the message content rule, and the statements that
 * load a room with the caller's place in it, so that a route sends them in its first round trip
 * beside its own statements.
 */
import { idParam } from '../../core/router';
import { z } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, gt, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { int } from '../../core/fields';
import type { Actor } from '../../core/scope';
import type { Db } from '../../db';
import {
  chatChannelMembers,
  chatChannelMessages,
  chatChannels,
  chatDirectMessages,
  chatDirectThreads,
  chatThreadReads,
} from '../../db/schema/chat';
import { users } from '../../db/schema/users';
import type { PostResult } from './chat-room.do';
import { HISTORY_PAGE, MAX_CONTENT, type WireMessage } from './frames';
import { type Room, toWire } from './rooms';

export const ChatDetail = z.object({ detail: z.string() }).openapi('ChatDetail');
export const ChatReadPosition = z.object({ detail: z.string(), last_read_at: z.string().nullable() }).openapi('ChatReadPosition');
export const ChatUnreadCount = z.object({ unread_count: z.number().int() }).openapi('ChatUnreadCount');
export const ChatUserIdRequest = z.object({ user_id: int().optional() }).openapi('ChatUserIdRequest');
export const ChatMessageIdRequest = z.object({ message_id: int().optional() }).openapi('ChatMessageIdRequest');

/** What every detail action of a channel or thread declares: its tag, `{id}` and an optional body. */
export const detailAction = (model: 'channel' | 'direct thread') => ({
  tags: ['chat'],
  params: idParam(model),
  bodyRequired: false,
});

/** The content rule of every message: non-empty after trimming, at most MAX_CONTENT characters. */
export function checkContent(content: unknown): string {
  const text = typeof content === 'string' ? content.trim() : '';
  if (!text) throw drf.field('content', 'Message content cannot be empty.');
  if (text.length > MAX_CONTENT) throw drf.field('content', `Ensure this field has no more than ${MAX_CONTENT} characters.`);
  return text;
}

/** Requires an integer body field the later code requires (400 `<name> is required.`). */
export function requiredId(value: number | undefined, name: string): number {
  if (typeof value !== 'number') throw drf.detail(400, `${name} is required.`);
  return value;
}

/** A page cursor from the query string (`?before=` / `?after=`): an id, or a 400 naming the parameter. */
export function cursorParam(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw drf.field(name, 'Enter a whole number.');
  return Number(raw);
}

/** The `Link` header pointing at the next page of a bare-array response: `<url?name=value>; rel="next"`. */
export function linkNext(requestUrl: string, name: string, value: number): Record<string, string> {
  const url = new URL(requestUrl);
  url.searchParams.set(name, String(value));
  return { Link: `<${url.toString()}>; rel="next"` };
}

/** `?before=` of a history page. */
export const HistoryQuery = z.object({
  before: z.string().optional().openapi({
    type: 'integer',
    description: `Only messages stored before this message id: the next page of older messages (see the Link header).`,
  }),
});

export const historyDescription = `The newest ${HISTORY_PAGE} live messages, oldest first (a bare array, as the original's clients read it);
with ?before=<id>, the ${HISTORY_PAGE} stored before that message. When older messages remain, the response carries
Link: <...?before=<oldest id returned>>; rel="next".`;

/** The DRF error for a post the room refused: 429 with Retry-After past the per-user limit. */
export function postRefused(result: Exclude<PostResult, { message: unknown }>, notMember: string) {
  switch (result.error) {
    case 'rate_limited':
      return drf.throttled(result.retryAfter);
    case 'inactive':
      return drf.detail(401, 'User is inactive', { code: 'user_inactive' });
    case 'unavailable':
      return drf.detail(503, 'The message could not be stored; send it again.');
    default:
      return drf.forbidden(notMember);
  }
}

// ---- statements for a route's first round trip --------------------------------------------------

type ChannelRow = typeof chatChannels.$inferSelect;
type MemberRow = typeof chatChannelMembers.$inferSelect;
type ThreadRow = typeof chatDirectThreads.$inferSelect;

/**
 * The live channel `id` if the caller may see it (a member; or, for staff, a public channel), with
 * the caller's membership: one statement for a batch. Read its rows with `visibleChannel`.
 */
export function channelAccessStmt(db: Db, id: number, actor: Actor) {
  const member = isNotNull(chatChannelMembers.id);
  return db
    .select({ channel: chatChannels, member: chatChannelMembers })
    .from(chatChannels)
    .leftJoin(chatChannelMembers, and(eq(chatChannelMembers.channel, chatChannels.id), eq(chatChannelMembers.user, actor.id)))
    .where(
      and(
        eq(chatChannels.id, id),
        eq(chatChannels.is_deleted, false),
        actor.role === 'Customer' ? member : or(eq(chatChannels.is_private, false), member),
      ),
    )
    .limit(1);
}

/** The channel `channelAccessStmt` found and the caller's membership; a channel not found is the resource's 404. */
export function visibleChannel(rows: unknown): { channel: ChannelRow; member?: MemberRow } {
  const [row] = rows as { channel: ChannelRow; member: MemberRow | null }[];
  if (!row) throw drf.notFound('No Channel matches the given query.');
  return { channel: row.channel, member: row.member ?? undefined };
}

/** The caller's live thread `id` (one statement for a batch); read it with `visibleThread`. */
export function threadAccessStmt(db: Db, id: number, actor: Actor) {
  return db
    .select()
    .from(chatDirectThreads)
    .where(
      and(
        eq(chatDirectThreads.id, id),
        eq(chatDirectThreads.is_deleted, false),
        or(eq(chatDirectThreads.user_1, actor.id), eq(chatDirectThreads.user_2, actor.id)),
      ),
    )
    .limit(1);
}

/** The thread `threadAccessStmt` found; anyone else's thread is the resource's 404. */
export function visibleThread(rows: unknown): ThreadRow {
  const [row] = rows as ThreadRow[];
  if (!row) throw drf.notFound('No DirectThread matches the given query.');
  return row;
}

/** A user's membership of a channel (a statement). */
export const membershipStmt = (db: Db, channelId: number, userId: number) =>
  db
    .select()
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.channel, channelId), eq(chatChannelMembers.user, userId)))
    .limit(1);

/** How many admins a channel has (a statement returning `[{n}]`). */
export const adminCountStmt = (db: Db, channelId: number) =>
  db
    .select({ n: count() })
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.channel, channelId), eq(chatChannelMembers.is_admin, true)));

/** Whether a user exists (a statement returning `[{id}]` or nothing). */
export const userStmt = (db: Db, userId: number) => db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);

type MessageTable = typeof chatChannelMessages | typeof chatDirectMessages;
type MessageRow = typeof chatChannelMessages.$inferSelect | typeof chatDirectMessages.$inferSelect;
const tableOf = (room: Room): { t: MessageTable; fk: SQL } =>
  room.kind === 'channel'
    ? { t: chatChannelMessages, fk: sql`${chatChannelMessages.channel}` }
    : { t: chatDirectMessages, fk: sql`${chatDirectMessages.thread}` };

/**
 * One page of a room's history as a statement (see rooms.ts `messagePage`): the newest
 * HISTORY_PAGE + 1 live messages stored before message `before` (or the newest of all), newest
 * first. Read it with `historyPage`.
 */
export function historyStmt(db: Db, room: Room, before?: number) {
  const { t, fk } = tableOf(room);
  const anchor = sql`(SELECT ${t.timestamp} FROM ${t} WHERE ${t.id} = ${before ?? 0} AND ${fk} = ${room.id})`;
  return db
    .select()
    .from(t)
    .where(
      and(
        sql`${fk} = ${room.id}`,
        eq(t.is_deleted, false),
        before === undefined ? undefined : sql`(${t.timestamp}, ${t.id}) < (${anchor}, ${before})`,
      ),
    )
    .orderBy(desc(t.timestamp), desc(t.id))
    .limit(HISTORY_PAGE + 1);
}

/** A stored message in the REST shape of its room (attachments come with issue 18). */
export type ChannelWire = Omit<WireMessage, 'thread'> & { channel: number };
export type ThreadWire = Omit<WireMessage, 'channel'> & { thread: number };

/** The messages of a history page, oldest first, and whether older ones remain. */
export function historyPage(room: Room & { kind: 'channel' }, rows: unknown): { messages: ChannelWire[]; more: boolean };
export function historyPage(room: Room & { kind: 'thread' }, rows: unknown): { messages: ThreadWire[]; more: boolean };
export function historyPage(room: Room, rows: unknown): { messages: WireMessage[]; more: boolean } {
  const list = rows as MessageRow[];
  return {
    messages: list
      .slice(0, HISTORY_PAGE)
      .reverse()
      .map((r) => toWire(room.kind, r)),
    more: list.length > HISTORY_PAGE,
  };
}

/** Messages newer than the user's read position (all when never read), not sent by the user: `[{n}]`. */
export function unreadStmt(db: Db, room: Room, userId: number) {
  const { t, fk } = tableOf(room);
  const lastRead =
    room.kind === 'channel'
      ? sql`(SELECT last_read_at FROM chat_channel_members WHERE channel_id = ${room.id} AND user_id = ${userId})`
      : sql`(SELECT last_read_at FROM chat_thread_reads WHERE thread_id = ${room.id} AND user_id = ${userId})`;
  return db
    .select({ n: count() })
    .from(t)
    .where(
      and(
        sql`${fk} = ${room.id}`,
        eq(t.is_deleted, false),
        or(isNull(t.sender), ne(t.sender, userId)),
        sql`(${lastRead} IS NULL OR ${t.timestamp} > ${lastRead})`,
      ),
    );
}

/** The timestamp of a live message of the room, if it is one (a statement returning `[{timestamp}]`). */
export function messageTimestampStmt(db: Db, room: Room, messageId: number) {
  const { t, fk } = tableOf(room);
  return db
    .select({ timestamp: t.timestamp })
    .from(t)
    .where(and(eq(t.id, messageId), sql`${fk} = ${room.id}`, eq(t.is_deleted, false)))
    .limit(1);
}

/** Read position never moves backwards. */
const forward = (column: SQL | typeof chatChannelMembers.last_read_at, at: string) =>
  sql`CASE WHEN ${column} IS NULL OR ${column} < ${at} THEN ${at} ELSE ${column} END`;

/**
 * Moves the user's read position in the room forward to `at` (a statement returning
 * `[{last_read_at}]`; nothing when a channel's member row is gone).
 */
export function markReadStmt(db: Db, room: Room, userId: number, at: string) {
  if (room.kind === 'channel')
    return db
      .update(chatChannelMembers)
      .set({ last_read_at: sql`${forward(chatChannelMembers.last_read_at, at)}` })
      .where(and(eq(chatChannelMembers.channel, room.id), eq(chatChannelMembers.user, userId)))
      .returning({ last_read_at: chatChannelMembers.last_read_at });
  return db
    .insert(chatThreadReads)
    .values({ thread: room.id, user: userId, last_read_at: at })
    .onConflictDoUpdate({
      target: [chatThreadReads.thread, chatThreadReads.user],
      set: { last_read_at: sql`${forward(sql`${chatThreadReads.last_read_at}`, at)}` },
    })
    .returning({ last_read_at: chatThreadReads.last_read_at });
}

/** The memberships of a channel after membership `after`, in id order, HISTORY_PAGE + 1 at most. */
export const membersPageStmt = (db: Db, channelId: number, after?: number) =>
  db
    .select()
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.channel, channelId), after === undefined ? undefined : gt(chatChannelMembers.id, after)))
    .orderBy(asc(chatChannelMembers.id))
    .limit(HISTORY_PAGE + 1);
