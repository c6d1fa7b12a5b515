/**
 * Direct-thread read-state actions (later code, not in the reference): `messages/`, `mark_read/`,
 * `mark-read-up-to/`, `unread_count/`, with the same semantics as the channel ones.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { DirectMessage } from '../../contract/tamiti/chat.gen';
import { drf } from '../../core/errors';
import { getVisible, parseId, type Kit } from '../../core/resource';
import type { AppEnv } from '../../env';
import { directThreadResource } from './direct-threads';
import { markRead, messagePage, unreadCount, type Room } from './rooms';
import {
  ChatMessageIdRequest,
  ChatReadPosition,
  ChatUnreadCount,
  HistoryQuery,
  chatAction,
  cursorParam,
  historyDescription,
  linkNext,
  requiredId,
} from './shared';

/** The caller's thread as a room (404 for anyone else). */
async function room(k: Kit, rawId: string): Promise<Room> {
  const thread = await getVisible(directThreadResource, k, parseId(rawId, 'DirectThread'));
  return { kind: 'thread', id: thread.id };
}

const spec = (method: 'get' | 'post', action: string, operation: string, response: z.ZodType, body?: z.ZodType) => ({
  method,
  path: `/api/chat/direct-threads/{id}/${action}/`,
  operationId: `chat_direct_threads_${operation}`,
  model: 'direct thread',
  status: 200 as const,
  response,
  body,
});

/** Mounts the thread actions. */
export function mountThreadActions(app: OpenAPIHono<AppEnv>) {
  chatAction(
    app,
    {
      ...spec('get', 'messages', 'messages_list', z.array(DirectMessage)),
      summary: "List a direct thread's messages (history)",
      query: HistoryQuery,
      description: historyDescription,
    },
    async (k, id) => {
      const page = await messagePage(k.db, await room(k, id), cursorParam(k, 'before'));
      if (page.more) linkNext(k, 'before', page.messages[0].id);
      return page.messages;
    },
  );

  chatAction(
    app,
    {
      ...spec('post', 'mark_read', 'mark_read_create', ChatReadPosition),
      summary: 'Mark a direct thread read',
      description: "Moves the caller's read marker to now. Participants only: anyone else gets 404.",
    },
    async (k, id) => ({
      detail: 'Marked as read.',
      last_read_at: await markRead(k.db, await room(k, id), k.user.id),
    }),
  );

  chatAction(
    app,
    {
      ...spec('post', 'mark-read-up-to', 'mark_read_up_to_create', ChatReadPosition, ChatMessageIdRequest),
      summary: 'Mark a direct thread read up to a message',
      description:
        "Moves the caller's read marker to message `message_id` of this thread (404 when it is not one of its messages); the marker never moves backwards. Participants only (404 for anyone else).",
    },
    async (k, id, body) => {
      const at = await markRead(k.db, await room(k, id), k.user.id, requiredId(body, 'message_id'));
      if (at === 'not_found') throw drf.notFound('Message not found.');
      return { detail: 'Marked as read.', last_read_at: at };
    },
  );

  chatAction(
    app,
    {
      ...spec('get', 'unread_count', 'unread_count_retrieve', ChatUnreadCount),
      summary: "Count a direct thread's unread messages",
      description: "Messages from the other participant after the caller's read marker. Participants only (404 for anyone else).",
    },
    async (k, id) => ({
      unread_count: await unreadCount(k.db, await room(k, id), k.user.id),
    }),
  );
}
