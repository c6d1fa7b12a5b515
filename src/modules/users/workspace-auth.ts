/**
 * Workspace-family identity (seed 002, "User Registration" to "Password Reset Confirm") at
 * /api/user/: the `{success, message, user, token}` envelope, email + Google sign-in, and password
 * reset by a 6-digit code kept hashed in D1 (10-minute life, 5 tries, single use, a cool-down and at
 * most 5 codes a day per address: see reset-codes.ts).
 */
import { createRoute, type Hook, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { ApiError, ws } from '../../core/errors';
import { eventId, publish } from '../../core/events';
import { string } from '../../core/fields';
import { hashPassword } from '../../core/passwords';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { toFieldErrors } from '../../core/validation';
import { nowIso } from '../../db/columns';
import { users } from '../../db/schema/users';
import { type AppEnv, ConfigError } from '../../env';
import { currentUser, requireAuth } from '../../middleware/auth';
import { authRateLimit, limitLoginAccount } from '../../middleware/rate-limit';
import { emailTransport } from '../notifications/email';
import { afterResponse } from './background';
import { hoursAndMinutes, issueResetCode, minutesAndSeconds, tryResetCode } from './reset-codes';
import { checkPassword, createUser, dicebearAvatar, findByEmail, findById, touchLogin, type UserRow } from './service';
import { issueTokens, revokeAllForUser, rotateRefresh } from './tokens';
import { endLiveSessions } from './sessions';

const SPECIALS = '!@#$%^&*()_+-=[]{}|;:,.<>?';

/** The seed's five password rules; every failing rule is reported. */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push('Password must be at least 8 characters long');
  if (!/[A-Z]/.test(password)) problems.push('Password must contain at least one uppercase letter');
  if (!/[a-z]/.test(password)) problems.push('Password must contain at least one lowercase letter');
  if (!/\d/.test(password)) problems.push('Password must contain at least one digit');
  if (![...password].some((ch) => SPECIALS.includes(ch)))
    problems.push('Password must contain at least one special character (!@#$%^&*()_+-=[]{}|;:,.<>?)');
  return problems;
}

const Email = z.email().max(254);
const UserSummary = z
  .object({
    user_id: z.uuid(),
    user_email: z.string(),
    full_name: z.string(),
    avatar_url: z.string().nullable(),
  })
  .openapi('WorkspaceUserSummary');
const TokenPairOut = z.object({ access_token: z.string(), refresh_token: z.string() }).openapi('WorkspaceTokenPair');
const AuthResponse = z
  .object({ success: z.boolean(), message: z.string(), user: UserSummary, token: TokenPairOut })
  .openapi('WorkspaceAuthResponse');
const Failure = z
  .object({
    success: z.literal(false),
    message: z.string(),
    errors: z.record(z.string(), z.any()).optional(),
    error: z.any().optional(),
  })
  .openapi('WorkspaceFailure');
const failures = {
  400: jsonResponse(Failure, 'Validation failed'),
  401: jsonResponse(z.object({ detail: z.string() }), 'Not authenticated'),
};
const mailFailures = {
  429: jsonResponse(Failure, 'At most 5 codes per address in 24 hours (Retry-After)'),
  503: jsonResponse(Failure, 'No email transport is configured'),
};

const RegisterBody = z
  .object({
    full_name: string().trim().min(1).max(200),
    email: Email,
    password: string().max(255),
    confirm_password: string(),
  })
  .openapi('UserRegistrationRequest');
const LoginBody = z.object({ email: Email, password: string().min(1).max(255) }).openapi('UserLoginRequest');
const GoogleBody = z.object({ code: string().min(1) }).openapi('GoogleAuthRequest');
const EmailBody = z.object({ email: Email }).openapi('PasswordResetEmailRequest');
const ConfirmBody = z
  .object({
    email: Email,
    verification_code: string(),
    new_password: string().max(255),
    confirm_new_password: string().optional().openapi({ description: "The seed's name; this or confirm_password is required." }),
    confirm_password: string().optional().openapi({ description: "The original's name for confirm_new_password." }),
  })
  .openapi('PasswordResetConfirmCodeRequest');
const RefreshBody = z.object({ refresh_token: string().min(1) }).openapi('UserTokenRefreshRequest');
const Profile = z
  .object({
    id: z.uuid(),
    full_name: z.string(),
    email: z.string(),
    avatar_url: z.string().nullable(),
    date_joined: z.string(),
    last_login: z.string().nullable(),
  })
  .openapi('UserProfile');

const summary = (u: UserRow) => ({ user_id: u.uuid, user_email: u.email, full_name: u.full_name, avatar_url: u.avatar_url });
const pair = (t: { access: string; refresh: string }) => ({ access_token: t.access, refresh_token: t.refresh });

// ---- Google --------------------------------------------------------------------------------------

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

/** Exchanges an authorization code at Google's token endpoint and verifies the id_token with jose. */
async function googleIdentity(c: Context<AppEnv>, code: string): Promise<GoogleIdentity> {
  for (const name of ['GOOGLE_CLIENT_ID', 'GOOGLE_REDIRECT_URI', 'GOOGLE_CLIENT_SECRET'] as const)
    if (!c.env[name]) throw new ConfigError(name, 'is not set (Google sign-in is not configured)');
  let res: Response;
  try {
    res = await fetch(c.env.GOOGLE_TOKEN_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        code,
        client_id: c.env.GOOGLE_CLIENT_ID,
        client_secret: c.env.GOOGLE_CLIENT_SECRET ?? '',
        redirect_uri: c.env.GOOGLE_REDIRECT_URI,
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
  let payload: Record<string, unknown>;
  try {
    const jwks = createRemoteJWKSet(new URL(c.env.GOOGLE_JWKS_URL));
    ({ payload } = await jwtVerify(data.id_token, jwks, {
      audience: c.env.GOOGLE_CLIENT_ID,
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

/**
 * Validation of the Google route: the envelope, plus the field errors at top level too, where the
 * original's clients read them (`{"code": ["This field is required."]}`).
 */
// biome-ignore lint/suspicious/noExplicitAny: generic over the route's types, checked at the call site (as envelopeHook)
function googleHook(): any {
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const hook: Hook<any, AppEnv, any, any> = (result) => {
    if (result.success) return;
    const errors = toFieldErrors(result.error.issues);
    throw new ApiError(400, { ...errors, success: false, message: 'Google authentication failed', error: errors });
  };
  return hook;
}

// ---- routes ----------------------------------------------------------------------------------

export function workspaceAuthRoutes() {
  const app = createRouter();
  const tags = ['user'];
  const limitRegister = authRateLimit('register');
  const limitLogin = authRateLimit('login');
  const limitGoogle = authRateLimit('google');
  const limitReset = authRateLimit('password-reset');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/user/register/',
      operationId: 'user_register_create',
      tags,
      middleware: [limitRegister] as const,
      request: { body: jsonBody(RegisterBody) },
      responses: { 201: jsonResponse(AuthResponse, 'Registered'), ...failures },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('db');
      const errors: Record<string, string[]> = {};
      if (await findByEmail(db, body.email)) errors.email = ['Email already exists'];
      const problems = passwordProblems(body.password);
      if (problems.length) errors.password = problems;
      if (body.password !== body.confirm_password) {
        // The original's key and typo, and the seed's key: a client of either finds its own.
        errors.non_field_errors = ['Password do not match'];
        errors.confirm_password = ['Passwords do not match'];
      }
      if (Object.keys(errors).length) throw ws.fail(400, 'Registration Failed', errors, 'error');
      const user = await createUser(db, {
        email: body.email,
        password: body.password,
        full_name: body.full_name,
        avatar_url: dicebearAvatar(body.email),
        // Workspace sign-ups are customers of Tamiti Studio: they sign in there but see no business data.
        role: 'Customer',
      });
      const tokens = await issueTokens(c, user);
      return c.json({ success: true, message: 'Registration was successful', user: summary(user), token: pair(tokens) }, 201);
    },
    envelopeHook('Registration Failed', 'error'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/user/login/',
      operationId: 'user_login_create',
      tags,
      middleware: [limitLogin] as const,
      request: { body: jsonBody(LoginBody) },
      responses: { 200: jsonResponse(AuthResponse, 'Signed in'), ...failures },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('db');
      const user = await findByEmail(db, body.email);
      await limitLoginAccount(c, user, body.email);
      const ok = await checkPassword(user, body.password);
      if (!user || !ok) throw ws.fail(400, 'Login failed', { non_field_errors: ['Invalid email or password'] });
      if (!user.is_active) throw ws.fail(400, 'Login failed', { non_field_errors: ['User account is disabled'] });
      const tokens = await issueTokens(c, user);
      await touchLogin(db, user.id);
      return c.json({ success: true, message: 'Login was successful', user: summary(user), token: pair(tokens) }, 200);
    },
    envelopeHook('Login failed'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/user/auth/google/',
      operationId: 'user_auth_google_create',
      tags,
      middleware: [limitGoogle] as const,
      request: { body: jsonBody(GoogleBody) },
      responses: {
        200: jsonResponse(
          z.object({
            success: z.boolean(),
            message: z.string(),
            user: UserSummary,
            token: z.object({ access: z.string(), refresh: z.string(), access_token: z.string(), refresh_token: z.string() }),
          }),
          'Signed in with Google',
        ),
        ...failures,
        502: jsonResponse(Failure, 'Google could not be reached'),
        503: jsonResponse(Failure, 'Google sign-in is not configured'),
      },
    }),
    async (c) => {
      const { code } = c.req.valid('json');
      let identity: GoogleIdentity;
      try {
        identity = await googleIdentity(c, code);
      } catch (err) {
        if (err instanceof GoogleRefused) throw ws.fail(400, 'Google authentication failed', err.message, 'error');
        if (err instanceof GoogleUnavailable) {
          console.error(
            JSON.stringify({
              level: 'error',
              requestId: c.get('requestId'),
              msg: 'Google sign-in upstream failure',
              error: err.message,
            }),
          );
          throw ws.fail(502, 'Google authentication failed', 'Google could not be reached; please try again later.', 'error');
        }
        throw err;
      }
      const db = c.get('db');
      let user = await findByEmail(db, identity.email);
      if (!user) {
        user = await createUser(db, {
          email: identity.email,
          password: null,
          full_name: identity.name,
          avatar_url: identity.picture ?? dicebearAvatar(identity.email),
          google_id: identity.sub,
          role: 'Customer',
        });
      } else {
        if (!user.is_active) throw ws.fail(400, 'Google authentication failed', 'User account is disabled', 'error');
        await db
          .update(users)
          .set({ full_name: identity.name, avatar_url: identity.picture ?? user.avatar_url, google_id: identity.sub })
          .where(eq(users.id, user.id));
        user = (await findById(db, user.id))!;
      }
      const tokens = await issueTokens(c, user);
      await touchLogin(db, user.id);
      return c.json(
        {
          success: true,
          message: 'Login successful',
          user: summary(user),
          token: { access: tokens.access, refresh: tokens.refresh, ...pair(tokens) },
        },
        200,
      );
    },
    googleHook(),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/user/profile/',
      operationId: 'user_profile_retrieve',
      tags,
      security: bearer,
      middleware: [requireAuth()] as const,
      responses: { 200: jsonResponse(Profile, 'The current user (no envelope, as the original)'), 401: failures[401] },
    }),
    async (c) => {
      const user = (await findById(c.get('db'), currentUser(c).id))!;
      return c.json(
        {
          id: user.uuid,
          full_name: user.full_name,
          email: user.email,
          avatar_url: user.avatar_url,
          date_joined: user.date_joined,
          last_login: user.last_login,
        },
        200,
      );
    },
  );

  for (const resend of [false, true]) {
    app.openapi(
      createRoute({
        method: 'post',
        path: resend ? '/api/user/resend-password-reset/' : '/api/user/forget-password/',
        operationId: resend ? 'user_resend_password_reset_create' : 'user_forget_password_create',
        tags,
        middleware: [limitReset] as const,
        request: { body: jsonBody(EmailBody) },
        responses: {
          200: jsonResponse(
            z.object({
              success: z.boolean(),
              message: z.string(),
              data: z.object({ email: z.string(), code_expires_in: z.string(), resent_at: z.string().optional() }),
            }),
            'A code is emailed when the account exists; the answer is the same either way',
          ),
          ...failures,
          ...mailFailures,
        },
      }),
      async (c) => {
        const { email } = c.req.valid('json');
        emailTransport(c.env);
        // The cool-down and the daily cap are kept per address, known or not, so they reveal nothing.
        const issued = await issueResetCode(c.get('db'), c.env.JWT_SECRET, email, resend ? 'resend' : 'forget');
        if (!issued.ok && issued.reason === 'cooldown')
          throw ws.fail(400, 'Invalid data provided', {
            non_field_errors: [
              `A verification code was already sent to this email. Please wait ${minutesAndSeconds(issued.waitSeconds)} before requesting a new one.`,
            ],
          });
        if (!issued.ok) {
          const err = ws.fail(429, 'Too many verification codes requested', {
            non_field_errors: [
              `Too many verification codes were requested for this email. Please try again in ${hoursAndMinutes(issued.waitSeconds)}.`,
            ],
          });
          err.headers['Retry-After'] = String(issued.waitSeconds);
          throw err;
        }
        // Answer first, look the account up afterwards: known and unknown emails take the same time.
        afterResponse(c, 'password reset code', async () => {
          const user = await findByEmail(c.get('db'), email);
          if (!user?.is_active) return [];
          return [
            {
              type: 'email',
              id: eventId(),
              to: user.email,
              subject: 'XBooking - Password Reset Verification Code',
              text: `Hello ${user.full_name || user.email},\n\nYour password reset verification code is: ${issued.code}\n\nIt expires in 10 minutes and can be used once. If you did not ask for it, ignore this email.`,
            },
          ];
        });
        const data: Record<string, string> = { email, code_expires_in: '10 minutes' };
        if (resend) data.resent_at = nowIso();
        return c.json(
          {
            success: true,
            message: resend ? 'Verification code resent successfully' : 'Verification code sent successfully',
            data: data as { email: string; code_expires_in: string },
          },
          200,
        );
      },
      envelopeHook('Invalid data provided'),
    );
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/user/password-reset-confirm/',
      operationId: 'user_password_reset_confirm_create',
      tags,
      middleware: [limitReset] as const,
      request: { body: jsonBody(ConfirmBody) },
      responses: {
        200: jsonResponse(
          z.object({ success: z.boolean(), message: z.string(), data: z.object({ email: z.string(), message: z.string() }) }),
          'Password changed',
        ),
        ...failures,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const errors: Record<string, string[]> = {};
      if (!/^\d{6}$/.test(body.verification_code)) errors.verification_code = ['Verification code must be exactly 6 digits.'];
      // The original's field check first (min 8 characters), then the seed's strength rules.
      if (body.new_password.length < 8) errors.new_password = ['Ensure this field has at least 8 characters.'];
      else {
        const problems = passwordProblems(body.new_password);
        if (problems.length) errors.new_password = problems;
      }
      // A confirmation is required under either name; problems are reported under both.
      const confirm = body.confirm_new_password ?? body.confirm_password;
      if (confirm === undefined) {
        errors.confirm_new_password = ['This field is required.'];
        errors.confirm_password = ['This field is required.'];
      } else if (confirm !== body.new_password) {
        errors.confirm_new_password = ['Passwords do not match.'];
        errors.confirm_password = ['Passwords do not match.'];
      }
      if (Object.keys(errors).length) throw ws.fail(400, 'Invalid data provided', errors);
      const db = c.get('db');
      const user = await findByEmail(db, body.email);
      const id = user?.is_active ? user.id : 0;
      const code = await tryResetCode(db, c.env.JWT_SECRET, body.email, body.verification_code);
      // One batch: the try is counted (5 at most), the code used when it matches, and only then the
      // password set, older access tokens (token_version) and every refresh token revoked.
      const [, changed] = await db.batch([
        code.attempt,
        db
          .update(users)
          .set({
            password: await hashPassword(body.new_password),
            force_password_change: false,
            token_version: sql`${users.token_version} + 1`,
          })
          .where(sql`${users.id} = ${id} and ${code.used}`)
          .returning({ id: users.id }),
        revokeAllForUser(db, id, code.used),
      ]);
      if (!user || !changed.length)
        throw ws.fail(400, 'Invalid data provided', {
          verification_code: ['Invalid or expired verification code. Please request a new one.'],
        });
      endLiveSessions(c, id);
      publish(c, {
        type: 'email',
        id: eventId(),
        to: user.email,
        subject: 'XBooking - Password Changed Successfully',
        text: `Hello ${user.full_name || user.email},\n\nYour password was changed. If this was not you, reset it again at once.`,
      });
      return c.json(
        {
          success: true,
          message: 'Password reset successful',
          data: { email: user.email, message: 'Your password has been updated successfully' },
        },
        200,
      );
    },
    envelopeHook('Invalid data provided'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/user/token/refresh/',
      operationId: 'user_token_refresh_create',
      tags,
      request: { body: jsonBody(RefreshBody) },
      responses: {
        200: jsonResponse(z.object({ success: z.boolean(), message: z.string(), token: TokenPairOut }), 'Rotated token pair'),
        ...failures,
      },
    }),
    async (c) => {
      const { refresh_token } = c.req.valid('json');
      const result = await rotateRefresh(c, refresh_token);
      if (!result.ok)
        throw ws.fail(400, 'Token refresh failed', {
          refresh_token: [
            result.reason === 'reused'
              ? 'Token has already been used; all sessions of this sign-in were revoked'
              : 'Token is invalid or expired',
          ],
        });
      return c.json({ success: true, message: 'Token refreshed successfully', token: pair(result.tokens) }, 200);
    },
    envelopeHook('Token refresh failed'),
  );

  return app;
}
