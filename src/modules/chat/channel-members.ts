/**
 * Channel membership and read-state actions (later code, not in the reference):
 * `members/`, `add_member/`, `remove_member/`, `promote_member/`, `demote_member/`, `join/`,
 * `leave/`, `mark_read/`, `mark-read-up-to/`, `unread_count/`, `messages/`.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, count, eq, gt } from 'drizzle-orm';
import { ChannelMember, ChannelMessage } from '../../contract/tamiti/chat.gen';
import { drf } from '../../core/errors';
import { getVisible, parseId, type Kit } from '../../core/resource';
import { chatChannelMembers } from '../../db/schema/chat';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { channelResource, memberBody } from './channels';
import { HISTORY_PAGE } from './frames';
import { isChannelAdmin, markRead, messagePage, roomStub, unreadCount } from './rooms';
import {
  ChatDetail,
  ChatMessageIdRequest,
  ChatReadPosition,
  ChatUnreadCount,
  ChatUserIdRequest,
  HistoryQuery,
  chatAction,
  cursorParam,
  historyDescription,
  linkNext,
  requiredId,
} from './shared';

type MemberRow = typeof chatChannelMembers.$inferSelect;

/** The visible channel (404 otherwise) and the caller's membership. */
async function load(k: Kit, rawId: string) {
  const channel = await getVisible(channelResource, k, parseId(rawId, 'Channel'));
  const [member] = await k.db
    .select()
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.channel, channel.id), eq(chatChannelMembers.user, k.user.id)))
    .limit(1);
  return { channel, member: member as MemberRow | undefined };
}

async function loadAsAdmin(k: Kit, rawId: string) {
  const found = await load(k, rawId);
  if (!isChannelAdmin(found.channel as never, found.member, k.user)) throw drf.forbidden('Admin privileges required.');
  return found;
}

async function loadAsMember(k: Kit, rawId: string) {
  const found = await load(k, rawId);
  if (!found.member) throw drf.forbidden('You are not a member of this channel.');
  return found;
}

async function membership(k: Kit, channelId: number, userId: number): Promise<MemberRow> {
  const [m] = await k.db
    .select()
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.channel, channelId), eq(chatChannelMembers.user, userId)))
    .limit(1);
  if (!m) throw drf.notFound('Membership not found.');
  return m;
}

async function adminCount(k: Kit, channelId: number): Promise<number> {
  const [row] = await k.db
    .select({ n: count() })
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.channel, channelId), eq(chatChannelMembers.is_admin, true)));
  return row.n;
}

const base = '/api/chat/channels/{id}';
const spec = (
  method: 'get' | 'post',
  action: string,
  operation: string,
  status: 200 | 201,
  response: z.ZodType,
  body?: z.ZodType,
) => ({
  method,
  path: `${base}/${action}/`,
  operationId: `chat_channels_${operation}`,
  model: 'channel',
  status,
  response,
  body,
});

/** Mounts the channel actions. */
export function mountChannelMembers(app: OpenAPIHono<AppEnv>) {
  chatAction(
    app,
    {
      ...spec('get', 'members', 'members_list', 200, z.array(ChannelMember)),
      summary: "List a channel's members",
      query: z.object({
        after: z.string().optional().openapi({ type: 'integer', description: 'Only memberships after this membership id.' }),
      }),
      description: `Memberships in id order, at most ${HISTORY_PAGE} (a bare array); when more remain, the response carries
Link: <...?after=<last id returned>>; rel="next".`,
    },
    async (k, id) => {
      const { channel } = await load(k, id);
      const after = cursorParam(k, 'after');
      const rows = await k.db
        .select()
        .from(chatChannelMembers)
        .where(
          and(eq(chatChannelMembers.channel, channel.id), after === undefined ? undefined : gt(chatChannelMembers.id, after)),
        )
        .orderBy(asc(chatChannelMembers.id))
        .limit(HISTORY_PAGE + 1);
      if (rows.length > HISTORY_PAGE) linkNext(k, 'after', rows[HISTORY_PAGE - 1].id);
      return rows.slice(0, HISTORY_PAGE).map(memberBody);
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'add_member', 'add_member_create', 201, ChatDetail, ChatUserIdRequest),
      summary: 'Add a member to a channel',
      description:
        'Adds the user `user_id` to the channel (no-op when already a member); 404 when the user does not exist. Only the channel creator and its admins (never a Customer): 403 for others.',
    },
    async (k, id, body) => {
      const { channel } = await loadAsAdmin(k, id);
      const userId = requiredId(body, 'user_id');
      const [user] = await k.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).limit(1);
      if (!user) throw drf.notFound('User not found.');
      await k.db.insert(chatChannelMembers).values({ channel: channel.id, user: userId, is_admin: false }).onConflictDoNothing();
      return { detail: 'Member added.' };
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'remove_member', 'remove_member_create', 200, ChatDetail, ChatUserIdRequest),
      summary: 'Remove a member from a channel',
      description:
        'Removes the user `user_id` from the channel and closes their live sockets in the room. The last channel admin cannot be removed (400). Only the channel creator and its admins (never a Customer): 403 for others.',
    },
    async (k, id, body) => {
      const { channel } = await loadAsAdmin(k, id);
      const m = await membership(k, channel.id, requiredId(body, 'user_id'));
      if (m.is_admin && (await adminCount(k, channel.id)) <= 1) throw drf.detail(400, 'Cannot remove the last admin.');
      await k.db.delete(chatChannelMembers).where(eq(chatChannelMembers.id, m.id));
      await roomStub(k.c.env, { kind: 'channel', id: channel.id }).disconnect(m.user);
      return { detail: 'Member removed.' };
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'promote_member', 'promote_member_create', 200, ChatDetail, ChatUserIdRequest),
      summary: 'Make a member a channel admin',
      description:
        'Gives the member `user_id` admin rights over the channel. Only the channel creator and its admins (never a Customer): 403 for others; 404 when the user is not a member.',
    },
    async (k, id, body) => {
      const { channel } = await loadAsAdmin(k, id);
      const m = await membership(k, channel.id, requiredId(body, 'user_id'));
      await k.db.update(chatChannelMembers).set({ is_admin: true }).where(eq(chatChannelMembers.id, m.id));
      return { detail: 'Member promoted to admin.' };
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'demote_member', 'demote_member_create', 200, ChatDetail, ChatUserIdRequest),
      summary: "Take a member's channel-admin rights",
      description:
        'Makes the admin `user_id` an ordinary member; the last admin cannot be demoted (400). Only the channel creator and its admins (never a Customer): 403 for others.',
    },
    async (k, id, body) => {
      const { channel } = await loadAsAdmin(k, id);
      const m = await membership(k, channel.id, requiredId(body, 'user_id'));
      if (m.is_admin && (await adminCount(k, channel.id)) <= 1) throw drf.detail(400, 'Cannot demote the last admin.');
      await k.db.update(chatChannelMembers).set({ is_admin: false }).where(eq(chatChannelMembers.id, m.id));
      return { detail: 'Member demoted.' };
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'join', 'join_create', 200, ChatDetail),
      summary: 'Join a public channel',
      description:
        'Makes the caller a member of a channel they can see; a private channel answers 403 (private channels are joined by invitation: add_member).',
    },
    async (k, id) => {
      const { channel } = await load(k, id);
      if (channel.is_private) throw drf.forbidden('Cannot join a private channel.');
      await k.db
        .insert(chatChannelMembers)
        .values({ channel: channel.id, user: k.user.id, is_admin: false })
        .onConflictDoNothing();
      return { detail: 'Joined channel.' };
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'leave', 'leave_create', 200, ChatDetail),
      summary: 'Leave a channel',
      description:
        'Removes the caller from the channel and closes their live sockets in the room; 400 when not a member or the last admin.',
    },
    async (k, id) => {
      const { channel, member } = await load(k, id);
      if (!member) throw drf.detail(400, 'You are not a member of this channel.');
      if (member.is_admin && (await adminCount(k, channel.id)) <= 1)
        throw drf.detail(400, 'The last admin cannot leave the channel.');
      await k.db.delete(chatChannelMembers).where(eq(chatChannelMembers.id, member.id));
      await roomStub(k.c.env, { kind: 'channel', id: channel.id }).disconnect(k.user.id);
      return { detail: 'Left channel.' };
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'mark_read', 'mark_read_create', 200, ChatReadPosition),
      summary: 'Mark a channel read',
      description: "Moves the caller's read marker to now (every message so far counts as read). Members only (403).",
    },
    async (k, id) => {
      const { channel } = await loadAsMember(k, id);
      const at = await markRead(k.db, { kind: 'channel', id: channel.id }, k.user.id);
      return { detail: 'Marked as read.', last_read_at: at };
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'mark-read-up-to', 'mark_read_up_to_create', 200, ChatReadPosition, ChatMessageIdRequest),
      summary: 'Mark a channel read up to a message',
      description:
        "Moves the caller's read marker to message `message_id` of this channel (404 when it is not one of its messages); the marker never moves backwards. Members only (403).",
    },
    async (k, id, body) => {
      const { channel } = await loadAsMember(k, id);
      const at = await markRead(k.db, { kind: 'channel', id: channel.id }, k.user.id, requiredId(body, 'message_id'));
      if (at === 'not_found') throw drf.notFound('Message not found.');
      return { detail: 'Marked as read.', last_read_at: at };
    },
  );

  chatAction(
    app,
    {
      ...spec('get', 'unread_count', 'unread_count_retrieve', 200, ChatUnreadCount),
      summary: "Count a channel's unread messages",
      description: "Messages posted by others after the caller's read marker. Members only (403).",
    },
    async (k, id) => {
      const { channel } = await loadAsMember(k, id);
      return { unread_count: await unreadCount(k.db, { kind: 'channel', id: channel.id }, k.user.id) };
    },
  );

  chatAction(
    app,
    {
      ...spec('get', 'messages', 'messages_list', 200, z.array(ChannelMessage)),
      summary: "List a channel's messages (history)",
      query: HistoryQuery,
      description: historyDescription,
    },
    async (k, id) => {
      const { channel } = await loadAsMember(k, id);
      const page = await messagePage(k.db, { kind: 'channel', id: channel.id }, cursorParam(k, 'before'));
      if (page.more) linkNext(k, 'before', page.messages[0].id);
      return page.messages;
    },
  );
}
