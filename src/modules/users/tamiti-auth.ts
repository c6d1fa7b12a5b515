/**
 * Tamiti Studio identity (seed 000 "Auth"/"Users"): the same routes under /api/users/ and
 * /api/auth/ (pure aliases, as in the original). Login takes email or username (email wins); the
 * refresh token travels in an HttpOnly cookie scoped to /api/ (so it works across both aliases) or,
 * as a documented addition, a `refresh` body field, and rotates on every use.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { User } from '../../contract/tamiti/users.gen';
import { drf } from '../../core/errors';
import { eventId, publish } from '../../core/events';
import { email, str, string, url } from '../../core/fields';
import { REFRESH_TTL_SECONDS } from '../../core/jwt';
import { hashPassword } from '../../core/passwords';
import { bearer, createRouter, Detail, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { tooManyRequests } from '../../openapi/responses';
import { userPreferences, users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { currentUser, requireAuth } from '../../middleware/auth';
import { authRateLimit, limitLoginAccount } from '../../middleware/rate-limit';
import { emailTransport } from '../notifications/email';
import { afterResponse } from './background';
import { checkLink, linkToken, uidOf, useLink, userIfLinkUsed } from './links';
import {
  checkPassword,
  createUser,
  EMAIL_LIKE_USERNAME,
  findByEmail,
  findById,
  findByLogin,
  isTrustedStaffEmail,
  looksLikeEmail,
  normalizeEmail,
  registrationRole,
  touchLogin,
  type UserRow,
} from './service';
import { issueTokens, revokeAllForUser, revokeRefresh, rotateRefresh } from './tokens';
import { endLiveSessions } from './sessions';

const REFRESH_COOKIE = 'refresh_token';
/** One cookie for both aliases: log in at /api/users/login/, refresh at /api/auth/token/refresh/. */
const REFRESH_COOKIE_PATH = '/api/';

/** Usernames: the contract's pattern, and never an email look-alike (it would shadow an email login). */
const username = () =>
  str({ max: 150 })
    .regex(/^[\w.@+-]+$/, {
      error: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    })
    .refine((v) => !looksLikeEmail(v), { error: EMAIL_LIKE_USERNAME });

const RegisterBody = z
  .object({
    username: username(),
    email: email({ max: 254 }),
    phone: string().trim().max(15).nullable().optional(),
    password: string().min(8).max(128).openapi({ writeOnly: true }),
  })
  .openapi('RegisterRequest');
const RegisterResponse = z.object({ username: z.string(), email: z.string(), phone: z.string().nullable() }).openapi('Register');

const LoginBody = z
  .object({
    username: string().optional().openapi({ description: 'Username or email (an email match wins).' }),
    email: string().optional().openapi({ description: 'Email (alternative to username).' }),
    password: string().optional().openapi({ writeOnly: true }),
  })
  // One refinement for both fields, so a body missing both reports both (DRF does).
  .superRefine((v, ctx) => {
    if (!v.username && !v.email) ctx.addIssue({ code: 'custom', path: ['username'], message: 'This field is required.' });
    if (!v.password) ctx.addIssue({ code: 'custom', path: ['password'], message: 'This field is required.' });
  })
  .openapi('LoginRequest');
const AccessResponse = z.object({ access: z.string() }).openapi('AccessToken');
const RefreshBody = z
  .object({
    refresh: z.string().optional().openapi({
      description:
        'Refresh token, when not sent as the refresh_token cookie (an addition: the original read only the cookie and answered 400 "No refresh token in cookies").',
    }),
  })
  .openapi('TokenRefreshRequest');
const DetailResponse = z.object({ detail: z.string() }).openapi('DetailResponse');
const ResetRequestBody = z.object({ email: email() }).openapi('PasswordResetRequestRequest');
const ResetConfirmBody = z
  .object({
    uid: string().min(1),
    token: string().min(1),
    new_password: string().min(8).max(128).openapi({ writeOnly: true }),
  })
  .openapi('PasswordResetConfirmRequest');
const PatchedMe = z
  .object({
    username: username().optional(),
    email: email({ max: 254 }).optional(),
    phone: string().trim().max(15).nullable().optional(),
    bio: string().nullable().optional(),
    avatar: url({ max: 2048 }).nullable().optional().openapi({ description: 'An http(s) URL.' }),
    preferences: z
      .object({
        dark_mode: z.boolean().optional(),
        language: string().max(20).optional(),
        daily_summary: z.boolean().optional(),
      })
      .optional(),
  })
  .openapi('PatchedUserRequest');

/** The current user in the contract's `User` shape. */
export async function meBody(c: Context<AppEnv>, user: UserRow) {
  const [prefs] = await c.get('db').select().from(userPreferences).where(eq(userPreferences.user_id, user.id)).limit(1);
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    phone: user.phone,
    is_verified: user.is_verified,
    avatar: user.avatar ?? user.avatar_url,
    bio: user.bio,
    role: user.role,
    total_tasks_completed: user.total_tasks_completed,
    last_seen: user.last_seen ?? user.date_joined,
    streak_days: user.streak_days,
    current_streak_started: user.current_streak_started,
    preferences: prefs ? { dark_mode: prefs.dark_mode, language: prefs.language, daily_summary: prefs.daily_summary } : null,
  };
}

function setRefreshCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: REFRESH_COOKIE_PATH,
    maxAge: REFRESH_TTL_SECONDS,
  });
}

/** Builds the seven routes (plus logout) for one prefix: `users` or `auth`. */
export function tamitiAuthRoutes(prefix: 'users' | 'auth') {
  const app = createRouter();
  const base = `/api/${prefix}`;
  const tags = [prefix];
  const limitRegister = authRateLimit('register');
  const limitLogin = authRateLimit('login');
  const limitReset = authRateLimit('password-reset');
  const origin = (c: Context<AppEnv>) => new URL(c.req.url).origin;

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/register/`,
      operationId: `${prefix}_register_create`,
      summary: 'Register an account',
      description:
        'Creates a user (username, email, optional phone, password) and emails a verify-email link valid for 3 days. The role is REGISTRATION_DEFAULT_ROLE: Customer in production (no internal access until an Admin grants a role), Staff in local development. Usernames that look like email addresses are refused (a deliberate difference: logins accept either). No token needed; 10 tries a minute per client IP (429 with Retry-After).',
      tags,
      middleware: [limitRegister] as const,
      request: { body: jsonBody(RegisterBody) },
      responses: {
        201: jsonResponse(RegisterResponse, 'Registered'),
        400: drfErrors[400],
        429: tooManyRequests(Detail, 'the registration limit (10 a minute per client IP)'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('db');
      const phone = body.phone ? body.phone : null;
      const [byName, byEmail, byPhone] = await Promise.all([
        db.select({ id: users.id }).from(users).where(eq(users.username, body.username)).limit(1),
        findByEmail(db, body.email),
        phone ? db.select({ id: users.id }).from(users).where(eq(users.phone, phone)).limit(1) : Promise.resolve([]),
      ]);
      const errors: Record<string, string[]> = {};
      if (byName.length) errors.username = ['A user with that username already exists.'];
      if (byEmail) errors.email = ['user with this email already exists.'];
      if (byPhone.length) errors.phone = ['user with this phone already exists.'];
      if (Object.keys(errors).length) throw drf.fields(errors);
      const role = registrationRole(c.env);
      const user = await createUser(db, { username: body.username, email: body.email, phone, password: body.password, role });
      const link = `${origin(c)}/api/auth/verify-email/?uid=${uidOf(user.id)}&token=${await linkToken(c, user, 'verify_email')}`;
      publish(c, {
        type: 'email',
        id: eventId(),
        to: user.email,
        subject: 'Verify your email address',
        text: `Welcome to Tamiti Studio, ${user.username}.\n\nConfirm your email address by opening:\n${link}\n\nThe link is valid for 3 days.`,
      });
      return c.json({ username: user.username, email: user.email, phone: user.phone }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/login/`,
      operationId: `${prefix}_login_create`,
      summary: 'Sign in',
      description:
        'Takes `username` or `email` and `password`; answers the access token (30 minutes) and sets the refresh token (7 days) as the HttpOnly `refresh_token` cookie scoped to `/api/`. Wrong credentials, an unknown account and a deactivated one all answer 400 `non_field_errors: ["Invalid credentials"]`. No token needed; 10 tries a minute per client IP and per account across the four login routes (429 with Retry-After).',
      tags,
      middleware: [limitLogin] as const,
      request: { body: jsonBody(LoginBody) },
      responses: {
        200: jsonResponse(AccessResponse, 'Access token; the refresh token is set as the refresh_token cookie'),
        400: drfErrors[400],
        429: tooManyRequests(Detail, 'the login limit (10 a minute per client IP and per account)'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const login = (body.username || body.email || '').trim();
      const db = c.get('db');
      const user = await findByLogin(db, login);
      await limitLoginAccount(c, user, login);
      const ok = await checkPassword(user, body.password ?? '');
      if (!user || !ok || !user.is_active) throw drf.nonField('Invalid credentials');
      const tokens = await issueTokens(c, user);
      await touchLogin(db, user.id);
      setRefreshCookie(c, tokens.refresh);
      return c.json({ access: tokens.access }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/token/refresh/`,
      operationId: `${prefix}_token_refresh_create`,
      summary: 'Refresh the access token',
      description:
        'Reads the refresh token from the `refresh_token` cookie (or, a documented addition, a `refresh` body field when no cookie is sent), answers a new access token and rotates the cookie. A refresh token works once: replaying a used one revokes its whole family (401 and the cookie is cleared). Without either: the original\'s 400 `{"error": "No refresh token in cookies"}`. No bearer token needed.',
      tags,
      request: { body: { required: false, content: { 'application/json': { schema: RefreshBody } } } },
      responses: {
        200: jsonResponse(AccessResponse, 'New access token; the refresh cookie is rotated'),
        400: drfErrors[400],
        401: drfErrors[401],
      },
    }),
    async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { refresh?: unknown };
      const token = getCookie(c, REFRESH_COOKIE) ?? (typeof body?.refresh === 'string' ? body.refresh : undefined);
      if (!token) return c.json({ error: 'No refresh token in cookies' } as never, 400);
      const result = await rotateRefresh(c, token);
      if (!result.ok) {
        deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
        return c.json({ error: 'Invalid or expired refresh token' } as never, 401);
      }
      setRefreshCookie(c, result.tokens.refresh);
      return c.json({ access: result.tokens.access }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/logout/`,
      operationId: `${prefix}_logout_create`,
      summary: 'Sign out',
      description:
        'Revokes the refresh token\'s family (cookie or `refresh` body field) and clears the cookie. Always 200 `{"detail": "Logged out"}`; access tokens already issued live until they expire (30 minutes). No bearer token needed.',
      tags,
      request: { body: { required: false, content: { 'application/json': { schema: RefreshBody } } } },
      responses: { 200: jsonResponse(DetailResponse, 'Refresh token family revoked, cookie cleared') },
    }),
    async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { refresh?: unknown };
      const token = getCookie(c, REFRESH_COOKIE) ?? (typeof body?.refresh === 'string' ? body.refresh : undefined);
      if (token) await revokeRefresh(c, token);
      deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
      return c.json({ detail: 'Logged out' }, 200);
    },
  );

  const meRoute = (method: 'get' | 'patch') =>
    createRoute({
      method,
      path: `${base}/me/`,
      operationId: method === 'get' ? `${prefix}_me_retrieve` : `${prefix}_me_partial_update`,
      summary: method === 'get' ? 'Get the current user' : 'Update the current user',
      description:
        method === 'get'
          ? "The caller's profile with their preferences. Any signed-in user (bearer token)."
          : 'Changes only the fields sent (username, email, phone, names, preferences). A new email address is unverified until its own verify link is opened; a username, email or phone taken by another user is a 400 naming the field. Any signed-in user (bearer token).',
      tags,
      security: bearer,
      middleware: [requireAuth()] as const,
      ...(method === 'patch' ? { request: { body: jsonBody(PatchedMe) } } : {}),
      responses: { 200: jsonResponse(User, 'The current user'), ...drfErrors },
    });

  app.openapi(meRoute('get'), async (c) => {
    const user = await findById(c.get('db'), currentUser(c).id);
    return c.json((await meBody(c, user!)) as never, 200);
  });

  app.openapi(meRoute('patch'), async (c) => {
    const me = currentUser(c);
    const db = c.get('db');
    const { preferences, ...fields } = c.req.valid('json' as never) as z.infer<typeof PatchedMe>;
    const errors: Record<string, string[]> = {};
    if (fields.username) {
      const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.username, fields.username)).limit(1);
      if (taken && taken.id !== me.id) errors.username = ['A user with that username already exists.'];
    }
    let emailChanged = false;
    if (fields.email) {
      fields.email = normalizeEmail(fields.email);
      const taken = await findByEmail(db, fields.email);
      if (taken && taken.id !== me.id) errors.email = ['user with this email already exists.'];
      // The address is unchanged exactly when it already belongs to the caller.
      emailChanged = !(taken && taken.id === me.id);
    }
    if (fields.phone) {
      const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.phone, fields.phone)).limit(1);
      if (taken && taken.id !== me.id) errors.phone = ['user with this phone already exists.'];
    }
    if (Object.keys(errors).length) throw drf.fields(errors);
    const stmts = [];
    if (Object.keys(fields).length)
      stmts.push(
        db
          .update(users)
          // A new address is unverified until its own link is opened (a verify link is bound to its address).
          .set({ ...fields, phone: fields.phone === '' ? null : fields.phone, ...(emailChanged ? { is_verified: false } : {}) })
          .where(eq(users.id, me.id)),
      );
    if (preferences && Object.keys(preferences).length)
      stmts.push(db.update(userPreferences).set(preferences).where(eq(userPreferences.user_id, me.id)));
    if (stmts.length) await db.batch(stmts as [(typeof stmts)[number], ...typeof stmts]);
    const user = await findById(db, me.id);
    return c.json((await meBody(c, user!)) as never, 200);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: `${base}/verify-email/`,
      operationId: `${prefix}_verify_email_retrieve`,
      summary: 'Verify an email address',
      description:
        'Opens the link emailed at registration (`uid`, `token`): marks the address verified. A self-registered Customer whose address is in STAFF_EMAIL_DOMAINS becomes Staff at this point. A link is bound to the address it was sent to and expires after 3 days. No token needed.',
      tags,
      request: { query: z.object({ uid: z.string().optional(), token: z.string().optional() }) },
      responses: {
        200: jsonResponse(DetailResponse, 'Email verified successfully'),
        400: jsonResponse(DetailResponse, 'Invalid link or token'),
        404: jsonResponse(DetailResponse, 'Invalid user'),
      },
    }),
    async (c) => {
      const { uid, token } = c.req.valid('query');
      if (!uid || !token) throw drf.detail(400, 'Invalid link');
      const result = await checkLink(c, uid, token, 'verify_email');
      if (result === 'bad-uid') throw drf.detail(400, 'Invalid link');
      if (result === 'no-user') throw drf.detail(404, 'Invalid user');
      if (result === 'bad-token') throw drf.detail(400, 'Invalid or expired token');
      const { user } = result;
      // A verified address of a trusted domain (STAFF_EMAIL_DOMAINS) makes a self-registered Customer
      // Staff: proof of the address comes first, so registering with someone else's domain gains nothing.
      const promote = user.role === 'Customer' && isTrustedStaffEmail(c.env, user.email);
      await c
        .get('db')
        .update(users)
        .set(
          promote
            ? {
                is_verified: true,
                role: sql`case when ${users.role} = 'Customer' then 'Staff' else ${users.role} end`,
                token_version: sql`${users.token_version} + 1`,
              }
            : { is_verified: true },
        )
        .where(eq(users.id, user.id));
      return c.json({ detail: 'Email verified successfully' }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/password-reset-request/`,
      operationId: `${prefix}_password_reset_request_create`,
      summary: 'Request a password-reset email',
      description:
        'Emails a one-time reset link (uid and token, valid one hour) when an active account has this address. The answer is the same, in the same time, for unknown addresses (the lookup happens after the response). 503 when no email transport is configured. No token needed; 10 tries a minute per client IP (429 with Retry-After).',
      tags,
      middleware: [limitReset] as const,
      request: { body: jsonBody(ResetRequestBody) },
      responses: {
        200: jsonResponse(DetailResponse, 'Sent when the account exists; the answer is the same either way'),
        400: drfErrors[400],
        503: jsonResponse(DetailResponse, 'No email transport is configured'),
        429: tooManyRequests(Detail, 'the password-reset limit (10 a minute per client IP)'),
      },
    }),
    async (c) => {
      const { email: address } = c.req.valid('json');
      emailTransport(c.env);
      // Answer first, look the account up afterwards: known and unknown emails take the same time.
      afterResponse(c, 'password reset request', async () => {
        const user = await findByEmail(c.get('db'), address);
        if (!user?.is_active) return [];
        const token = await linkToken(c, user, 'password_reset');
        const link = `${origin(c)}/reset-password/?uid=${uidOf(user.id)}&token=${token}`;
        return [
          {
            type: 'email',
            id: eventId(),
            to: user.email,
            subject: 'Password reset',
            text: `A password reset was requested for your Tamiti Studio account.\n\nuid: ${uidOf(user.id)}\ntoken: ${token}\n\nOpen ${link} to choose a new password. The link works once, within one hour. If you did not ask for this, ignore this email.`,
          },
        ];
      });
      return c.json({ detail: 'Password reset email sent' }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${base}/password-reset-confirm/`,
      operationId: `${prefix}_password_reset_confirm_create`,
      summary: 'Set a new password with a reset link',
      description:
        "Takes `uid`, `token` and `new_password`. The link works once; the new password revokes every refresh token and every access token issued before it (and closes the user's live chat sockets). No token needed; 10 tries a minute per client IP (429 with Retry-After).",
      tags,
      middleware: [limitReset] as const,
      request: { body: jsonBody(ResetConfirmBody) },
      responses: {
        200: jsonResponse(DetailResponse, 'Password reset successful'),
        400: drfErrors[400],
        429: tooManyRequests(Detail, 'the password-reset limit (10 a minute per client IP)'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const result = await checkLink(c, body.uid, body.token, 'password_reset');
      if (result === 'bad-uid' || result === 'no-user') throw drf.nonField('Invalid user');
      if (result === 'bad-token') throw drf.nonField('Invalid or expired token');
      const db = c.get('db');
      const id = result.user.id;
      const link = useLink(db, result.claims, 'password_reset', id);
      // One batch: the link is used, the password set, older access tokens (token_version) and every
      // refresh token die, all only if this request won the link.
      const [, , changed] = await db.batch([
        link.prune,
        link.claim,
        db
          .update(users)
          .set({
            password: await hashPassword(body.new_password),
            force_password_change: false,
            token_version: sql`${users.token_version} + 1`,
          })
          .where(userIfLinkUsed(id, link.used))
          .returning({ id: users.id }),
        revokeAllForUser(db, id, link.used),
      ]);
      if (!changed.length) throw drf.nonField('Invalid or expired token');
      endLiveSessions(c, id);
      return c.json({ detail: 'Password reset successful' }, 200);
    },
  );

  return app;
}
