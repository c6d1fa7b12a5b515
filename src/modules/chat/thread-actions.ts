/**
 * Direct-thread read-state actions (later code, not in the reference): `messages/`, `mark_read/`,
 * `mark-read-up-to/`, `unread_count/`, with the same semantics as the channel ones. A read is one
 * batch (the caller's thread and what the action reads); a write is that batch, then the write.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { DirectMessage } from '../../contract/tamiti/chat.gen';
import { drf } from '../../core/errors';
import { parseId } from '../../core/resource';
import { mount, reply, route } from '../../core/route';
import type { Actor } from '../../core/scope';
import { type Db, runBatch, type Stmt } from '../../db';
import { nowIso } from '../../db/columns';
import type { AppEnv } from '../../env';
import { attachmentsStmt, idsOf, withAttachments } from './attachments';
import { signAttachments } from './rooms';
import {
  ChatMessageIdRequest,
  ChatReadPosition,
  ChatUnreadCount,
  cursorParam,
  detailAction,
  HistoryQuery,
  historyDescription,
  historyPage,
  historyStmt,
  linkNext,
  markReadStmt,
  messageTimestampStmt,
  requiredId,
  threadAccessStmt,
  unreadStmt,
  visibleThread,
} from './shared';

type ThreadRoom = { kind: 'thread'; id: number };

/** One round trip: the caller's thread as a room (404 for anyone else), then what `more` reads. */
async function load(db: Db, actor: Actor, rawId: string, more: (room: ThreadRoom) => Stmt[] = () => []) {
  const id = parseId(rawId, 'DirectThread');
  const room: ThreadRoom = { kind: 'thread', id };
  const [access, ...rest] = await runBatch(db, [threadAccessStmt(db, id, actor), ...more(room)]);
  visibleThread(access);
  return { room, rest };
}

const threadAction = detailAction('direct thread');

/** Mounts the thread actions. */
export function mountThreadActions(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      ...threadAction,
      method: 'get',
      path: '/api/chat/direct-threads/{id}/messages/',
      operationId: 'chat_direct_threads_messages_list',
      summary: "List a direct thread's messages (history)",
      query: HistoryQuery,
      description: historyDescription,
      response: z.array(DirectMessage),
      handler: async ({ s, db, actor, params, query, c }) => {
        const before = cursorParam(query.before, 'before');
        const { room, rest } = await load(db, actor, params.id, (r) => {
          const history = historyStmt(db, r, before);
          return [history, attachmentsStmt(db, 'thread', idsOf(history))];
        });
        const page = historyPage(room, rest[0]);
        const messages = await signAttachments(s, withAttachments(page.messages, rest[1]));
        if (page.more) return reply(messages, { headers: linkNext(c.req.url, 'before', messages[0].id) });
        return messages;
      },
    }),
  );

  mount(
    app,
    route({
      ...threadAction,
      method: 'post',
      path: '/api/chat/direct-threads/{id}/mark_read/',
      operationId: 'chat_direct_threads_mark_read_create',
      summary: 'Mark a direct thread read',
      description: "Moves the caller's read marker to now. Participants only: anyone else gets 404.",
      response: ChatReadPosition,
      handler: async ({ db, actor, params }) => {
        const { room } = await load(db, actor, params.id);
        const at = nowIso();
        const [row] = await markReadStmt(db, room, actor.id, at);
        return { detail: 'Marked as read.', last_read_at: row?.last_read_at ?? at };
      },
    }),
  );

  mount(
    app,
    route({
      ...threadAction,
      method: 'post',
      path: '/api/chat/direct-threads/{id}/mark-read-up-to/',
      operationId: 'chat_direct_threads_mark_read_up_to_create',
      summary: 'Mark a direct thread read up to a message',
      description:
        "Moves the caller's read marker to message `message_id` of this thread (404 when it is not one of its messages); the marker never moves backwards. Participants only (404 for anyone else).",
      body: ChatMessageIdRequest,
      response: ChatReadPosition,
      handler: async ({ db, actor, params, body }) => {
        const wanted = body?.message_id;
        const { room, rest } = await load(db, actor, params.id, (r) =>
          wanted === undefined ? [] : [messageTimestampStmt(db, r, wanted)],
        );
        requiredId(wanted, 'message_id');
        const [message] = rest[0] as { timestamp: string }[];
        if (!message) throw drf.notFound('Message not found.');
        const [row] = await markReadStmt(db, room, actor.id, message.timestamp);
        return { detail: 'Marked as read.', last_read_at: row?.last_read_at ?? message.timestamp };
      },
    }),
  );

  mount(
    app,
    route({
      ...threadAction,
      method: 'get',
      path: '/api/chat/direct-threads/{id}/unread_count/',
      operationId: 'chat_direct_threads_unread_count_retrieve',
      summary: "Count a direct thread's unread messages",
      description: "Messages from the other participant after the caller's read marker. Participants only (404 for anyone else).",
      response: ChatUnreadCount,
      handler: async ({ db, actor, params }) => {
        const { rest } = await load(db, actor, params.id, (r) => [unreadStmt(db, r, actor.id)]);
        return { unread_count: (rest[0] as { n: number }[])[0]?.n ?? 0 };
      },
    }),
  );
}
