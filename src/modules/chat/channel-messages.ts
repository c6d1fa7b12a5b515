/**
 * `/api/chat/channel-messages/`: messages of the channels the caller belongs to, oldest first
 * (timestamp, then id), filtered with `?channel=<id>`. A post goes through the room's Durable
 * Object, which stores and broadcasts it (one writer per room). Only the sender edits; the sender
 * or a channel admin deletes (soft).
 */
import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import {
  ChannelMessage,
  ChannelMessageRequest,
  ChannelMessage_READ_ONLY,
  PaginatedChannelMessageList,
  PatchedChannelMessage,
} from '../../contract/tamiti/chat.gen';
import { drf } from '../../core/errors';
import { kitOf, type Kit, type ResourceDef, type Row } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { chatChannelMembers, chatChannelMessages, chatChannels } from '../../db/schema/chat';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { channelWithMember, memberChannelIds, roomStub } from './rooms';
import { checkContent, postRefused } from './shared';

async function isAdminOf(k: Kit, channelId: number): Promise<boolean> {
  if (k.user.role === 'Customer') return false;
  const [row] = await k.db
    .select({ created_by: chatChannels.created_by, is_admin: chatChannelMembers.is_admin })
    .from(chatChannels)
    .leftJoin(chatChannelMembers, and(eq(chatChannelMembers.channel, chatChannels.id), eq(chatChannelMembers.user, k.user.id)))
    .where(eq(chatChannels.id, channelId))
    .limit(1);
  return !!row && (row.created_by === k.user.id || !!row.is_admin);
}

export const channelMessageResource: ResourceDef = {
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
  can: async (k, action, row) => {
    if (action === 'update' || action === 'partial_update') return row!.sender === k.user.id;
    if (action === 'destroy') return row!.sender === k.user.id || isAdminOf(k, row!.channel as number);
    return true;
  },
  prepare: (_k, input, existing) => {
    // The channel of a message never changes.
    const { channel: _ignored, ...values } = input;
    if (existing && values.content !== undefined) values.content = checkContent(values.content);
    return values;
  },
  expand: (_k, rows: Row[]) => rows.map((r) => ({ ...r, attachments: [] })),
};

/** `POST /api/chat/channel-messages/`: stored and broadcast by the room. */
export function mountChannelMessageCreate(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'post',
    path: '/api/chat/channel-messages/',
    operationId: 'chat_channel_messages_create',
    summary: 'Post a message to a channel',
    description:
      "Stores the message and broadcasts it to the room's live sockets (the same path as a socket `message` frame). The caller must be a member of the channel (403); a channel the caller cannot see is a 400 on `channel`, as one that does not exist. Content is trimmed and must be 1 to 4,000 characters. At most CHAT_POST_RATE messages per user per window (default 30 in 10 seconds), REST and sockets together: then 429 with Retry-After. Any signed-in user, Customers included.",
    tags: ['chat'],
    security: bearer,
    middleware: [requireAuth()] as const,
    request: { body: jsonBody(ChannelMessageRequest) },
    responses: {
      201: jsonResponse(ChannelMessage, ''),
      ...drfErrors,
      429: { description: 'Past the per-user posting limit (Retry-After)' },
    },
  });
  app.openapi(route, async (c) => {
    const k = kitOf(c, 'any');
    const input = c.req.valid('json');
    const content = checkContent(input.content);
    const found = await channelWithMember(k.db, input.channel, k.user.id);
    // A channel the caller cannot see gets the same answer as one that does not exist.
    const invisible = !found || (!found.member && (found.channel.is_private || k.user.role === 'Customer'));
    if (invisible) throw drf.field('channel', `Invalid pk "${input.channel}" - object does not exist.`);
    if (!found.member) throw drf.forbidden('You are not a member of this channel.');
    const result = await roomStub(c.env, { kind: 'channel', id: input.channel }).post(
      { kind: 'channel', id: input.channel },
      k.user.id,
      content,
    );
    if ('error' in result) throw postRefused(result, 'You are not a member of this channel.');
    return c.json(result.message as never, 201);
  });
}
