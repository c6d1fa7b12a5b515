/**
 * Bearer authentication. `authenticate()` runs on every request: a valid access token loads the
 * user into `c.var.user`. A bad token on a protected route is a 401; on public routes it is
 * ignored (the original rejected it; a client that forgets to drop an expired header still logs in).
 */
import { eq } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError, drf, familyOf } from '../core/errors';
import { verifyToken } from '../core/jwt';
import { users } from '../db/schema/users';
import type { AppEnv, AuthUser } from '../env';

/** Reads the bearer token of a request, if any. */
export function bearerToken(c: Context<AppEnv>): string | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const [scheme, token] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token.trim() : '';
}

/** Resolves an access token to an active user, or a reason it cannot. */
export async function userFromAccessToken(c: Context<AppEnv>, token: string): Promise<AuthUser | 'invalid' | 'inactive'> {
  const claims = await verifyToken(c.env.JWT_SECRET, token, 'access');
  if (!claims) return 'invalid';
  const id = Number(claims.user_id);
  if (!Number.isInteger(id)) return 'invalid';
  const [row] = await c
    .get('db')
    .select({
      id: users.id,
      uuid: users.uuid,
      username: users.username,
      email: users.email,
      full_name: users.full_name,
      role: users.role,
      is_active: users.is_active,
    })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  if (!row) return 'invalid';
  if (!row.is_active) return 'inactive';
  return row;
}

/** The 401 body for a token problem, in the family's shape. */
function tokenError(c: Context<AppEnv>, reason: 'invalid' | 'inactive' | 'missing'): ApiError {
  if (familyOf(c.req.path) === 'workspace') {
    const detail =
      reason === 'missing'
        ? 'Authentication credentials were not provided.'
        : reason === 'inactive'
          ? 'User account is disabled'
          : 'Given token not valid for any token type';
    return new ApiError(401, reason === 'invalid' ? { detail, code: 'token_not_valid' } : { detail }, {
      'WWW-Authenticate': 'Bearer realm="api"',
    });
  }
  if (reason === 'missing') return drf.unauthorized();
  if (reason === 'inactive') return drf.detail(401, 'User is inactive', { code: 'user_inactive' });
  return drf.invalidToken();
}

/** Requires an authenticated, active user (401 otherwise). */
export function requireAuth(): MiddlewareHandler<AppEnv> {
  return async function requireAuth(c, next) {
    const token = bearerToken(c);
    if (token === undefined) throw tokenError(c, 'missing');
    if (token === '') throw tokenError(c, 'invalid');
    const result = await userFromAccessToken(c, token);
    if (typeof result === 'string') throw tokenError(c, result);
    c.set('user', result);
    await next();
  };
}

/** Loads the user when a valid token is present; never fails. */
export function optionalAuth(): MiddlewareHandler<AppEnv> {
  return async function optionalAuth(c, next) {
    const token = bearerToken(c);
    if (token) {
      const result = await userFromAccessToken(c, token);
      if (typeof result !== 'string') c.set('user', result);
    }
    await next();
  };
}

/** The authenticated user of a protected route. */
export function currentUser(c: Context<AppEnv>): AuthUser {
  const user = c.get('user');
  if (!user) throw tokenError(c, 'missing');
  return user;
}
