/**
 * Channel membership and read-state actions (later code, not in the reference):
 * `members/`, `add_member/`, `remove_member/`, `promote_member/`, `demote_member/`, `join/`,
 * `leave/`, `mark_read/`, `mark-read-up-to/`, `unread_count/`, `messages/`.
 *
 * Round trips: a read is one batch (the channel with the caller's membership, and what the action
 * reads); a write is the same first batch (with the target user, membership or admin count it
 * checks), then the write.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { ChannelMessage } from '../../contract/tamiti/chat/channel-messages.gen';
import { ChannelMember } from '../../contract/tamiti/chat/channels.gen';
import { drf } from '../../core/errors';
import { parseId } from '../../core/resource';
import { mount, reply, route } from '../../core/route';
import type { Actor } from '../../core/scope';
import { type Db, runBatch, type Stmt } from '../../db';
import { chatChannelMembers } from '../../db/schema/chat';
import type { AppEnv } from '../../env';
import { memberBody } from './channels';
import { HISTORY_PAGE } from './frames';
import { historyReply, historyStmts, markReadNow, markReadUpTo, unreadCountOf } from './read-state';
import { isChannelAdmin, roomStub } from './rooms';
import {
  adminCountStmt,
  ChatDetail,
  ChatMessageIdRequest,
  ChatReadPosition,
  ChatUnreadCount,
  ChatUserIdRequest,
  channelAccessStmt,
  cursorParam,
  detailAction,
  HistoryQuery,
  historyDescription,
  historyPage,
  linkNext,
  membershipStmt,
  membersPageStmt,
  messageTimestampStmt,
  requiredId,
  unreadStmt,
  userStmt,
  visibleChannel,
} from './shared';

type MemberRow = typeof chatChannelMembers.$inferSelect;

/**
 * One round trip: the visible channel (404 otherwise) and the caller's membership, then what
 * `more` reads, returned in order.
 */
async function load(db: Db, actor: Actor, rawId: string, more: (channelId: number) => Stmt[] = () => []) {
  const id = parseId(rawId, 'Channel');
  const [access, ...rest] = await runBatch(db, [channelAccessStmt(db, id, actor), ...more(id)]);
  return { ...visibleChannel(access), rest };
}

/** The caller must be the channel's creator or an admin member (never a Customer): 403 otherwise. */
function requireAdmin(found: Awaited<ReturnType<typeof load>>, actor: Actor) {
  if (!isChannelAdmin(found.channel, found.member, actor)) throw drf.forbidden('Admin privileges required.');
}

function requireMember(found: Awaited<ReturnType<typeof load>>) {
  if (!found.member) throw drf.forbidden('You are not a member of this channel.');
}

/** The target's membership the first round trip loaded (404 when none). */
function targetMembership(rows: unknown): MemberRow {
  const [m] = rows as MemberRow[];
  if (!m) throw drf.notFound('Membership not found.');
  return m;
}

const adminsIn = (rows: unknown) => (rows as { n: number }[])[0]?.n ?? 0;

const channelAction = detailAction('channel');

/**
 * The membership that `remove_member/` or `demote_member/` changes, loaded with the channel and the
 * caller's rights in one round trip: only channel admins may, and the channel keeps one admin.
 */
async function adminChange(db: Db, actor: Actor, rawId: string, wanted: number | undefined, verb: 'remove' | 'demote') {
  const found = await load(db, actor, rawId, (id) =>
    wanted === undefined ? [] : [membershipStmt(db, id, wanted), adminCountStmt(db, id)],
  );
  requireAdmin(found, actor);
  requiredId(wanted, 'user_id');
  const m = targetMembership(found.rest[0]);
  if (m.is_admin && adminsIn(found.rest[1]) <= 1) throw drf.detail(400, `Cannot ${verb} the last admin.`);
  return { found, m };
}

const membersRoute = route({
  ...channelAction,
  method: 'get',
  path: '/api/chat/channels/{id}/members/',
  operationId: 'chat_channels_members_list',
  summary: "List a channel's members",
  query: z.object({
    after: z.string().optional().openapi({ type: 'integer', description: 'Only memberships after this membership id.' }),
  }),
  description: `Memberships in id order, at most ${HISTORY_PAGE} (a bare array); when more remain, the response carries
Link: <...?after=<last id returned>>; rel="next".`,
  response: z.array(ChannelMember),
  handler: async ({ db, actor, params, query, c }) => {
    const after = cursorParam(query.after, 'after');
    const { rest } = await load(db, actor, params.id, (id) => [membersPageStmt(db, id, after)]);
    const rows = rest[0] as MemberRow[];
    const body = rows.slice(0, HISTORY_PAGE).map(memberBody);
    if (rows.length > HISTORY_PAGE) return reply(body, { headers: linkNext(c.req.url, 'after', rows[HISTORY_PAGE - 1].id) });
    return body;
  },
});

const addMemberRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/add_member/',
  operationId: 'chat_channels_add_member_create',
  summary: 'Add a member to a channel',
  description:
    'Adds the user `user_id` to the channel (no-op when already a member); 404 when the user does not exist. Only the channel creator and its admins (never a Customer): 403 for others.',
  body: ChatUserIdRequest,
  status: 201,
  response: ChatDetail,
  handler: async ({ db, actor, params, body }) => {
    const wanted = body?.user_id;
    const found = await load(db, actor, params.id, () => (wanted === undefined ? [] : [userStmt(db, wanted)]));
    requireAdmin(found, actor);
    const userId = requiredId(wanted, 'user_id');
    if (!(found.rest[0] as unknown[]).length) throw drf.notFound('User not found.');
    await db
      .insert(chatChannelMembers)
      .values({ channel: found.channel.id, user: userId, is_admin: false })
      .onConflictDoNothing();
    return { detail: 'Member added.' };
  },
});

const removeMemberRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/remove_member/',
  operationId: 'chat_channels_remove_member_create',
  summary: 'Remove a member from a channel',
  description:
    'Removes the user `user_id` from the channel and closes their live sockets in the room. The last channel admin cannot be removed (400). Only the channel creator and its admins (never a Customer): 403 for others.',
  body: ChatUserIdRequest,
  response: ChatDetail,
  handler: async ({ s, db, actor, params, body }) => {
    const { found, m } = await adminChange(db, actor, params.id, body?.user_id, 'remove');
    await db.delete(chatChannelMembers).where(eq(chatChannelMembers.id, m.id));
    await roomStub(s.env, { kind: 'channel', id: found.channel.id }).disconnect(m.user);
    return { detail: 'Member removed.' };
  },
});

const promoteMemberRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/promote_member/',
  operationId: 'chat_channels_promote_member_create',
  summary: 'Make a member a channel admin',
  description:
    'Gives the member `user_id` admin rights over the channel. Only the channel creator and its admins (never a Customer): 403 for others; 404 when the user is not a member.',
  body: ChatUserIdRequest,
  response: ChatDetail,
  handler: async ({ db, actor, params, body }) => {
    const wanted = body?.user_id;
    const found = await load(db, actor, params.id, (id) => (wanted === undefined ? [] : [membershipStmt(db, id, wanted)]));
    requireAdmin(found, actor);
    requiredId(wanted, 'user_id');
    const m = targetMembership(found.rest[0]);
    await db.update(chatChannelMembers).set({ is_admin: true }).where(eq(chatChannelMembers.id, m.id));
    return { detail: 'Member promoted to admin.' };
  },
});

const demoteMemberRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/demote_member/',
  operationId: 'chat_channels_demote_member_create',
  summary: "Take a member's channel-admin rights",
  description:
    'Makes the admin `user_id` an ordinary member; the last admin cannot be demoted (400). Only the channel creator and its admins (never a Customer): 403 for others.',
  body: ChatUserIdRequest,
  response: ChatDetail,
  handler: async ({ db, actor, params, body }) => {
    const { m } = await adminChange(db, actor, params.id, body?.user_id, 'demote');
    await db.update(chatChannelMembers).set({ is_admin: false }).where(eq(chatChannelMembers.id, m.id));
    return { detail: 'Member demoted.' };
  },
});

const joinRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/join/',
  operationId: 'chat_channels_join_create',
  summary: 'Join a public channel',
  description:
    'Makes the caller a member of a channel they can see; a private channel answers 403 (private channels are joined by invitation: add_member).',
  response: ChatDetail,
  handler: async ({ db, actor, params }) => {
    const { channel } = await load(db, actor, params.id);
    if (channel.is_private) throw drf.forbidden('Cannot join a private channel.');
    await db.insert(chatChannelMembers).values({ channel: channel.id, user: actor.id, is_admin: false }).onConflictDoNothing();
    return { detail: 'Joined channel.' };
  },
});

const leaveRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/leave/',
  operationId: 'chat_channels_leave_create',
  summary: 'Leave a channel',
  description:
    'Removes the caller from the channel and closes their live sockets in the room; 400 when not a member or the last admin.',
  response: ChatDetail,
  handler: async ({ s, db, actor, params }) => {
    const { channel, member, rest } = await load(db, actor, params.id, (id) => [adminCountStmt(db, id)]);
    if (!member) throw drf.detail(400, 'You are not a member of this channel.');
    if (member.is_admin && adminsIn(rest[0]) <= 1) throw drf.detail(400, 'The last admin cannot leave the channel.');
    await db.delete(chatChannelMembers).where(eq(chatChannelMembers.id, member.id));
    await roomStub(s.env, { kind: 'channel', id: channel.id }).disconnect(actor.id);
    return { detail: 'Left channel.' };
  },
});

const markReadRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/mark_read/',
  operationId: 'chat_channels_mark_read_create',
  summary: 'Mark a channel read',
  description: "Moves the caller's read marker to now (every message so far counts as read). Members only (403).",
  response: ChatReadPosition,
  handler: async ({ db, actor, params }) => {
    const found = await load(db, actor, params.id);
    requireMember(found);
    return markReadNow(db, { kind: 'channel', id: found.channel.id }, actor.id);
  },
});

const markReadUpToRoute = route({
  ...channelAction,
  method: 'post',
  path: '/api/chat/channels/{id}/mark-read-up-to/',
  operationId: 'chat_channels_mark_read_up_to_create',
  summary: 'Mark a channel read up to a message',
  description:
    "Moves the caller's read marker to message `message_id` of this channel (404 when it is not one of its messages); the marker never moves backwards. Members only (403).",
  body: ChatMessageIdRequest,
  response: ChatReadPosition,
  handler: async ({ db, actor, params, body }) => {
    const wanted = body?.message_id;
    const found = await load(db, actor, params.id, (id) =>
      wanted === undefined ? [] : [messageTimestampStmt(db, { kind: 'channel', id }, wanted)],
    );
    requireMember(found);
    requiredId(wanted, 'message_id');
    return markReadUpTo(db, { kind: 'channel', id: found.channel.id }, actor.id, found.rest[0]);
  },
});

const unreadCountRoute = route({
  ...channelAction,
  method: 'get',
  path: '/api/chat/channels/{id}/unread_count/',
  operationId: 'chat_channels_unread_count_retrieve',
  summary: "Count a channel's unread messages",
  description: "Messages posted by others after the caller's read marker. Members only (403).",
  response: ChatUnreadCount,
  handler: async ({ db, actor, params }) => {
    const found = await load(db, actor, params.id, (id) => [unreadStmt(db, { kind: 'channel', id }, actor.id)]);
    requireMember(found);
    return unreadCountOf(found.rest[0]);
  },
});

const messagesRoute = route({
  ...channelAction,
  method: 'get',
  path: '/api/chat/channels/{id}/messages/',
  operationId: 'chat_channels_messages_list',
  summary: "List a channel's messages (history)",
  query: HistoryQuery,
  description: historyDescription,
  response: z.array(ChannelMessage),
  handler: async ({ s, db, actor, params, query, c }) => {
    const before = cursorParam(query.before, 'before');
    const found = await load(db, actor, params.id, (id) => historyStmts(db, { kind: 'channel', id }, before));
    requireMember(found);
    const page = historyPage({ kind: 'channel', id: found.channel.id }, found.rest[0]);
    return historyReply(s, c.req.url, page, found.rest[1]);
  },
});

/** Mounts the channel actions. */
export function mountChannelMembers(app: OpenAPIHono<AppEnv>) {
  mount(app, membersRoute);
  mount(app, addMemberRoute);
  mount(app, removeMemberRoute);
  mount(app, promoteMemberRoute);
  mount(app, demoteMemberRoute);
  mount(app, joinRoute);
  mount(app, leaveRoute);
  mount(app, markReadRoute);
  mount(app, markReadUpToRoute);
  mount(app, unreadCountRoute);
  mount(app, messagesRoute);
}
