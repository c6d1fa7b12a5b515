/**
 * Direct-thread read-state actions (later code, not in the reference): `messages/`, `mark_read/`,
 * `mark-read-up-to/`, `unread_count/`, with the same semantics as the channel ones. A read is one
 * batch (the caller's thread and what the action reads); a write is that batch, then the write.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { DirectMessage } from '../../contract/tamiti/chat.gen';
import { parseId } from '../../core/resource';
import { mount, route } from '../../core/route';
import type { Actor } from '../../core/scope';
import { type Db, runBatch, type Stmt } from '../../db';
import type { AppEnv } from '../../env';
import { historyReply, historyStmts, markReadNow, markReadUpTo, unreadCountOf } from './read-state';
import {
  ChatMessageIdRequest,
  ChatReadPosition,
  ChatUnreadCount,
  cursorParam,
  detailAction,
  HistoryQuery,
  historyDescription,
  historyPage,
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

const messagesRoute = route({
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
    const { room, rest } = await load(db, actor, params.id, (r) => historyStmts(db, r, before));
    return historyReply(s, c.req.url, historyPage(room, rest[0]), rest[1]);
  },
});

const markReadRoute = route({
  ...threadAction,
  method: 'post',
  path: '/api/chat/direct-threads/{id}/mark_read/',
  operationId: 'chat_direct_threads_mark_read_create',
  summary: 'Mark a direct thread read',
  description: "Moves the caller's read marker to now. Participants only: anyone else gets 404.",
  response: ChatReadPosition,
  handler: async ({ db, actor, params }) => {
    const { room } = await load(db, actor, params.id);
    return markReadNow(db, room, actor.id);
  },
});

const markReadUpToRoute = route({
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
    return markReadUpTo(db, room, actor.id, rest[0]);
  },
});

const unreadCountRoute = route({
  ...threadAction,
  method: 'get',
  path: '/api/chat/direct-threads/{id}/unread_count/',
  operationId: 'chat_direct_threads_unread_count_retrieve',
  summary: "Count a direct thread's unread messages",
  description: "Messages from the other participant after the caller's read marker. Participants only (404 for anyone else).",
  response: ChatUnreadCount,
  handler: async ({ db, actor, params }) => {
    const { rest } = await load(db, actor, params.id, (r) => [unreadStmt(db, r, actor.id)]);
    return unreadCountOf(rest[0]);
  },
});

/** Mounts the thread actions. */
export function mountThreadActions(app: OpenAPIHono<AppEnv>) {
  mount(app, messagesRoute);
  mount(app, markReadRoute);
  mount(app, markReadUpToRoute);
  mount(app, unreadCountRoute);
}
