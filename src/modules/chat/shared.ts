/**
 * Small pieces shared by the chat routes: a builder for the extra actions (later code, not in the
 * reference), response schemas and the message content rule.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { drf } from '../../core/errors';
import { int } from '../../core/fields';
import { kitOf, type Kit } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import type { PostResult } from './chat-room.do';
import { HISTORY_PAGE, MAX_CONTENT } from './frames';

export const ChatDetail = z.object({ detail: z.string() }).openapi('ChatDetail');
export const ChatReadPosition = z.object({ detail: z.string(), last_read_at: z.string().nullable() }).openapi('ChatReadPosition');
export const ChatUnreadCount = z.object({ unread_count: z.number().int() }).openapi('ChatUnreadCount');
export const ChatUserIdRequest = z.object({ user_id: int().optional() }).openapi('ChatUserIdRequest');
export const ChatMessageIdRequest = z.object({ message_id: int().optional() }).openapi('ChatMessageIdRequest');

const idParams = (model: string) =>
  z.object({
    id: z.string().openapi({
      param: { name: 'id', in: 'path' },
      type: 'integer',
      description: `A unique integer value identifying this ${model}.`,
    }),
  });

interface ActionSpec {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  model: string;
  status: 200 | 201;
  response: z.ZodType;
  body?: z.ZodType;
  // biome-ignore lint/suspicious/noExplicitAny: any object of optional string query parameters
  query?: z.ZodObject<any>;
  description?: string;
}

/** Mounts an authenticated detail action (`/api/chat/<resource>/{id}/<action>/`); customers allowed. */
export function chatAction(
  app: OpenAPIHono<AppEnv>,
  spec: ActionSpec,
  handler: (k: Kit, id: string, body: Record<string, unknown>) => Promise<unknown>,
) {
  const route = createRoute({
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    tags: ['chat'],
    description: spec.description,
    security: bearer,
    middleware: [requireAuth()] as const,
    request: {
      params: idParams(spec.model),
      ...(spec.body ? { body: { ...jsonBody(spec.body), required: false } } : {}),
      ...(spec.query ? { query: spec.query } : {}),
    },
    responses: { [spec.status]: jsonResponse(spec.response, ''), ...drfErrors },
  });
  app.openapi(route, (async (c: Context<AppEnv>) => {
    const k = kitOf(c, 'any');
    let body: Record<string, unknown> = {};
    if (spec.body)
      body = ((c.req as unknown as { valid: (t: 'json') => unknown }).valid('json') ?? {}) as Record<string, unknown>;
    return c.json((await handler(k, c.req.param('id') ?? '', body)) as never, spec.status);
  }) as never);
}

/** The content rule of every message: non-empty after trimming, at most MAX_CONTENT characters. */
export function checkContent(content: unknown): string {
  const text = typeof content === 'string' ? content.trim() : '';
  if (!text) throw drf.field('content', 'Message content cannot be empty.');
  if (text.length > MAX_CONTENT) throw drf.field('content', `Ensure this field has no more than ${MAX_CONTENT} characters.`);
  return text;
}

/** Requires an integer body field the later code requires (400 `<name> is required.`). */
export function requiredId(body: Record<string, unknown>, name: string): number {
  const value = body[name];
  if (typeof value !== 'number') throw drf.detail(400, `${name} is required.`);
  return value;
}

/** A page cursor from the query string (`?before=` / `?after=`): an id, or a 400 naming the parameter. */
export function cursorParam(k: Kit, name: string): number | undefined {
  const raw = k.c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw drf.field(name, 'Enter a whole number.');
  return Number(raw);
}

/** Points at the next page of a bare-array response: `Link: <url?name=value>; rel="next"`. */
export function linkNext(k: Kit, name: string, value: number) {
  const url = new URL(k.c.req.url);
  url.searchParams.set(name, String(value));
  k.c.header('Link', `<${url.toString()}>; rel="next"`);
}

/** `?before=` of a history page. */
export const HistoryQuery = z.object({
  before: z.string().optional().openapi({
    type: 'integer',
    description: `Only messages stored before this message id: the next page of older messages (see the Link header).`,
  }),
});

export const historyDescription = `The newest ${HISTORY_PAGE} live messages, oldest first (a bare array, as the original's clients read it);
with ?before=<id>, the ${HISTORY_PAGE} stored before that message. When older messages remain, the response carries
Link: <...?before=<oldest id returned>>; rel="next".`;

/** The DRF error for a post the room refused: 429 with Retry-After past the per-user limit. */
export function postRefused(result: Exclude<PostResult, { message: unknown }>, notMember: string) {
  switch (result.error) {
    case 'rate_limited':
      return drf.throttled(result.retryAfter);
    case 'inactive':
      return drf.detail(401, 'User is inactive', { code: 'user_inactive' });
    case 'unavailable':
      return drf.detail(503, 'The message could not be stored; send it again.');
    default:
      return drf.forbidden(notMember);
  }
}
