/**
 * `/api/chat/channel-messages/`: messages of the channels the caller belongs to, oldest first
 * (timestamp, then id), filtered with `?channel=<id>`. A post goes through the room's Durable
 * Object, which stores and broadcasts it (one writer per room). Only the sender edits; the sender
 * or a channel admin deletes (soft).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import {
  ChannelMessage,
  ChannelMessage_READ_ONLY,
  ChannelMessageRequest,
  PaginatedChannelMessageList,
  PatchedChannelMessage,
} from '../../contract/tamiti/chat/channel-messages.gen';
import { drf } from '../../core/errors';
import { fileDeleteEvent } from '../../core/files';
import type { Check, Kit, ResourceDef } from '../../core/resource';
import { mount, route } from '../../core/route';
import { chatChannelMembers, chatChannelMessages, chatChannels } from '../../db/schema/chat';
import type { AppEnv } from '../../env';
import { channelWithMember, memberChannelIds, roomStub } from './rooms';
import { attachmentExpansion, dropAttachmentsStmt, releasedAttachments, signExpanded } from './attachments';
import { checkContent, postRefused } from './shared';

/**
 * Deleting someone else's message takes a channel admin (its creator or an admin member, never a
 * Customer): a check in the delete's first round trip, beside the message; 403 otherwise.
 */
function senderOrAdminCheck(k: Kit, messageId: number): Check {
  return {
    stmt: k.db
      .select({ created_by: chatChannels.created_by, is_admin: chatChannelMembers.is_admin })
      .from(chatChannelMessages)
      .innerJoin(chatChannels, eq(chatChannels.id, chatChannelMessages.channel))
      .leftJoin(chatChannelMembers, and(eq(chatChannelMembers.channel, chatChannels.id), eq(chatChannelMembers.user, k.user.id)))
      .where(eq(chatChannelMessages.id, messageId))
      .limit(1),
    verify: (rows, existing) => {
      if (existing?.sender === k.user.id) return undefined;
      const [room] = rows;
      const admin = k.user.role !== 'Customer' && !!room && (room.created_by === k.user.id || !!room.is_admin);
      if (!admin) throw drf.forbidden();
      return undefined;
    },
  };
}

export const channelMessageResource: ResourceDef<typeof chatChannelMessages> = {
  path: '/chat/channel-messages/',
  operationId: 'chat_channel_messages',
  tag: 'chat',
  model: 'ChannelMessage',
  table: chatChannelMessages,
  schemas: {
    read: ChannelMessage,
    write: ChannelMessageRequest,
    patch: PatchedChannelMessage,
    page: PaginatedChannelMessageList,
  },
  // The reference marks sender/timestamp writable; the server sets them (behaviour notes, section 8).
  readOnly: [...ChannelMessage_READ_ONLY, 'sender', 'timestamp'],
  actions: ['list', 'retrieve', 'update', 'partial_update', 'destroy'],
  audience: 'any',
  softDelete: true,
  filters: { channel: { column: chatChannelMessages.channel, type: 'int', description: 'Only the messages of this channel.' } },
  ordering: { timestamp: chatChannelMessages.timestamp },
  defaultOrdering: ['timestamp', 'id'],
  scope: (k) => inArray(chatChannelMessages.channel, memberChannelIds(k.db, k.user.id)),
  can: (k, action, row) => (action === 'update' || action === 'partial_update' ? row!.sender === k.user.id : true),
  destroyChecks: (k, id) => [senderOrAdminCheck(k, id)],
  prepare: (_k, input, existing) => {
    // The channel of a message never changes.
    const { channel: _ignored, ...values } = input;
    if (existing && values.content !== undefined) values.content = checkContent(values.content);
    return values;
  },
  expansion: attachmentExpansion('channel'),
  expand: signExpanded,
  // A deleted message's attachments go with it; the queue removes their objects.
  sideEffects: (k, ev) => (ev.action === 'destroy' ? [dropAttachmentsStmt(k.db, 'channel', ev.existing!.id)] : []),
  after: (_k, ev) => {
    const keys = ev.action === 'destroy' ? releasedAttachments(ev) : [];
    return keys.length ? [fileDeleteEvent(keys)] : [];
  },
};

/** `POST /api/chat/channel-messages/`: stored and broadcast by the room. */
export function mountChannelMessageCreate(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/chat/channel-messages/',
      operationId: 'chat_channel_messages_create',
      summary: 'Post a message to a channel',
      description:
        "Stores the message and broadcasts it to the room's live sockets (the same path as a socket `message` frame). The caller must be a member of the channel (403); a channel the caller cannot see is a 400 on `channel`, as one that does not exist. Content is trimmed and must be 1 to 4,000 characters. At most CHAT_POST_RATE messages per user per window (default 30 in 10 seconds), REST and sockets together: then 429 with Retry-After. Any signed-in user, Customers included.",
      tags: ['chat'],
      body: ChannelMessageRequest,
      status: 201,
      response: ChannelMessage,
      responses: { 429: { description: 'Past the per-user posting limit (Retry-After)' } },
      handler: async ({ s, db, actor, body }) => {
        const content = checkContent(body.content);
        // One round trip (authorization included); the room stores the message on its own binding.
        const found = await channelWithMember(db, body.channel, actor.id);
        // A channel the caller cannot see gets the same answer as one that does not exist.
        const invisible = !found || (!found.member && (found.channel.is_private || actor.role === 'Customer'));
        if (invisible) throw drf.field('channel', `Invalid pk "${body.channel}" - object does not exist.`);
        if (!found.member) throw drf.forbidden('You are not a member of this channel.');
        const room = { kind: 'channel', id: body.channel } as const;
        const result = await roomStub(s.env, room).post(room, actor.id, content);
        if ('error' in result) throw postRefused(result, 'You are not a member of this channel.');
        return { ...result.message, channel: body.channel };
      },
    }),
  );
}
