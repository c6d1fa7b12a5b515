/**
 * Tamiti Studio identity (seed 000 "Auth"/"Users"): the same routes under /api/users/ and
 * /api/auth/ (pure aliases, as in the original). Login takes email or username (email wins); the
 * refresh token travels in an HttpOnly cookie scoped to /api/ (so it works across both aliases) or,
 * as a documented addition, a `refresh` body field, and rotates on every use.
 *
 * Round trips (issue 16): register and login two (the checks, or the account whose hash must be
 * checked, then one batch with the write and the session), refresh one (two when a refusal revokes
 * a family), me one, a profile change two; the rest one or two, listed in test/users/round-trips.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { eq, or, type SQL, sql } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { User } from '../../contract/tamiti/users/me.gen';
import { drf } from '../../core/errors';
import { eventId } from '../../core/events';
import { email, str, string, url } from '../../core/fields';
import { REFRESH_TTL_SECONDS } from '../../core/jwt';
import { hashPassword } from '../../core/passwords';
import { Detail, json, mount, route } from '../../core/route';
import {
  discardUploads,
  type FileRule,
  fileDeleteEvent,
  IMAGES,
  keyOfFileUrl,
  ownFileUrls,
  releasedKeys,
  storeUploadsFor,
} from '../../core/files';
import { publish } from '../../core/scope';
import { type Db, runBatch, type Stmt } from '../../db';
import { userPreferences, users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { authRateLimit, limitLoginAccount } from '../../middleware/rate-limit';
import { tooManyRequests } from '../../openapi/responses';
import { emailTransport } from '../notifications/email';
import { afterResponse } from './background';
import { checkLink, linkToken, uidOf, useLink, userIfLinkUsed } from './links';
import {
  checkPassword,
  createUser,
  EMAIL_LIKE_USERNAME,
  findByEmail,
  findByIdStmt,
  findByLogin,
  holderStmt,
  isTrustedStaffEmail,
  looksLikeEmail,
  normalizeEmail,
  preferencesStmt,
  registrationRole,
  startSession,
  takenFields,
  type UserRow,
} from './service';
import { authAlias, meBody, meRoute, origin } from './me';
import { endLiveSessions, liveRoomsStmt } from './sessions';
import { revokeAllForUser, revokeRefresh, rotateRefresh } from './tokens';

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

/** An avatar: an image uploaded as a multipart part (stored in R2), or an http(s) URL string. */
const AVATAR: Record<'avatar', FileRule> = { avatar: { types: IMAGES, prefix: 'avatar' } };

function setRefreshCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: 'Lax',
    path: REFRESH_COOKIE_PATH,
    maxAge: REFRESH_TTL_SECONDS,
  });
}

/**
 * The refresh and logout bodies as the original read them: anything but `{"refresh": "<string>"}`
 * (no body, an empty or malformed JSON body, another type) is "no body token", never a 400 of its
 * own, so a client that posts an empty JSON body with its cookie still refreshes. Runs before
 * validation, which then sees a well-formed body.
 */
const lenientRefreshBody: MiddlewareHandler<AppEnv> = async function lenientRefreshBody(c, next) {
  const parsed: unknown = await c.req.raw
    .clone()
    .json()
    .catch(() => ({}));
  const refresh = parsed && typeof parsed === 'object' ? (parsed as { refresh?: unknown }).refresh : undefined;
  // Hono's `BodyCache` types its entries as Body methods, but holds the parsed body's promise.
  (c.req.bodyCache as unknown as { json?: Promise<unknown> }).json = Promise.resolve(
    typeof refresh === 'string' ? { refresh } : {},
  );
  await next();
};

/** The refresh token of a request: the cookie, else the body's `refresh` (an addition). */
const presentedRefresh = (c: Context<AppEnv>, body: { refresh?: string } | undefined) =>
  getCookie(c, REFRESH_COOKIE) ?? body?.refresh;

const register = route({
  method: 'post',
  path: '/api/users/register/',
  operationId: 'users_register_create',
  summary: 'Register an account',
  description:
    'Creates a user (username, email, optional phone, password) and emails a verify-email link valid for 3 days. The role is REGISTRATION_DEFAULT_ROLE: Customer in production (no internal access until an Admin grants a role), Staff in local development. Usernames that look like email addresses are refused (a deliberate difference: logins accept either). No token needed; 10 tries a minute per client IP (429 with Retry-After).',
  tags: ['users'],
  auth: 'public',
  middleware: [authRateLimit('register')],
  body: RegisterBody,
  status: 201,
  response: RegisterResponse,
  responseDescription: 'Registered',
  responses: { 429: tooManyRequests(Detail, 'the registration limit (10 a minute per client IP)') },
  omitFailures: [401, 403, 404],
  aliases: [authAlias('/api/auth/register/', 'auth_register_create')],
  async handler({ s, db, body }) {
    const phone = body.phone ? body.phone : null;
    // Round trip 1: who holds the username, email or phone; every taken field is reported at once.
    const [byName, byEmail, byPhone] = await db.batch([
      holderStmt(db, 'username', body.username),
      db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${body.email.trim().toLowerCase()}`).limit(1),
      holderStmt(db, 'phone', phone ?? ''),
    ]);
    const errors: Record<string, string[]> = {};
    if (byName.length) errors.username = ['A user with that username already exists.'];
    if (byEmail.length) errors.email = ['user with this email already exists.'];
    if (phone && byPhone.length) errors.phone = ['user with this phone already exists.'];
    if (Object.keys(errors).length) throw drf.fields(errors);
    // Round trip 2: the user, its preferences and profile in one batch.
    const user = await createUser(db, {
      username: body.username,
      email: body.email,
      phone,
      password: body.password,
      role: registrationRole(s.env),
    }).catch((err: unknown) => {
      const taken = takenFields(err);
      throw taken ? drf.fields(taken) : err;
    });
    const link = `${origin(s.url)}/api/auth/verify-email/?uid=${uidOf(user.id)}&token=${await linkToken(s, user, 'verify_email')}`;
    publish(s, {
      type: 'email',
      id: eventId(),
      to: user.email,
      subject: 'Verify your email address',
      text: `Welcome to Tamiti Studio, ${user.username}.\n\nConfirm your email address by opening:\n${link}\n\nThe link is valid for 3 days.`,
    });
    return { username: user.username, email: user.email, phone: user.phone };
  },
});

const login = route({
  method: 'post',
  path: '/api/users/login/',
  operationId: 'users_login_create',
  summary: 'Sign in',
  description:
    'Takes `username` or `email` and `password`; answers the access token (30 minutes) and sets the refresh token (7 days) as the HttpOnly `refresh_token` cookie scoped to `/api/`. Wrong credentials, an unknown account and a deactivated one all answer 400 `non_field_errors: ["Invalid credentials"]`. No token needed; 10 tries a minute per client IP and per account across the four login routes (429 with Retry-After).',
  tags: ['users'],
  auth: 'public',
  middleware: [authRateLimit('login')],
  body: LoginBody,
  response: AccessResponse,
  responseDescription: 'Access token; the refresh token is set as the refresh_token cookie',
  responses: { 429: tooManyRequests(Detail, 'the login limit (10 a minute per client IP and per account)') },
  omitFailures: [401, 403, 404],
  aliases: [authAlias('/api/auth/login/', 'auth_login_create')],
  async handler({ s, c, body }) {
    const identifier = (body.username || body.email || '').trim();
    const user = await findByLogin(s.db, identifier);
    await limitLoginAccount(c, user, identifier);
    const ok = await checkPassword(user, body.password ?? '');
    if (!user || !ok || !user.is_active) throw drf.nonField('Invalid credentials');
    const tokens = await startSession(s, user);
    setRefreshCookie(c, tokens.refresh);
    return { access: tokens.access };
  },
});

const refresh = route({
  method: 'post',
  path: '/api/users/token/refresh/',
  operationId: 'users_token_refresh_create',
  summary: 'Refresh the access token',
  description:
    'Reads the refresh token from the `refresh_token` cookie (or, a documented addition, a `refresh` body field when no cookie is sent), answers a new access token and rotates the cookie. A refresh token works once: replaying a used one revokes its whole family (401 and the cookie is cleared). Without either: the original\'s 400 `{"error": "No refresh token in cookies"}`. No bearer token needed.',
  tags: ['users'],
  auth: 'public',
  middleware: [lenientRefreshBody],
  body: RefreshBody,
  bodyRequired: false,
  response: AccessResponse,
  responseDescription: 'New access token; the refresh cookie is rotated',
  omitFailures: [403, 404],
  aliases: [authAlias('/api/auth/token/refresh/', 'auth_token_refresh_create')],
  async handler({ s, c, body }) {
    const token = presentedRefresh(c, body);
    // The original's bodies for these two refusals: not DRF's `{detail}` shape.
    if (!token) return c.json({ error: 'No refresh token in cookies' }, 400);
    const result = await rotateRefresh(s.db, s.env.JWT_SECRET, token);
    if (!result.ok) {
      deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
      return c.json({ error: 'Invalid or expired refresh token' }, 401);
    }
    setRefreshCookie(c, result.tokens.refresh);
    return { access: result.tokens.access };
  },
});

const logout = route({
  method: 'post',
  path: '/api/users/logout/',
  operationId: 'users_logout_create',
  summary: 'Sign out',
  description:
    'Revokes the refresh token\'s family (cookie or `refresh` body field) and clears the cookie. Always 200 `{"detail": "Logged out"}`; access tokens already issued live until they expire (30 minutes). No bearer token needed.',
  tags: ['users'],
  auth: 'public',
  middleware: [lenientRefreshBody],
  body: RefreshBody,
  bodyRequired: false,
  response: DetailResponse,
  responseDescription: 'Refresh token family revoked, cookie cleared',
  omitFailures: [400, 401, 403, 404],
  aliases: [authAlias('/api/auth/logout/', 'auth_logout_create')],
  async handler({ s, c, body }) {
    const token = presentedRefresh(c, body);
    if (token) await revokeRefresh(s.db, s.env.JWT_SECRET, token);
    deleteCookie(c, REFRESH_COOKIE, { path: REFRESH_COOKIE_PATH });
    return { detail: 'Logged out' };
  },
});

/** Who else holds a username, email or phone the caller asks for (one statement). */
function holders(db: Db, fields: { username?: string; email?: string; phone?: string | null }) {
  const lower = fields.email?.trim().toLowerCase();
  const wanted: SQL[] = [];
  if (fields.username) wanted.push(eq(users.username, fields.username));
  if (lower) wanted.push(sql`lower(${users.email}) = ${lower}`);
  if (fields.phone) wanted.push(eq(users.phone, fields.phone));
  if (!wanted.length) return undefined;
  return db
    .select({
      id: users.id,
      username: sql<number>`${users.username} = ${fields.username ?? null}`,
      email: sql<number>`lower(${users.email}) = ${lower ?? null}`,
      phone: sql<number>`${users.phone} = ${fields.phone ?? null}`,
    })
    .from(users)
    .where(or(...wanted));
}

const updateMe = route({
  method: 'patch',
  path: '/api/users/me/',
  operationId: 'users_me_partial_update',
  summary: 'Update the current user',
  description:
    'Changes only the fields sent (username, email, phone, names, preferences). A new email address is unverified until its own verify link is opened; a username, email or phone taken by another user is a 400 naming the field. Any signed-in user (bearer token).',
  tags: ['users'],
  body: PatchedMe,
  response: User,
  responseDescription: 'The current user',
  aliases: [authAlias('/api/auth/me/', 'auth_me_partial_update')],
  files: AVATAR,
  async handler({ s, c, db, actor, body }) {
    const { preferences, ...fields } = body;
    if (fields.email) fields.email = normalizeEmail(fields.email);
    // Our own signed URL sent back (a client that GETs, edits and PATCHes the whole object) means
    // "unchanged" when it names the caller's current avatar; the caller's row tells.
    const sentBack = keyOfFileUrl(fields.avatar, origin(s.url)) !== null;
    // Round trip 1 (when a unique field or our URL is sent): who holds the values asked for.
    const query = holders(db, fields);
    const checks: Stmt[] = [...(query ? [query] : []), ...(sentBack ? [findByIdStmt(db, actor.id)] : [])];
    const checked = await runBatch(db, checks);
    const held = (query ? checked[0] : []) as { id: number; username: number; email: number; phone: number }[];
    const errors: Record<string, string[]> = {};
    const mine = (key: 'username' | 'email' | 'phone') => held.filter((h) => h[key]).map((h) => h.id);
    if (fields.username && mine('username').some((id) => id !== actor.id))
      errors.username = ['A user with that username already exists.'];
    if (fields.email && mine('email').some((id) => id !== actor.id)) errors.email = ['user with this email already exists.'];
    if (fields.phone && mine('phone').some((id) => id !== actor.id)) errors.phone = ['user with this phone already exists.'];
    if (sentBack) {
      const [current] = checked[checked.length - 1] as UserRow[];
      Object.assign(errors, ownFileUrls(AVATAR, fields, current, origin(s.url)));
    }
    if (Object.keys(errors).length) throw drf.fields(errors);
    // The address is unchanged exactly when it already belongs to the caller.
    const emailChanged = !!fields.email && !mine('email').includes(actor.id);
    // An uploaded avatar is checked (an image, 10 MB at most) and stored only once the rest passed.
    const { keys, stored } = await storeUploadsFor(s.env, c.req.raw, AVATAR, 'drf');
    if (keys.avatar) fields.avatar = keys.avatar;
    // Round trip 2: the avatar it replaces, the changes, then the caller's row and preferences as they now are.
    const writes: Stmt[] = [];
    if (Object.keys(fields).length)
      writes.push(
        db
          .update(users)
          // A new address is unverified until its own link is opened (a verify link is bound to its address).
          .set({ ...fields, phone: fields.phone === '' ? null : fields.phone, ...(emailChanged ? { is_verified: false } : {}) })
          .where(eq(users.id, actor.id)),
      );
    if (preferences && Object.keys(preferences).length)
      writes.push(db.update(userPreferences).set(preferences).where(eq(userPreferences.user_id, actor.id)));
    const before = db.select({ avatar: users.avatar }).from(users).where(eq(users.id, actor.id));
    const results = await runBatch(db, [before, ...writes, findByIdStmt(db, actor.id), preferencesStmt(db, actor.id)]).catch(
      async (err: unknown) => {
        await discardUploads(s.env, stored);
        const taken = takenFields(err);
        throw taken ? drf.fields(taken) : err;
      },
    );
    const [old] = results[0] as { avatar: string | null }[];
    const [user] = results[writes.length + 1] as UserRow[];
    const [prefs] = results[writes.length + 2] as (typeof userPreferences.$inferSelect)[];
    if (!user) throw drf.unauthorized();
    // A replaced or cleared upload is removed from R2 through the queue (retried), once the write committed.
    const released = releasedKeys(AVATAR, old, fields);
    if (released.length) publish(s, fileDeleteEvent(released));
    return meBody(s, user, prefs);
  },
});

const verifyEmail = route({
  method: 'get',
  path: '/api/users/verify-email/',
  operationId: 'users_verify_email_retrieve',
  summary: 'Verify an email address',
  description:
    'Opens the link emailed at registration (`uid`, `token`): marks the address verified. A self-registered Customer whose address is in STAFF_EMAIL_DOMAINS becomes Staff at this point. A link is bound to the address it was sent to and expires after 3 days. No token needed.',
  tags: ['users'],
  auth: 'public',
  query: z.object({ uid: z.string().optional(), token: z.string().optional() }),
  response: DetailResponse,
  responseDescription: 'Email verified successfully',
  responses: {
    400: json(DetailResponse, 'Invalid link or token'),
    404: json(DetailResponse, 'Invalid user'),
  },
  omitFailures: [401, 403],
  aliases: [authAlias('/api/auth/verify-email/', 'auth_verify_email_retrieve')],
  async handler({ s, db, query: { uid, token } }) {
    if (!uid || !token) throw drf.detail(400, 'Invalid link');
    const result = await checkLink(s, uid, token, 'verify_email');
    if (result === 'bad-uid') throw drf.detail(400, 'Invalid link');
    if (result === 'no-user') throw drf.detail(404, 'Invalid user');
    if (result === 'bad-token') throw drf.detail(400, 'Invalid or expired token');
    const { user } = result;
    // A verified address of a trusted domain (STAFF_EMAIL_DOMAINS) makes a self-registered Customer
    // Staff: proof of the address comes first, so registering with someone else's domain gains nothing.
    const promote = user.role === 'Customer' && isTrustedStaffEmail(s.env, user.email);
    await db
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
    return { detail: 'Email verified successfully' };
  },
});

const resetRequest = route({
  method: 'post',
  path: '/api/users/password-reset-request/',
  operationId: 'users_password_reset_request_create',
  summary: 'Request a password-reset email',
  description:
    'Emails a one-time reset link (uid and token, valid one hour) when an active account has this address. The answer is the same, in the same time, for unknown addresses (the lookup happens after the response). 503 when no email transport is configured. No token needed; 10 tries a minute per client IP (429 with Retry-After).',
  tags: ['users'],
  auth: 'public',
  middleware: [authRateLimit('password-reset')],
  body: ResetRequestBody,
  response: DetailResponse,
  responseDescription: 'Sent when the account exists; the answer is the same either way',
  responses: {
    503: json(DetailResponse, 'No email transport is configured'),
    429: tooManyRequests(Detail, 'the password-reset limit (10 a minute per client IP)'),
  },
  omitFailures: [401, 403, 404],
  aliases: [authAlias('/api/auth/password-reset-request/', 'auth_password_reset_request_create')],
  async handler({ s, c, body: { email: address } }) {
    emailTransport(s.env);
    // Answer first, look the account up afterwards: known and unknown emails take the same time.
    afterResponse(c, 'password reset request', async () => {
      const user = await findByEmail(s.db, address);
      if (!user?.is_active) return [];
      const token = await linkToken(s, user, 'password_reset');
      const link = `${origin(s.url)}/reset-password/?uid=${uidOf(user.id)}&token=${token}`;
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
    return { detail: 'Password reset email sent' };
  },
});

const resetConfirm = route({
  method: 'post',
  path: '/api/users/password-reset-confirm/',
  operationId: 'users_password_reset_confirm_create',
  summary: 'Set a new password with a reset link',
  description:
    "Takes `uid`, `token` and `new_password`. The link works once; the new password revokes every refresh token and every access token issued before it (and closes the user's live chat sockets). No token needed; 10 tries a minute per client IP (429 with Retry-After).",
  tags: ['users'],
  auth: 'public',
  middleware: [authRateLimit('password-reset')],
  body: ResetConfirmBody,
  response: DetailResponse,
  responseDescription: 'Password reset successful',
  responses: { 429: tooManyRequests(Detail, 'the password-reset limit (10 a minute per client IP)') },
  omitFailures: [401, 403, 404],
  aliases: [authAlias('/api/auth/password-reset-confirm/', 'auth_password_reset_confirm_create')],
  async handler({ s, c, db, body }) {
    const result = await checkLink(s, body.uid, body.token, 'password_reset');
    if (result === 'bad-uid' || result === 'no-user') throw drf.nonField('Invalid user');
    if (result === 'bad-token') throw drf.nonField('Invalid or expired token');
    const id = result.user.id;
    const link = useLink(db, result.claims, 'password_reset', id);
    // One batch: the link is used, the password set, older access tokens (token_version) and every
    // refresh token die, all only if this request won the link.
    const [, , changed, , rooms] = await db.batch([
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
      liveRoomsStmt(db, id),
    ]);
    if (!changed.length) throw drf.nonField('Invalid or expired token');
    endLiveSessions(c, id, rooms);
    return { detail: 'Password reset successful' };
  },
});

/** Mounts the identity routes of /api/users/ and their /api/auth/ aliases. */
export function mountTamitiAuth(app: OpenAPIHono<AppEnv>) {
  mount(app, register);
  mount(app, login);
  mount(app, refresh);
  mount(app, logout);
  mount(app, meRoute);
  mount(app, updateMe);
  mount(app, verifyEmail);
  mount(app, resetRequest);
  mount(app, resetConfirm);
}
