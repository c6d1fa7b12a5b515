/**
 * POST /api/assistants/chat/{assistant_id}/ (the reference) and POST /api/assistants/{id}/chat/
 * (the seed): one route and its alias, the same assistant id (a virtual StaffRole id). Body
 * `{message}` of 1..1000 characters; rate limited per user.
 *
 * Round trips: one batch counts the message in the user's rate window and loads the assistant with
 * what it answers from (commands, default response, model); the exchange's log is the second.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { AssistantChatRequest, AssistantResponse } from '../../contract/tamiti/assistants/chat.gen';
import { drf } from '../../core/errors';
import { parseId } from '../../core/resource';
import { mount, route } from '../../core/route';
import { type Db, runBatch } from '../../db';
import type { staffRoles } from '../../db/schema/accounts';
import { assistantChatRate } from '../../db/schema/assistants';
import type { AppEnv } from '../../env';
import { tooManyRequests } from '../../openapi/responses';
import { assistantStmt } from './assistants';
import { readReplyData, reply, replyData } from './reply';

/** Chat messages allowed per user per minute. */
export const CHAT_RATE_PER_MINUTE = 20;

/**
 * Counts a message in the user's current minute and returns the new count (one atomic upsert), as
 * a statement for the chat's batch.
 */
export function bumpChatCountStmt(db: Db, userId: number, window: number) {
  return db
    .insert(assistantChatRate)
    .values({ user: userId, window, count: 1 })
    .onConflictDoUpdate({
      target: assistantChatRate.user,
      set: {
        count: sql`CASE WHEN ${assistantChatRate.window} = excluded.window THEN ${assistantChatRate.count} + 1 ELSE 1 END`,
        window: sql`excluded.window`,
      },
    })
    .returning({ count: assistantChatRate.count });
}

const chat = route({
  method: 'post',
  path: '/api/assistants/chat/{assistant_id}/',
  operationId: 'assistants_chat_create',
  summary: 'Chat with an assistant',
  description:
    "Answers `message` as the assistant (a staff role marked as assistant): a matching command's response first; otherwise Workers AI with the assistant's settings when the `AI` binding is configured; otherwise the assistant's default response. The exchange is logged. At most 20 messages a minute per user (429 with Retry-After). Any signed-in user, Customers included.",
  tags: ['assistants'],
  params: z.object({ assistant_id: z.string().openapi({ param: { name: 'assistant_id', in: 'path' }, type: 'integer' }) }),
  body: AssistantChatRequest,
  response: AssistantResponse,
  responses: {
    429: tooManyRequests(z.object({ detail: z.string() }), 'the chat limit (20 messages a minute per user)'),
  },
  aliases: [
    {
      path: '/api/assistants/{id}/chat/',
      operationId: 'assistants_chat_by_id_create',
      summary: 'Chat with an assistant (by id)',
      description: 'The same chat as /api/assistants/chat/{assistant_id}/ (the seed spells it this way).',
      params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, type: 'integer' }) }),
      into: ({ params, query, body }) => ({
        params: { assistant_id: String(params.id ?? '') },
        query: query as Record<string, never>,
        body: body as z.output<typeof AssistantChatRequest>,
      }),
    },
  ],
  handler: async ({ s, db, actor, params, body }) => {
    // str() trims; DRF's CharField does too, and refuses what is left blank.
    if (!body.message) throw drf.field('message', 'This field may not be blank.');
    const id = parseId(params.assistant_id, 'StaffRole');
    const now = Date.now();
    const window = Math.floor(now / 60_000);
    const [[rate], [role], ...loaded] = (await runBatch(db, [
      bumpChatCountStmt(db, actor.id, window),
      assistantStmt(db, id),
      ...replyData(db, id),
    ])) as [{ count: number }[], (typeof staffRoles.$inferSelect)[], ...unknown[][]];
    if (rate.count > CHAT_RATE_PER_MINUTE) throw drf.throttled(Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000)));
    if (!role) throw drf.notFound('No StaffRole matches the given query.');
    const result = await reply(db, s.env.AI, role, actor.id, body.message, readReplyData(loaded));
    return { assistant: role.title, response: result.response };
  },
});

export function mountChat(app: OpenAPIHono<AppEnv>) {
  mount(app, chat);
}
