/**
 * `/api/chat/direct-threads/`: one thread per pair of users, visible to its two participants only
 * (404 otherwise), each embedding its newest live messages (HISTORY_PAGE for one thread,
 * EMBED_IN_LIST each in a list; older ones through `messages/?before=`). Creating a thread for an
 * existing pair returns that thread (200). Staff may start a thread with anyone; a Customer only
 * with someone who shares a channel with them (or who started one with them): anyone else is the
 * same 400 as a user who does not exist. Threads are not editable (the original let a participant
 * swap `user_2`); a participant deletes (soft), which frees the pair.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import {
  DirectThread,
  DirectThreadRequest,
  DirectThread_READ_ONLY,
  PaginatedDirectThreadList,
  PatchedDirectThread,
} from '../../contract/tamiti/chat.gen';
import { drf } from '../../core/errors';
import { int } from '../../core/fields';
import {
  checkForeignKeys,
  idByUuid,
  kitOf,
  serialize,
  type Kit,
  type ResourceDef,
  type Row,
  type Stmt,
} from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { chatChannelMembers, chatChannels, chatDirectThreads, chatThreadReads } from '../../db/schema/chat';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { EMBED_IN_LIST, HISTORY_PAGE } from './frames';
import { newestPerThread, roomStub } from './rooms';

/** The create body: `user_2` only; `user_1` is the caller (accepted and ignored). */
export const DirectThreadCreate = DirectThreadRequest.extend({
  user_1: z.any().openapi({ readOnly: true, type: 'integer' }).optional(),
  user_2: int(),
}).openapi('DirectThreadCreateRequest');

export const directThreadResource: ResourceDef = {
  path: '/chat/direct-threads/',
  operationId: 'chat_direct_threads',
  tag: 'chat',
  model: 'DirectThread',
  table: chatDirectThreads,
  schemas: { read: DirectThread, write: DirectThreadRequest, patch: PatchedDirectThread, page: PaginatedDirectThreadList },
  readOnly: DirectThread_READ_ONLY,
  actions: ['list', 'retrieve', 'update', 'partial_update', 'destroy'],
  audience: 'any',
  softDelete: true,
  scope: (k) => or(eq(chatDirectThreads.user_1, k.user.id), eq(chatDirectThreads.user_2, k.user.id)),
  // Participants may not rewrite a thread (the original let them swap user_2).
  can: (_k, action) => action !== 'update' && action !== 'partial_update',
  after: async (k, ev) => {
    if (ev.action === 'destroy') await roomStub(k.c.env, { kind: 'thread', id: ev.existing!.id }).disconnect();
  },
  expand: async (k, rows) => {
    // One thread (detail, create): a page of history; a list: a few per thread. A response embeds
    // at most max(HISTORY_PAGE, EMBED_IN_LIST × page size) messages.
    const perThread = rows.length === 1 ? HISTORY_PAGE : EMBED_IN_LIST;
    const messages = await newestPerThread(
      k.db,
      rows.map((r) => r.id),
      perThread,
    );
    return rows.map((r) => ({ ...r, messages: messages.get(r.id) ?? [] }));
  },
};

/** Whether two users are both members of some live channel (a Customer may then write to the other). */
async function shareChannel(k: Kit, a: number, b: number): Promise<boolean> {
  const mine = k.db
    .select({ id: chatChannelMembers.channel })
    .from(chatChannelMembers)
    .innerJoin(chatChannels, eq(chatChannels.id, chatChannelMembers.channel))
    .where(and(eq(chatChannelMembers.user, a), eq(chatChannels.is_deleted, false)));
  const [row] = await k.db
    .select({ id: chatChannelMembers.id })
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.user, b), inArray(chatChannelMembers.channel, mine)))
    .limit(1);
  return !!row;
}

async function livePair(k: Kit, a: number, b: number): Promise<Row | undefined> {
  const [row] = await k.db
    .select()
    .from(chatDirectThreads)
    .where(and(eq(chatDirectThreads.user_1, a), eq(chatDirectThreads.user_2, b), eq(chatDirectThreads.is_deleted, false)))
    .orderBy(asc(chatDirectThreads.id))
    .limit(1);
  return row as Row | undefined;
}

/** Creates the pair's thread with both read states, or returns the live one. */
export async function openThread(k: Kit, other: number): Promise<{ row: Row; created: boolean }> {
  if (other === k.user.id) throw drf.forbidden('You cannot start a direct thread with yourself.');
  await checkForeignKeys(k.db, { user_2: users }, { user_2: other });
  const [a, b] = k.user.id < other ? [k.user.id, other] : [other, k.user.id];
  const existing = await livePair(k, a, b);
  if (existing) return { row: existing, created: false };
  if (k.user.role === 'Customer' && !(await shareChannel(k, k.user.id, other)))
    throw drf.field('user_2', `Invalid pk "${other}" - object does not exist.`);
  const uuid = crypto.randomUUID();
  const threadId = idByUuid(chatDirectThreads, uuid) as unknown as number;
  try {
    await k.db.batch([
      k.db.insert(chatDirectThreads).values({ uuid, user_1: a, user_2: b }),
      k.db.insert(chatThreadReads).values([
        { thread: threadId, user: a },
        { thread: threadId, user: b },
      ]) as unknown as Stmt,
    ]);
  } catch (err) {
    // Another request opened the same pair a moment ago: return that thread.
    const raced = await livePair(k, a, b);
    if (raced) return { row: raced, created: false };
    throw err;
  }
  return { row: (await livePair(k, a, b))!, created: true };
}

/** `POST /api/chat/direct-threads/`: 201 with a new thread, 200 with the pair's existing one. */
export function mountDirectThreadCreate(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'post',
    path: '/api/chat/direct-threads/',
    operationId: 'chat_direct_threads_create',
    summary: 'Open a direct thread with a user',
    description:
      "Opens the thread between the caller and `user_2`: 201 with a new thread, 200 with the pair's existing one (one thread per pair, also under concurrent requests). Any signed-in user, Customers included.",
    tags: ['chat'],
    security: bearer,
    middleware: [requireAuth()] as const,
    request: { body: jsonBody(DirectThreadCreate) },
    responses: {
      201: jsonResponse(DirectThread, 'A new thread'),
      200: jsonResponse(DirectThread, 'The existing thread of this pair'),
      ...drfErrors,
    },
  });
  app.openapi(route, async (c) => {
    const k = kitOf(c, 'any');
    const { row, created } = await openThread(k, c.req.valid('json').user_2);
    const [body] = await serialize(directThreadResource, k, [row]);
    return c.json(body as never, created ? 201 : 200);
  });
}
