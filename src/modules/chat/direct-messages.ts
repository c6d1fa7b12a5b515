/**
 * `/api/chat/direct-messages/`: messages of the caller's threads, oldest first (timestamp, then
 * id), filtered with `?thread=<id>`. A post goes through the thread's Durable Object, which stores
 * and broadcasts it and notifies the other participant when they are not connected. Only the
 * sender edits or deletes (soft).
 */
import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import {
  DirectMessage,
  DirectMessageRequest,
  DirectMessage_READ_ONLY,
  PaginatedDirectMessageList,
  PatchedDirectMessage,
} from '../../contract/tamiti/chat.gen';
import { drf } from '../../core/errors';
import { kitOf, type ResourceDef, type Row } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { chatDirectMessages } from '../../db/schema/chat';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { isParticipant, liveThread, participantThreadIds, roomStub } from './rooms';
import { checkContent, postRefused } from './shared';

export const directMessageResource: ResourceDef = {
  path: '/chat/direct-messages/',
  operationId: 'chat_direct_messages',
  tag: 'chat',
  model: 'DirectMessage',
  table: chatDirectMessages,
  schemas: { read: DirectMessage, write: DirectMessageRequest, patch: PatchedDirectMessage, page: PaginatedDirectMessageList },
  // The reference marks sender/timestamp writable; the server sets them (behaviour notes, section 8).
  readOnly: [...DirectMessage_READ_ONLY, 'sender', 'timestamp'],
  actions: ['list', 'retrieve', 'update', 'partial_update', 'destroy'],
  audience: 'any',
  softDelete: true,
  filters: { thread: { column: chatDirectMessages.thread, type: 'int', description: 'Only the messages of this thread.' } },
  ordering: { timestamp: chatDirectMessages.timestamp },
  defaultOrdering: ['timestamp', 'id'],
  scope: (k) => inArray(chatDirectMessages.thread, participantThreadIds(k.db, k.user.id)),
  can: (k, action, row) =>
    action === 'update' || action === 'partial_update' || action === 'destroy' ? row!.sender === k.user.id : true,
  prepare: (_k, input, existing) => {
    // The thread of a message never changes.
    const { thread: _ignored, ...values } = input;
    if (existing && values.content !== undefined) values.content = checkContent(values.content);
    return values;
  },
  expand: (_k, rows: Row[]) => rows.map((r) => ({ ...r, attachments: [] })),
};

/** `POST /api/chat/direct-messages/`: stored and broadcast by the thread's room. */
export function mountDirectMessageCreate(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'post',
    path: '/api/chat/direct-messages/',
    operationId: 'chat_direct_messages_create',
    summary: 'Send a direct message',
    description:
      "Stores the message in the thread and broadcasts it to the thread's live sockets. Only the thread's two participants may post; anyone else's thread is a 400 on `thread`, as one that does not exist (the original answered 500). Same content rules and per-user posting limit (429 with Retry-After) as channel messages. Any signed-in user, Customers included.",
    tags: ['chat'],
    security: bearer,
    middleware: [requireAuth()] as const,
    request: { body: jsonBody(DirectMessageRequest) },
    responses: {
      201: jsonResponse(DirectMessage, ''),
      ...drfErrors,
      429: { description: 'Past the per-user posting limit (Retry-After)' },
    },
  });
  app.openapi(route, async (c) => {
    const k = kitOf(c, 'any');
    const input = c.req.valid('json');
    const content = checkContent(input.content);
    const thread = await liveThread(k.db, input.thread);
    // Someone else's thread gets the same answer as one that does not exist (the original: 500).
    if (!thread || !isParticipant(thread, k.user.id))
      throw drf.field('thread', `Invalid pk "${input.thread}" - object does not exist.`);
    const result = await roomStub(c.env, { kind: 'thread', id: thread.id }).post(
      { kind: 'thread', id: thread.id },
      k.user.id,
      content,
    );
    if ('error' in result) throw postRefused(result, 'You are not a participant of this thread.');
    return c.json(result.message as never, 201);
  });
}
