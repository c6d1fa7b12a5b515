/**
 * `/api/chat/direct-threads/`: one thread per pair of users, visible to its two participants only
 * (404 otherwise), each embedding its newest live messages (HISTORY_PAGE for one thread,
 * EMBED_IN_LIST each in a list; older ones through `messages/?before=`). Creating a thread for an
 * existing pair returns that thread (200). Staff may start a thread with anyone; a Customer only
 * with someone who shares a channel with them (or who started one with them): anyone else is the
 * same 400 as a user who does not exist. Threads are not editable (the original let a participant
 * swap `user_2`); a participant deletes (soft), which frees the pair.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  DirectThread,
  DirectThread_READ_ONLY,
  DirectThreadRequest,
  PaginatedDirectThreadList,
  PatchedDirectThread,
} from '../../contract/tamiti/chat/direct-threads.gen';
import { drf } from '../../core/errors';
import { int } from '../../core/fields';
import { idByUuid, type Kit, kitOf, pickAs, type ResourceDef } from '../../core/resource';
import { json, mount, reply, route } from '../../core/route';
import { groupBy, runBatch, type Stmt } from '../../db';
import { chatChannelMembers, chatChannels, chatDirectMessages, chatDirectThreads, chatThreadReads } from '../../db/schema/chat';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { attachmentsStmt, idsOf, withAttachments } from './attachments';
import { EMBED_IN_LIST, HISTORY_PAGE } from './frames';
import { roomStub, signAttachments, toWire } from './rooms';

/** The create body: `user_2` only; `user_1` is the caller (accepted and ignored). */
export const DirectThreadCreate = DirectThreadRequest.extend({
  user_1: z.any().openapi({ readOnly: true, type: 'integer' }).optional(),
  user_2: int(),
}).openapi('DirectThreadCreateRequest');

type MessageRow = typeof chatDirectMessages.$inferSelect;
type ThreadRow = typeof chatDirectThreads.$inferSelect;

/**
 * The newest live messages of each thread of `ids`, as one statement for the rows' batch: one
 * thread (detail, create) embeds a page of history, a list a few per thread, so a response embeds
 * at most max(HISTORY_PAGE, EMBED_IN_LIST × page size) messages. Each thread's messages are read
 * from the (thread, timestamp, id) index from the newest end, that deep.
 */
function newestMessagesStmt(k: Kit, ids: SQL) {
  const m = chatDirectMessages;
  const depth = sql`(case when (select count(*) from ${ids}) = 1 then ${HISTORY_PAGE} else ${EMBED_IN_LIST} end)`;
  return k.db
    .select()
    .from(m)
    .where(
      sql`${m.thread} in ${ids} and ${m.id} in (select m2.id from chat_direct_messages m2 where m2.thread_id = ${m.thread} and m2.is_deleted = 0 order by m2.timestamp desc, m2.id desc limit ${depth})`,
    )
    .orderBy(asc(m.thread), asc(m.timestamp), asc(m.id));
}

export const directThreadResource: ResourceDef<typeof chatDirectThreads> = {
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
    if (ev.action === 'destroy') await roomStub(k.env, { kind: 'thread', id: ev.existing!.id }).disconnect();
  },
  expansion: {
    load: (k, ids) => {
      const messages = newestMessagesStmt(k, ids);
      return [messages, attachmentsStmt(k.db, 'thread', idsOf(messages))];
    },
    attach: (_k, rows, [messages, attachments]) => {
      const byThread = groupBy(messages as MessageRow[], 'thread');
      return rows.map((r) => ({
        ...r,
        messages: withAttachments(
          ((byThread.get(r.id) ?? []) as MessageRow[]).map((m) => toWire('thread', m)),
          attachments,
        ),
      }));
    },
  },
  // The embedded messages' attachment URLs, signed for this response (no query).
  expand: (k, rows) => signEmbedded(k, rows),
};

/** Signs the attachments of each thread's embedded messages. */
function signEmbedded<T extends object>(k: Kit, rows: T[]): Promise<T[]> {
  return Promise.all(
    rows.map(async (r) => ({
      ...r,
      messages: await signAttachments(k.s, ((r as { messages?: object[] }).messages ?? []) as object[]),
    })),
  );
}

/** Whether users `a` and `b` are both members of some live channel (a Customer may then write to the other). */
function sharedChannelStmt(k: Kit, a: number, b: number) {
  const mine = k.db
    .select({ id: chatChannelMembers.channel })
    .from(chatChannelMembers)
    .innerJoin(chatChannels, eq(chatChannels.id, chatChannelMembers.channel))
    .where(and(eq(chatChannelMembers.user, a), eq(chatChannels.is_deleted, false)));
  return k.db
    .select({ id: chatChannelMembers.id })
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.user, b), inArray(chatChannelMembers.channel, mine)))
    .limit(1);
}

/** The pair's live thread (user ids in order) with its expansion: statements for one batch. */
function livePairStmts(k: Kit, a: number, b: number): Stmt[] {
  const pair = and(eq(chatDirectThreads.user_1, a), eq(chatDirectThreads.user_2, b), eq(chatDirectThreads.is_deleted, false));
  const row = k.db.select().from(chatDirectThreads).where(pair).orderBy(asc(chatDirectThreads.id)).limit(1);
  const ids = sql`(select ${chatDirectThreads.id} from ${chatDirectThreads} where ${pair} order by ${chatDirectThreads.id} limit 1)`;
  return [row, ...directThreadResource.expansion!.load(k, ids)];
}

/** A thread in the DirectThread shape, from its row and what its expansion loaded. */
const threadBody = async (k: Kit, row: ThreadRow, loaded: unknown[][]) =>
  pickAs(DirectThread, (await signEmbedded(k, directThreadResource.expansion!.attach(k, [row], loaded)))[0]);

/**
 * Opens the pair's thread, or finds the live one: the user check, the live pair (with its
 * messages) and, for a Customer, the shared channel are one round trip; creating the thread with
 * both read states and reading it back is the second.
 */
export async function openThread(k: Kit, other: number): Promise<{ body: z.input<typeof DirectThread>; created: boolean }> {
  if (other === k.user.id) throw drf.forbidden('You cannot start a direct thread with yourself.');
  const [a, b] = k.user.id < other ? [k.user.id, other] : [other, k.user.id];
  const pair = livePairStmts(k, a, b);
  const customer = k.user.role === 'Customer';
  const [found, ...rest] = await runBatch(k.db, [
    k.db.select({ id: users.id }).from(users).where(eq(users.id, other)).limit(1),
    ...pair,
    ...(customer ? [sharedChannelStmt(k, k.user.id, other)] : []),
  ]);
  if (!(found as unknown[]).length) throw drf.field('user_2', `Invalid pk "${other}" - object does not exist.`);
  const [[existing], ...loaded] = rest.slice(0, pair.length) as [ThreadRow[], ...unknown[][]];
  if (existing) return { body: await threadBody(k, existing, loaded), created: false };
  if (customer && !(rest[pair.length] as unknown[]).length)
    throw drf.field('user_2', `Invalid pk "${other}" - object does not exist.`);

  const uuid = crypto.randomUUID();
  const threadId = idByUuid(chatDirectThreads, uuid);
  try {
    const [, , [row], ...back] = (await runBatch(k.db, [
      k.db.insert(chatDirectThreads).values({ uuid, user_1: a, user_2: b }),
      k.db.insert(chatThreadReads).values([
        { thread: threadId, user: a },
        { thread: threadId, user: b },
      ]),
      ...livePairStmts(k, a, b),
    ])) as [unknown, unknown, ThreadRow[], ...unknown[][]];
    return { body: await threadBody(k, row, back), created: true };
  } catch (err) {
    // Another request opened the same pair a moment ago (the live-pair unique index): return that thread.
    const [[raced], ...loaded] = (await runBatch(k.db, livePairStmts(k, a, b))) as [ThreadRow[], ...unknown[][]];
    if (raced) return { body: await threadBody(k, raced, loaded), created: false };
    throw err;
  }
}

/** `POST /api/chat/direct-threads/`: 201 with a new thread, 200 with the pair's existing one. */
export function mountDirectThreadCreate(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/chat/direct-threads/',
      operationId: 'chat_direct_threads_create',
      summary: 'Open a direct thread with a user',
      description:
        "Opens the thread between the caller and `user_2`: 201 with a new thread, 200 with the pair's existing one (one thread per pair, also under concurrent requests). Any signed-in user, Customers included.",
      tags: ['chat'],
      body: DirectThreadCreate,
      status: 201,
      response: DirectThread,
      responseDescription: 'A new thread',
      responses: { 200: json(DirectThread, 'The existing thread of this pair') },
      handler: async ({ c, body }) => {
        const { body: thread, created } = await openThread(kitOf(c, 'any'), body.user_2);
        return created ? thread : reply(thread, { status: 200 });
      },
    }),
  );
}
