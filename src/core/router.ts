/**
 * The router factory: every module builds its routes with `createRouter()`, so every module
 * validates and reports errors the same way (DRF field errors for Tamiti; the envelope for the
 * workspace family through `envelopeHook`).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Hook } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { ApiError, drf, ws } from './errors';
import { toFieldErrors } from './validation';

// biome-ignore lint/suspicious/noExplicitAny: generic over any table/schema/hook; the concrete types are checked at the call sites
type AnyHook = Hook<any, AppEnv, any, any>;

/** DRF-family validation: 400 with field errors; a malformed path id is a 404. */
export const drfHook: AnyHook = (result) => {
  if (result.success) return;
  if (result.target === 'param') throw drf.notFound('Not found.');
  throw drf.fields(toFieldErrors(result.error.issues));
};

/** Workspace-family validation: `{success:false, message, errors|error}` with the route's own message. */
// biome-ignore lint/suspicious/noExplicitAny: generic over any table/schema/hook; the concrete types are checked at the call sites
export function envelopeHook(message: string, key: 'errors' | 'error' = 'errors'): any {
  const hook: AnyHook = (result) => {
    if (result.success) return;
    if (result.target === 'param') throw new ApiError(404, { detail: 'Not found.' });
    throw ws.fail(400, message, toFieldErrors(result.error.issues), key);
  };
  return hook;
}

/** A new router for a module. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: drfHook, strict: true });
}

/** DRF `{detail}` body schema, reused in documented error responses. */
export const Detail = z.object({ detail: z.string() }).openapi('ErrorDetail');
export const FieldErrorsSchema = z
  .record(z.string(), z.any())
  .openapi('ValidationError', { description: 'Field errors: {"field": ["message"]} or {"non_field_errors": [...]}' });

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** Documented error responses of the DRF family, spread into each route's `responses`. */
export const drfErrors = {
  400: json(FieldErrorsSchema, 'Validation error'),
  401: json(Detail, 'Not authenticated'),
  403: json(Detail, 'Permission denied'),
  404: json(Detail, 'Not found'),
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
export const jsonResponse = json;

/** Bearer security requirement for protected routes. */
export const bearer = [{ jwtAuth: [] }];
