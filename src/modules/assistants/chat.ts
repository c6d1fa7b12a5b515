/**
 * POST /api/assistants/chat/{assistant_id}/ (the reference) and POST /api/assistants/{id}/chat/
 * (the seed): one handler, the same assistant id (a virtual StaffRole id). Body `{message}` of
 * 1..1000 characters; rate limited per user.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { AssistantChatRequest, AssistantResponse } from '../../contract/tamiti/assistants.gen';
import { drf } from '../../core/errors';
import { kitOf, parseId } from '../../core/resource';
import type { Db } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { assistantChatRate } from '../../db/schema/assistants';
import type { AppEnv } from '../../env';
import { tooManyRequests } from '../../openapi/responses';
import { currentUser, requireAuth } from '../../middleware/auth';
import { findAssistant } from './assistants';
import { reply } from './reply';

/** Chat messages allowed per user per minute. */
export const CHAT_RATE_PER_MINUTE = 20;

/** Counts this request in the user's current minute; returns the new count (one atomic upsert). */
export async function bumpChatCount(db: Db, userId: number, window: number): Promise<number> {
  const [row] = await db
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
  return row.count;
}

/** 429 with Retry-After once a user sent CHAT_RATE_PER_MINUTE messages this minute. */
function chatRateLimit(): MiddlewareHandler<AppEnv> {
  return async function chatRateLimit(c, next) {
    const now = Date.now();
    const window = Math.floor(now / 60_000);
    const count = await bumpChatCount(c.get('db'), currentUser(c).id, window);
    if (count > CHAT_RATE_PER_MINUTE) throw drf.throttled(Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000)));
    await next();
  };
}

const body = jsonBody(AssistantChatRequest);
const responses = {
  200: jsonResponse(AssistantResponse, ''),
  429: tooManyRequests(z.object({ detail: z.string() }), 'the chat limit (20 messages a minute per user)'),
  ...drfErrors,
};

async function chat(c: Context<AppEnv>, rawId: string, message: string) {
  const k = kitOf(c, 'any');
  // str() trims; DRF's CharField does too, and refuses what is left blank.
  if (!message) throw drf.field('message', 'This field may not be blank.');
  const role = await findAssistant(k.db, parseId(rawId, 'StaffRole'));
  if (!role) throw drf.notFound('No StaffRole matches the given query.');
  const result = await reply(k.db, c.env.AI, role, k.user.id, message);
  return c.json({ assistant: role.title, response: result.response }, 200);
}

export function mountChat(app: OpenAPIHono<AppEnv>) {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/assistants/chat/{assistant_id}/',
      operationId: 'assistants_chat_create',
      summary: 'Chat with an assistant',
      description:
        "Answers `message` as the assistant (a staff role marked as assistant): a matching command's response first; otherwise Workers AI with the assistant's settings when the `AI` binding is configured; otherwise the assistant's default response. The exchange is logged. At most 20 messages a minute per user (429 with Retry-After). Any signed-in user, Customers included.",
      tags: ['assistants'],
      security: bearer,
      middleware: [requireAuth(), chatRateLimit()] as const,
      request: {
        params: z.object({ assistant_id: z.string().openapi({ param: { name: 'assistant_id', in: 'path' }, type: 'integer' }) }),
        body,
      },
      responses,
    }),
    (c) => chat(c, c.req.param('assistant_id') ?? '', c.req.valid('json').message),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/assistants/{id}/chat/',
      operationId: 'assistants_chat_by_id_create',
      summary: 'Chat with an assistant (by id)',
      tags: ['assistants'],
      security: bearer,
      middleware: [requireAuth(), chatRateLimit()] as const,
      description: 'The same chat as /api/assistants/chat/{assistant_id}/ (the seed spells it this way).',
      request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, type: 'integer' }) }), body },
      responses,
    }),
    (c) => chat(c, c.req.param('id') ?? '', c.req.valid('json').message),
  );
}
