/**
 * Workspace-family identity (seed 002) at /api/user/: register, login, token refresh and the
 * profile, in the `{success, message, user, token}` envelope. Registration and sign-in are the
 * shared ones of accounts.ts (the workspace admin routes use them too).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { ws } from '../../core/errors';
import { string } from '../../core/fields';
import { json, mount, route } from '../../core/route';
import type { AppEnv } from '../../env';
import { authRateLimit } from '../../middleware/rate-limit';
import { dicebearAvatar, findById, type UserRow } from '../users/service';
import { rotateRefresh } from '../users/tokens';
import { pair, passwordProblems, registerAccount, signIn } from './accounts';

export const tags = ['user'];
export const Email = z.email().max(254);

export const UserSummary = z
  .object({
    user_id: z.uuid(),
    user_email: z.string(),
    full_name: z.string(),
    avatar_url: z.string().nullable(),
  })
  .openapi('WorkspaceUserSummary');
export const TokenPairOut = z.object({ access_token: z.string(), refresh_token: z.string() }).openapi('WorkspaceTokenPair');
const AuthResponse = z.object({ user: UserSummary, token: TokenPairOut });
/** The failure body documented by the /api/user/ routes (`errors`, or `error` on register and Google). */
export const Failure = z
  .object({
    success: z.literal(false),
    message: z.string(),
    errors: z.record(z.string(), z.any()).optional(),
    error: z.any().optional(),
  })
  .openapi('WorkspaceFailure');
/** The documented failures of /api/user/ (403 and 404 do not occur there). */
export const userFailures = {
  400: json(Failure, 'Validation failed'),
  401: json(z.object({ detail: z.string() }), 'Not authenticated'),
};
export const omitFailures = [403, 404];

const RegisterBody = z
  .object({
    full_name: string().trim().min(1).max(200),
    email: Email,
    password: string().max(255),
    confirm_password: string(),
  })
  .openapi('UserRegistrationRequest');
const LoginBody = z.object({ email: Email, password: string().min(1).max(255) }).openapi('UserLoginRequest');
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

export const summary = (u: UserRow) => ({
  user_id: u.uuid,
  user_email: u.email,
  full_name: u.full_name,
  avatar_url: u.avatar_url,
});

const register = route({
  method: 'post',
  path: '/api/user/register/',
  operationId: 'user_register_create',
  summary: 'Register (workspace family)',
  description:
    "Creates an account from `full_name`, `email`, `password` and `confirm_password` and signs it in: `{user, token: {access, refresh}}` in the envelope. Workspace users are Tamiti Customers (no internal access). Password rules and mismatches are field errors under `error` (the original's key), `Password do not match` under `non_field_errors` as the original spells it. Rate-limited per client (429 with Retry-After).",
  tags,
  auth: 'public',
  middleware: [authRateLimit('register')],
  body: RegisterBody,
  status: 201,
  response: AuthResponse,
  responseDescription: 'Registered',
  envelope: {
    message: 'Registration was successful',
    failure: 'Registration Failed',
    errorKey: 'error',
    name: 'WorkspaceAuthResponse',
  },
  responses: userFailures,
  omitFailures,
  async handler({ c, body }) {
    const { user, tokens } = await registerAccount(c, body, {
      failure: 'Registration Failed',
      errorKey: 'error',
      avatar: dicebearAvatar,
      check(b, taken) {
        const errors: Record<string, string[]> = {};
        if (taken) errors.email = ['Email already exists'];
        const problems = passwordProblems(b.password);
        if (problems.length) errors.password = problems;
        if (b.password !== b.confirm_password) {
          // The original's key and typo, and the seed's key: a client of either finds its own.
          errors.non_field_errors = ['Password do not match'];
          errors.confirm_password = ['Passwords do not match'];
        }
        return errors;
      },
    });
    return { user: summary(user), token: pair(tokens) };
  },
});

const login = route({
  method: 'post',
  path: '/api/user/login/',
  operationId: 'user_login_create',
  summary: 'Sign in (workspace family)',
  description:
    'Email and password; answers `{user, token}` in the envelope. A wrong email and a wrong password get the same answer (the original named the field, which tells which emails exist). Limited per client and per account across every login route (429 with Retry-After).',
  tags,
  auth: 'public',
  middleware: [authRateLimit('login')],
  body: LoginBody,
  response: AuthResponse,
  responseDescription: 'Signed in',
  envelope: { message: 'Login was successful', failure: 'Login failed', name: 'WorkspaceAuthResponse' },
  responses: userFailures,
  omitFailures,
  async handler({ c, body }) {
    const { user, tokens } = await signIn(c, body.email, body.password, {
      message: 'Login failed',
      inactive: { non_field_errors: ['User account is disabled'] },
    });
    return { user: summary(user), token: pair(tokens) };
  },
});

const profile = route({
  method: 'get',
  path: '/api/user/profile/',
  operationId: 'user_profile_retrieve',
  summary: "The current user's profile",
  description:
    "The signed-in user's id, full name, email, avatar and dates, as a bare object (no envelope, as the original). Bearer token required.",
  tags,
  response: Profile,
  responseDescription: 'The current user (no envelope, as the original)',
  responses: { 401: userFailures[401] },
  omitFailures: [400, 403, 404],
  async handler({ db, actor }) {
    const user = await findById(db, actor.id);
    if (!user) throw ws.fail(401, 'User not found');
    return {
      id: user.uuid,
      full_name: user.full_name,
      email: user.email,
      avatar_url: user.avatar_url,
      date_joined: user.date_joined,
      last_login: user.last_login,
    };
  },
});

const refresh = route({
  method: 'post',
  path: '/api/user/token/refresh/',
  operationId: 'user_token_refresh_create',
  summary: 'Rotate a refresh token',
  description:
    'Exchanges `refresh_token` for a new access and refresh token pair. Each refresh token works once: presenting a used one revokes every session of that sign-in (replay detection).',
  tags,
  auth: 'public',
  body: RefreshBody,
  response: z.object({ token: TokenPairOut }),
  responseDescription: 'Rotated token pair',
  envelope: { message: 'Token refreshed successfully', failure: 'Token refresh failed' },
  responses: userFailures,
  omitFailures,
  async handler({ s, body }) {
    const result = await rotateRefresh(s.db, s.env.JWT_SECRET, body.refresh_token);
    if (!result.ok)
      throw ws.fail(400, 'Token refresh failed', {
        refresh_token: [
          result.reason === 'reused'
            ? 'Token has already been used; all sessions of this sign-in were revoked'
            : 'Token is invalid or expired',
        ],
      });
    return { token: pair(result.tokens) };
  },
});

export function mountAuth(app: OpenAPIHono<AppEnv>) {
  mount(app, register);
  mount(app, login);
  mount(app, profile);
  mount(app, refresh);
}
