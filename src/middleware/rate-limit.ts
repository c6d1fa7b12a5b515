/**
 * Per-client rate limits on authentication endpoints through the Workers rate-limiting binding.
 * The key is the client IP plus the route, so one noisy client does not lock out others.
 */
import type { MiddlewareHandler } from 'hono';
import { genericError } from '../core/errors';
import type { AppEnv } from '../env';

const RETRY_AFTER_SECONDS = 60;

/** Client IP as Cloudflare reports it. */
export const clientIp = (req: Request) =>
  req.headers.get('cf-connecting-ip') ?? req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() ?? 'local';

/** 429 with Retry-After once the client exceeds the AUTH_LIMITER budget for this route. */
export function authRateLimit(): MiddlewareHandler<AppEnv> {
  return async function authRateLimit(c, next) {
    const limiter = c.env.AUTH_LIMITER;
    if (limiter) {
      const { success } = await limiter.limit({ key: `${clientIp(c.req.raw)}:${c.req.routePath}` });
      if (!success) {
        const err = genericError(c.req.path, 429, `Request was throttled. Expected available in ${RETRY_AFTER_SECONDS} seconds.`);
        err.headers['Retry-After'] = String(RETRY_AFTER_SECONDS);
        throw err;
      }
    }
    await next();
  };
}
