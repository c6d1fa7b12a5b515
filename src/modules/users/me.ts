/**
 * GET /api/users/me/ (and /api/auth/me/): the caller's profile with their preferences, in one round
 * trip. Its own module: a first request builds the `User` schema and this route only, not the
 * sign-up, sign-in, reset and profile-update bodies (src/app.ts serves these GETs from it;
 * ./tamiti-auth.ts mounts the route again with the rest of /api/users/ and /api/auth/).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { User } from '../../contract/tamiti/users/me.gen';
import { drf } from '../../core/errors';
import { presentFile } from '../../core/files';
import { mount, route } from '../../core/route';
import type { Scope } from '../../core/scope';
import type { userPreferences } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { findByIdStmt, preferencesStmt, type UserRow } from './service';

/** The origin (scheme, host and port) of a URL. */
export const origin = (url: string) => new URL(url).origin;

/** The same operation under /api/auth/ (the original's alias of /api/users/). */
export const authAlias = (path: string, operationId: string) => ({ path, operationId, tags: ['auth'] });

/** The current user in the contract's `User` shape; an uploaded avatar as a signed absolute URL (1 hour). */
export async function meBody(s: Scope, user: UserRow, prefs: typeof userPreferences.$inferSelect | undefined) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    phone: user.phone,
    is_verified: user.is_verified,
    avatar: await presentFile(s.env, origin(s.url), user.avatar ?? user.avatar_url),
    bio: user.bio,
    role: user.role,
    total_tasks_completed: user.total_tasks_completed,
    last_seen: user.last_seen ?? user.date_joined,
    streak_days: user.streak_days,
    current_streak_started: user.current_streak_started,
    // The contract documents an object: a user row written outside the API, without preferences,
    // shows the preferences' defaults.
    preferences: prefs
      ? { dark_mode: prefs.dark_mode, language: prefs.language, daily_summary: prefs.daily_summary }
      : { dark_mode: true, language: 'en', daily_summary: true },
  };
}

export const meRoute = route({
  method: 'get',
  path: '/api/users/me/',
  operationId: 'users_me_retrieve',
  summary: 'Get the current user',
  description: "The caller's profile with their preferences. Any signed-in user (bearer token).",
  tags: ['users'],
  response: User,
  responseDescription: 'The current user',
  aliases: [authAlias('/api/auth/me/', 'auth_me_retrieve')],
  async handler({ s, db, actor }) {
    const [[user], [prefs]] = await db.batch([findByIdStmt(db, actor.id), preferencesStmt(db, actor.id)]);
    if (!user) throw drf.unauthorized();
    return meBody(s, user, prefs);
  },
});

/** Mounts GET /api/users/me/ alone (the area's read app). */
export function mountMe(app: OpenAPIHono<AppEnv>) {
  mount(app, meRoute);
}
