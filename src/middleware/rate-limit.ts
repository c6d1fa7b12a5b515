/**
 * Rate limits on identity endpoints through the Workers rate-limiting binding (AUTH_LIMITER,
 * 10 per minute per key). Keys name an action, not a route, so the `/api/users/` and `/api/auth/`
 * aliases share one budget, and all four login routes (/api/users/login/, /api/auth/login/,
 * /api/user/login/, /api/workspace/admin/login/) count together:
 * - per client IP and action (`authRateLimit(action)`, a middleware);
 * - per account for logins (`limitLoginAccount`, called once the account is known), so guesses
 *   spread over many IPs and routes still get 10 tries a minute per account.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { genericError } from '../core/errors';
import type { AppEnv } from '../env';

const RETRY_AFTER_SECONDS = 60;

/** What a limit protects; one budget per action whatever the route. */
export type AuthAction = 'login' | 'register' | 'password-reset' | 'google';

/** Client IP as Cloudflare reports it. */
export const clientIp = (req: Request) =>
  req.headers.get('cf-connecting-ip') ?? req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'local';

/** Counts one try against `key`; throws the family's 429 with Retry-After once the budget is spent. */
async function spend(c: Context<AppEnv>, key: string) {
  const limiter = c.env.AUTH_LIMITER;
  if (!limiter) return;
  const { success } = await limiter.limit({ key });
  if (!success) {
    const err = genericError(c.req.path, 429, `Request was throttled. Expected available in ${RETRY_AFTER_SECONDS} seconds.`);
    err.headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
    throw err;
  }
}

/** 429 with Retry-After once the client IP exceeds its budget for this action. */
export function authRateLimit(action: AuthAction): MiddlewareHandler<AppEnv> {
  return async function authRateLimit(c, next) {
    await spend(c, `${action}:ip:${clientIp(c.req.raw)}`);
    await next();
  };
}

/**
 * Counts a login try against the account, whatever the route or IP. `account` is the user's uuid
 * when the identifier matched a user, else the identifier itself (unknown accounts are limited the
 * same way, so the answer reveals nothing).
 */
export async function limitLoginAccount(c: Context<AppEnv>, account: { uuid: string } | undefined, identifier: string) {
  await spend(c, account ? `login:account:${account.uuid}` : `login:unknown:${identifier.trim().toLowerCase()}`);
}
