/**
 * `/api/chat/direct-messages/`: messages of the caller's threads, oldest first (timestamp, then
 * id), filtered with `?thread=<id>`. A post goes through the thread's Durable Object, which stores
 * and broadcasts it and notifies the other participant when they are not connected. Only the
 * sender edits or deletes (soft).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import { DirectMessage, DirectMessage_READ_ONLY, DirectMessageRequest } from '../../contract/tamiti/chat.gen';
import { PaginatedDirectMessageList, PatchedDirectMessage } from '../../contract/tamiti/chat/direct-messages.gen';
import { drf } from '../../core/errors';
import { fileDeleteEvent } from '../../core/files';
import type { ResourceDef } from '../../core/resource';
import { mount, route } from '../../core/route';
import { chatDirectMessages } from '../../db/schema/chat';
import type { AppEnv } from '../../env';
import { isParticipant, liveThread, participantThreadIds, roomStub } from './rooms';
import { attachmentExpansion, dropAttachmentsStmt, releasedAttachments, signExpanded } from './attachments';
import { checkContent, postRefused } from './shared';

export const directMessageResource: ResourceDef<typeof chatDirectMessages> = {
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
  expansion: attachmentExpansion('thread'),
  expand: signExpanded,
  // A deleted message's attachments go with it; the queue removes their objects.
  sideEffects: (k, ev) => (ev.action === 'destroy' ? [dropAttachmentsStmt(k.db, 'thread', ev.existing!.id)] : []),
  after: (_k, ev) => {
    const keys = ev.action === 'destroy' ? releasedAttachments(ev) : [];
    return keys.length ? [fileDeleteEvent(keys)] : [];
  },
};

/** `POST /api/chat/direct-messages/`: stored and broadcast by the thread's room. */
export function mountDirectMessageCreate(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/chat/direct-messages/',
      operationId: 'chat_direct_messages_create',
      summary: 'Send a direct message',
      description:
        "Stores the message in the thread and broadcasts it to the thread's live sockets. Only the thread's two participants may post; anyone else's thread is a 400 on `thread`, as one that does not exist (the original answered 500). Same content rules and per-user posting limit (429 with Retry-After) as channel messages. Any signed-in user, Customers included.",
      tags: ['chat'],
      body: DirectMessageRequest,
      status: 201,
      response: DirectMessage,
      responses: { 429: { description: 'Past the per-user posting limit (Retry-After)' } },
      handler: async ({ s, db, actor, body }) => {
        const content = checkContent(body.content);
        // One round trip (authorization included); the room stores the message on its own binding.
        const thread = await liveThread(db, body.thread);
        // Someone else's thread gets the same answer as one that does not exist (the original: 500).
        if (!thread || !isParticipant(thread, actor.id))
          throw drf.field('thread', `Invalid pk "${body.thread}" - object does not exist.`);
        const room = { kind: 'thread', id: thread.id } as const;
        const result = await roomStub(s.env, room).post(room, actor.id, content);
        if ('error' in result) throw postRefused(result, 'You are not a participant of this thread.');
        return { ...result.message, thread: thread.id };
      },
    }),
  );
}
