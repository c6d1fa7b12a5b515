/**
 * The one error path: every thrown error becomes a response in the family's shape. `ApiError` is
 * rendered as is; a failed authorization guard is the family's 401; Hono's HTTP errors keep their
 * status; anything else is logged with the request id and answered with a generic 500.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { GuardError } from '../db/session';
import { type AppEnv, ConfigError } from '../env';
import { tokenError } from '../middleware/auth';
import { ApiError, familyOf, genericError } from './errors';

function render(c: Context<AppEnv>, err: ApiError) {
  return c.json(err.body, err.status, err.headers);
}

/** The guard failure behind an error (drizzle wraps driver errors in its own, keeping them as `cause`). */
function guardFailure(err: unknown): GuardError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof GuardError) return e;
  return undefined;
}

/** `onError` of every app. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof ApiError) return render(c, err);
  if (err instanceof ConfigError) {
    // A deployment without a required setting fails loudly: one log line and a 503 naming it.
    const requestId = c.get('requestId') ?? 'unknown';
    console.error(JSON.stringify({ level: 'error', requestId, msg: 'misconfigured', setting: err.setting, error: err.message }));
    return render(c, genericError(c.req.path, 503, `Service misconfigured: ${err.message}.`, { request_id: requestId }));
  }
  const guard = guardFailure(err);
  if (guard) return render(c, tokenError(c.req.path, guard.reason === 'user_inactive' ? 'inactive' : 'invalid'));
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const message =
      status === 400 && /json/i.test(err.message)
        ? familyOf(c.req.path) === 'tamiti'
          ? 'JSON parse error - malformed request body.'
          : 'Malformed JSON in request body'
        : err.message || 'Bad request.';
    return render(c, genericError(c.req.path, status, message));
  }
  const requestId = c.get('requestId') ?? 'unknown';
  console.error(
    JSON.stringify({
      level: 'error',
      requestId,
      method: c.req.method,
      path: c.req.path,
      error: String(err),
      stack: (err as Error)?.stack,
    }),
  );
  return render(
    c,
    genericError(
      c.req.path,
      500,
      familyOf(c.req.path) === 'tamiti' ? 'A server error occurred.' : 'An unexpected error occurred',
      {
        request_id: requestId,
      },
    ),
  );
}
