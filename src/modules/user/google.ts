/**
 * `POST /api/user/auth/google/`: sign in (or sign up) with a Google authorization code, exchanged
 * at Google's token endpoint; the id_token is verified with jose.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { ws } from '../../core/errors';
import { string } from '../../core/fields';
import { json, mount, route } from '../../core/route';
import type { Scope } from '../../core/scope';
import { users } from '../../db/schema/users';
import { type AppEnv, ConfigError } from '../../env';
import { authRateLimit } from '../../middleware/rate-limit';
import { createUser, dicebearAvatar, findByEmail, touchLogin, type UserRow } from '../users/service';
import { insertRefresh, newRefresh, signPair, type TokenPair } from '../users/tokens';
import { pair } from './accounts';
import { Failure, omitFailures, summary, tags, UserSummary, userFailures } from './auth';

const GoogleBody = z.object({ code: string().min(1) }).openapi('GoogleAuthRequest');

interface GoogleIdentity {
  email: string;
  name: string;
  picture: string | null;
  sub: string;
}

/** Google refused the sign-in (bad or used code, unverified email): the client's problem, a 400. */
class GoogleRefused extends Error {}
/** Google could not be reached or answered nonsense: an upstream failure, a 502. */
class GoogleUnavailable extends Error {}

const httpUrl = (v: unknown) => (typeof v === 'string' && /^https?:\/\//i.test(v) ? v : null);

/** Exchanges an authorization code for Google's id_token. */
async function exchangeCode(env: Scope['env'], code: string): Promise<string> {
  for (const name of ['GOOGLE_CLIENT_ID', 'GOOGLE_REDIRECT_URI', 'GOOGLE_CLIENT_SECRET'] as const)
    if (!env[name]) throw new ConfigError(name, 'is not set (Google sign-in is not configured)');
  let res: Response;
  try {
    res = await fetch(env.GOOGLE_TOKEN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        code,
        client_id: env.GOOGLE_CLIENT_ID,
        client_secret: env.GOOGLE_CLIENT_SECRET ?? '',
        redirect_uri: env.GOOGLE_REDIRECT_URI,
        grant_type: 'authorization_code',
      }),
    });
  } catch {
    throw new GoogleUnavailable('token endpoint unreachable');
  }
  const data = (await res.json().catch(() => ({}))) as { id_token?: unknown };
  if (res.status >= 400 && res.status < 500 && res.status !== 429)
    throw new GoogleRefused('Invalid or expired authorization code');
  if (!res.ok || typeof data.id_token !== 'string') throw new GoogleUnavailable(`token endpoint answered ${res.status}`);
  return data.id_token;
}

/** Verifies the id_token and reads the identity it proves. */
async function googleIdentity(env: Scope['env'], code: string): Promise<GoogleIdentity> {
  const idToken = await exchangeCode(env, code);
  let payload: Record<string, unknown>;
  try {
    const jwks = createRemoteJWKSet(new URL(env.GOOGLE_JWKS_URL));
    ({ payload } = await jwtVerify(idToken, jwks, {
      audience: env.GOOGLE_CLIENT_ID,
      issuer: ['accounts.google.com', 'https://accounts.google.com'],
    }));
  } catch (err) {
    // Fetching the key set failed (network, timeout, not a 200): upstream. Anything else is a bad token.
    if (
      err instanceof TypeError ||
      err instanceof joseErrors.JWKSTimeout ||
      (err as { code?: string })?.code === 'ERR_JOSE_GENERIC'
    )
      throw new GoogleUnavailable('key set unavailable');
    throw new GoogleRefused('Invalid Google ID token');
  }
  // Only a boolean true counts: a missing or string `email_verified` proves nothing.
  if (typeof payload.email !== 'string' || payload.email_verified !== true)
    throw new GoogleRefused('Google account email is not verified');
  return {
    email: payload.email,
    name: typeof payload.name === 'string' ? payload.name : payload.email.split('@')[0],
    picture: httpUrl(payload.picture),
    sub: String(payload.sub),
  };
}

/** The identity, or the family's 400 (refused) or 502 (unreachable). */
async function identityOrFail(s: Scope, code: string) {
  try {
    return await googleIdentity(s.env, code);
  } catch (err) {
    if (err instanceof GoogleRefused) throw ws.fail(400, 'Google authentication failed', err.message, 'error');
    if (err instanceof GoogleUnavailable) {
      console.error(
        JSON.stringify({ level: 'error', requestId: s.requestId, msg: 'Google sign-in upstream failure', error: err.message }),
      );
      throw ws.fail(502, 'Google authentication failed', 'Google could not be reached; please try again later.', 'error');
    }
    throw err;
  }
}

const google = route({
  method: 'post',
  path: '/api/user/auth/google/',
  operationId: 'user_auth_google_create',
  summary: 'Sign in with Google',
  description:
    "Exchanges a Google authorization `code` for Google's id_token, verifies it against Google's keys (the email must be verified), finds or creates the account and answers `{user, token}`. Field errors also appear at top level as the original sent them. 502 when Google cannot be reached, 503 when Google sign-in is not configured; in development a local stand-in (`/api/dev/google/`) plays Google.",
  tags,
  auth: 'public',
  middleware: [authRateLimit('google')],
  body: GoogleBody,
  response: z.object({
    user: UserSummary,
    token: z.object({ access: z.string(), refresh: z.string(), access_token: z.string(), refresh_token: z.string() }),
  }),
  responseDescription: 'Signed in with Google',
  envelope: { message: 'Login successful', failure: 'Google authentication failed', errorKey: 'error', fieldsAtTop: true },
  responses: {
    ...userFailures,
    502: json(Failure, 'Google could not be reached'),
    503: json(Failure, 'Google sign-in is not configured'),
  },
  omitFailures,
  async handler({ s, db, body }) {
    const identity = await identityOrFail(s, body.code);
    const found = await findByEmail(db, identity.email);
    let user: UserRow;
    let tokens: TokenPair;
    if (!found) {
      const session = newRefresh(0);
      user = await createUser(
        db,
        {
          email: identity.email,
          password: null,
          full_name: identity.name,
          avatar_url: identity.picture ?? dicebearAvatar(identity.email),
          google_id: identity.sub,
          role: 'Customer',
        },
        (id) => [insertRefresh(db, { ...session, user_id: id }), touchLogin(db, id)],
      );
      tokens = await signPair(s.env.JWT_SECRET, user, session);
    } else {
      if (!found.is_active) throw ws.fail(400, 'Google authentication failed', 'User account is disabled', 'error');
      // One batch: the Google profile is refreshed, the session stored and the sign-in recorded.
      const session = newRefresh(found.id);
      const [[updated]] = await db.batch([
        db
          .update(users)
          .set({ full_name: identity.name, avatar_url: identity.picture ?? found.avatar_url, google_id: identity.sub })
          .where(eq(users.id, found.id))
          .returning(),
        insertRefresh(db, session),
        touchLogin(db, found.id),
      ]);
      user = updated ?? found;
      tokens = await signPair(s.env.JWT_SECRET, user, session);
    }
    return { user: summary(user), token: { access: tokens.access, refresh: tokens.refresh, ...pair(tokens) } };
  },
});

export function mountGoogle(app: OpenAPIHono<AppEnv>) {
  mount(app, google);
}
