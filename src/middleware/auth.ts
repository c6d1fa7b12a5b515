/**
 * Bearer authentication with no round trip of its own. The access token carries what
 * authorization needs (user id, uuid, role, the user's token version); `requireAuth()` verifies it
 * and arms a guard on the request's D1 connection, which rides the first round trip the route
 * makes: a revoked token (password reset, role change: the token version moved) or a deactivated
 * user aborts that round trip, writes included, and answers 401 — at once, as before, for free.
 * A route that reaches its end without touching D1 settles the guard alone before answering.
 *
 * A bad token on a protected route is a 401; on public routes it is ignored (the original rejected
 * it; a client that forgets to drop an expired header still logs in). A foreign scheme
 * (`Authorization: Token abc`, `Basic ...`) is "no credentials", as DRF treats it.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError, drf, familyOf } from '../core/errors';
import { type AccessClaims, verifyAccess } from '../core/jwt';
import type { Actor } from '../core/scope';
import type { Connection } from '../db/session';
import type { AppEnv } from '../env';

/** The guard statement: passes for an active user whose token version matches, raises otherwise. */
const GUARD_SQL =
  "select json_extract('{}', coalesce((select case when is_active then '$' else 'auth_guard:user_inactive' end " +
  "from users where id = ?1 and token_version = ?2), 'auth_guard:token_revoked')) as ok";

/** Arms the caller's guard on a connection (see db/session.ts). */
export function armGuard(conn: Connection, claims: AccessClaims) {
  conn.armGuard(GUARD_SQL, [Number(claims.user_id), claims.tv]);
}

/** Reads the bearer token of a request: undefined when absent or of another scheme, '' when empty. */
export function bearerToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const [scheme, token] = header.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() !== 'bearer') return undefined;
  return token ?? '';
}

/** The actor an access token describes, or null when the token is invalid or expired. */
export async function actorFromToken(secret: string, token: string): Promise<{ actor: Actor; claims: AccessClaims } | null> {
  const claims = await verifyAccess(secret, token);
  if (!claims) return null;
  return { actor: { id: Number(claims.user_id), uuid: claims.uid, role: claims.role }, claims };
}

/** simplejwt's `messages` entry of a refused access token, in both families. */
const INVALID_TOKEN_MESSAGES = [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid' }];
const WWW_AUTHENTICATE = { 'WWW-Authenticate': 'Bearer realm="api"' };

/** The 401 body for a token problem, in the family's shape. */
export function tokenError(path: string, reason: 'invalid' | 'inactive' | 'missing'): ApiError {
  if (familyOf(path) === 'workspace') {
    if (reason === 'missing')
      return new ApiError(401, { detail: 'Authentication credentials were not provided.' }, WWW_AUTHENTICATE);
    if (reason === 'inactive') return new ApiError(401, { detail: 'User account is disabled' }, WWW_AUTHENTICATE);
  } else {
    if (reason === 'missing') return drf.unauthorized();
    if (reason === 'inactive') return drf.detail(401, 'User is inactive', { code: 'user_inactive' });
  }
  return new ApiError(
    401,
    { detail: 'Given token not valid for any token type', code: 'token_not_valid', messages: INVALID_TOKEN_MESSAGES },
    WWW_AUTHENTICATE,
  );
}

/** Requires a valid access token; the user's state is checked in the route's first round trip. */
export function requireAuth(): MiddlewareHandler<AppEnv> {
  return async function requireAuth(c, next) {
    const token = bearerToken(c);
    if (token === undefined) throw tokenError(c.req.path, 'missing');
    const found = token ? await actorFromToken(c.env.JWT_SECRET, token) : null;
    if (!found) throw tokenError(c.req.path, 'invalid');
    const s = c.get('scope');
    s.actor = found.actor;
    armGuard(s.conn, found.claims);
    await next();
    // Nothing a revoked token asked for may leave: settle the guard if no round trip carried it.
    await s.conn.settleGuard();
  };
}

/** Reads a valid token when present (checked like requireAuth's); never fails for a missing one. */
export function optionalAuth(): MiddlewareHandler<AppEnv> {
  return async function optionalAuth(c, next) {
    const token = bearerToken(c);
    const found = token ? await actorFromToken(c.env.JWT_SECRET, token) : null;
    if (!found) return next();
    const s = c.get('scope');
    s.actor = found.actor;
    armGuard(s.conn, found.claims);
    await next();
    await s.conn.settleGuard();
  };
}

/** The authenticated caller of a protected route. */
export function currentUser(c: Context<AppEnv>): Actor {
  const actor = c.get('scope').actor;
  if (!actor) throw tokenError(c.req.path, 'missing');
  return actor;
}
