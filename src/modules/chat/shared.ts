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
import { MAX_CONTENT } from './frames';

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
    request: spec.body
      ? { params: idParams(spec.model), body: { ...jsonBody(spec.body), required: false } }
      : { params: idParams(spec.model) },
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
