/**
 * Workspace-family identity (seed 002, "User Registration" to "Password Reset Confirm") at
 * /api/user/: the `{success, message, user, token}` envelope, email + Google sign-in, and password
 * reset by a 6-digit code kept hashed in KV (10-minute life, 5 tries, replaced by a resend, single use).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { ws } from '../../core/errors';
import { eventId, publish } from '../../core/events';
import { hashPassword, sha256Hex, timingSafeEqual } from '../../core/passwords';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { nowIso } from '../../db/columns';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { currentUser, requireAuth } from '../../middleware/auth';
import { authRateLimit } from '../../middleware/rate-limit';
import { checkPassword, createUser, dicebearAvatar, findByEmail, findById, touchLogin, type UserRow } from './service';
import { issueTokens, revokeAllForUser, rotateRefresh } from './tokens';

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

const RegisterBody = z
  .object({
    full_name: z.string().trim().min(1).max(200),
    email: Email,
    password: z.string().max(255),
    confirm_password: z.string(),
  })
  .openapi('UserRegistrationRequest');
const LoginBody = z.object({ email: Email, password: z.string().min(1).max(255) }).openapi('UserLoginRequest');
const GoogleBody = z.object({ code: z.string().min(1) }).openapi('GoogleAuthRequest');
const EmailBody = z.object({ email: Email }).openapi('PasswordResetEmailRequest');
const ConfirmBody = z
  .object({
    email: Email,
    verification_code: z.string(),
    new_password: z.string().max(255),
    confirm_new_password: z.string().optional(),
    confirm_password: z.string().optional().openapi({ description: 'Alias of confirm_new_password (the original name).' }),
  })
  .openapi('PasswordResetConfirmCodeRequest');
const RefreshBody = z.object({ refresh_token: z.string().min(1) }).openapi('UserTokenRefreshRequest');
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

// ---- reset codes in KV -------------------------------------------------------------------------

const CODE_TTL_SECONDS = 600;
const MAX_ATTEMPTS = 5;
interface StoredCode {
  hash: string;
  attempts: number;
  expires: number;
}
const codeKey = (email: string) => `reset-code:${email.trim().toLowerCase()}`;
const codeHash = (c: Context<AppEnv>, email: string, code: string) =>
  sha256Hex(`${email.trim().toLowerCase()}:${code}:${c.env.JWT_SECRET}`);

/** A new random 6-digit code (leading zeros possible), replacing any previous one. */
async function issueCode(c: Context<AppEnv>, user: UserRow): Promise<string> {
  const n = crypto.getRandomValues(new Uint32Array(1))[0] % 1_000_000;
  const code = String(n).padStart(6, '0');
  const stored: StoredCode = {
    hash: await codeHash(c, user.email, code),
    attempts: 0,
    expires: Date.now() + CODE_TTL_SECONDS * 1000,
  };
  await c.env.KV.put(codeKey(user.email), JSON.stringify(stored), { expirationTtl: CODE_TTL_SECONDS });
  return code;
}

/** Checks a code: expired, used or too many wrong tries all fail; a wrong try is counted. */
async function consumeCode(c: Context<AppEnv>, email: string, code: string): Promise<boolean> {
  const key = codeKey(email);
  const stored = await c.env.KV.get<StoredCode>(key, 'json');
  if (!stored || stored.expires <= Date.now() || stored.attempts >= MAX_ATTEMPTS) return false;
  const enc = new TextEncoder();
  const ok = timingSafeEqual(enc.encode(await codeHash(c, email, code)), enc.encode(stored.hash));
  if (ok) {
    await c.env.KV.delete(key);
    return true;
  }
  stored.attempts += 1;
  if (stored.attempts >= MAX_ATTEMPTS) await c.env.KV.delete(key);
  else {
    const ttl = Math.max(60, Math.ceil((stored.expires - Date.now()) / 1000));
    await c.env.KV.put(key, JSON.stringify(stored), { expirationTtl: ttl });
  }
  return false;
}

// ---- Google --------------------------------------------------------------------------------------

interface GoogleIdentity {
  email: string;
  name: string;
  picture: string | null;
  sub: string;
}

/** Exchanges an authorization code at Google's token endpoint and verifies the id_token with jose. */
async function googleIdentity(c: Context<AppEnv>, code: string): Promise<GoogleIdentity> {
  const res = await fetch(c.env.GOOGLE_TOKEN_URL, {
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
  const data = (await res.json().catch(() => ({}))) as { id_token?: string; error?: string; error_description?: string };
  if (!res.ok || !data.id_token) throw new Error(data.error_description ?? data.error ?? `token endpoint answered ${res.status}`);
  const jwks = createRemoteJWKSet(new URL(c.env.GOOGLE_JWKS_URL));
  const { payload } = await jwtVerify(data.id_token, jwks, {
    audience: c.env.GOOGLE_CLIENT_ID,
    issuer: ['accounts.google.com', 'https://accounts.google.com'],
  });
  if (typeof payload.email !== 'string' || payload.email_verified === false)
    throw new Error('Google account has no verified email');
  return {
    email: payload.email,
    name: typeof payload.name === 'string' ? payload.name : payload.email.split('@')[0],
    picture: typeof payload.picture === 'string' ? payload.picture : null,
    sub: String(payload.sub),
  };
}

// ---- routes ----------------------------------------------------------------------------------

export function workspaceAuthRoutes() {
  const app = createRouter();
  const tags = ['user'];
  const limited = authRateLimit();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/user/register/',
      operationId: 'user_register_create',
      tags,
      middleware: [limited] as const,
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
      if (body.password !== body.confirm_password) errors.confirm_password = ['Passwords do not match'];
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
      middleware: [limited] as const,
      request: { body: jsonBody(LoginBody) },
      responses: { 200: jsonResponse(AuthResponse, 'Signed in'), ...failures },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('db');
      const user = await findByEmail(db, body.email);
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
      middleware: [limited] as const,
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
      },
    }),
    async (c) => {
      const { code } = c.req.valid('json');
      let identity: GoogleIdentity;
      try {
        identity = await googleIdentity(c, code);
      } catch (err) {
        throw ws.fail(400, 'Google authentication failed', String((err as Error).message ?? err), 'error');
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
    envelopeHook('Google authentication failed', 'error'),
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
        middleware: [limited] as const,
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
        },
      }),
      async (c) => {
        const { email } = c.req.valid('json');
        const user = await findByEmail(c.get('db'), email);
        if (user?.is_active) {
          const code = await issueCode(c, user);
          publish(c, {
            type: 'email',
            id: eventId(),
            to: user.email,
            subject: 'XBooking - Password Reset Verification Code',
            text: `Hello ${user.full_name || user.email},\n\nYour password reset verification code is: ${code}\n\nIt expires in 10 minutes and can be used once. If you did not ask for it, ignore this email.`,
          });
        }
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
      middleware: [limited] as const,
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
      const problems = passwordProblems(body.new_password);
      if (problems.length) errors.new_password = problems;
      const confirm = body.confirm_new_password ?? body.confirm_password;
      if (confirm === undefined) errors.confirm_new_password = ['This field is required.'];
      else if (confirm !== body.new_password) errors.confirm_new_password = ['Passwords do not match.'];
      if (Object.keys(errors).length) throw ws.fail(400, 'Invalid data provided', errors);
      const db = c.get('db');
      const user = await findByEmail(db, body.email);
      const valid = user?.is_active ? await consumeCode(c, user.email, body.verification_code) : false;
      if (!user || !valid)
        throw ws.fail(400, 'Invalid data provided', {
          verification_code: ['Invalid or expired verification code. Please request a new one.'],
        });
      await db
        .update(users)
        .set({ password: await hashPassword(body.new_password), force_password_change: false })
        .where(eq(users.id, user.id));
      await revokeAllForUser(c, user.id);
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
