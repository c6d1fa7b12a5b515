/**
 * PATCH /api/users/{id}/access/ (Admin only; not in the reference, whose users-list is read-only
 * and has no operation that changes a role): grants or withdraws a role and (de)activates an
 * account. A role change or a deactivation bumps the user's token version, so their access tokens
 * die at once; a deactivation also revokes their refresh tokens. Admins cannot change their own
 * access (the last Admin cannot lock everyone out).
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { bool, choice, int } from '../../core/fields';
import { mount, route } from '../../core/route';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { findById } from './service';
import { endLiveSessions, liveRoomsStmt } from './sessions';
import { revokeAllForUser } from './tokens';

const UserAccessRequest = z
  .object({
    role: choice(['Admin', 'Staff', 'Customer'] as const)
      .optional()
      .openapi({ description: 'Admin, Staff or Customer.' }),
    is_active: bool().optional().openapi({ description: 'false deactivates the account (sign-in refused, tokens revoked).' }),
  })
  .openapi('PatchedUserAccessRequest');
const UserAccess = z
  .object({
    id: z.number().int(),
    username: z.string(),
    role: z.enum(['Admin', 'Staff', 'Customer']),
    is_active: z.boolean(),
  })
  .openapi('UserAccess');

/**
 * Two round trips: the user (with the caller's authorization), then one batch with the change and
 * the revocation of their refresh tokens.
 */
const access = route({
  method: 'patch',
  path: '/api/users/{id}/access/',
  operationId: 'users_access_partial_update',
  tags: ['users'],
  summary: "Change a user's role or active state (Admin only)",
  description:
    'Sets `role` (Admin, Staff or Customer) and/or `is_active` of a user. Either change ends every token issued to the user before it (their access tokens stop working at once, refresh tokens are revoked). An Admin cannot change their own role or deactivate themselves (400). Our addition: the original has no operation that changes a role. Admin only (403 for others).',
  params: z.object({ id: int({ min: 1 }) }),
  body: UserAccessRequest,
  response: UserAccess,
  responseDescription: 'The user with their new access',
  async handler({ c, db, actor, params: { id }, body }) {
    if (actor.role !== 'Admin') throw drf.forbidden();
    const user = await findById(db, id);
    if (!user) throw drf.notFound('No User matches the given query.');
    if (user.id === actor.id && (body.role ?? user.role) !== user.role) throw drf.nonField('You cannot change your own role.');
    if (user.id === actor.id && body.is_active === false) throw drf.nonField('You cannot deactivate your own account.');
    const role = body.role ?? user.role;
    const isActive = body.is_active ?? user.is_active;
    const deactivated = user.is_active && !isActive;
    const bump = role !== user.role || deactivated;
    const [[row], rooms] = await db.batch([
      db
        .update(users)
        .set({ role, is_active: isActive, ...(bump ? { token_version: sql`${users.token_version} + 1` } : {}) })
        .where(eq(users.id, id))
        .returning({ id: users.id, username: users.username, role: users.role, is_active: users.is_active }),
      liveRoomsStmt(db, id),
      ...(deactivated ? [revokeAllForUser(db, id)] : []),
    ]);
    if (bump) endLiveSessions(c, id, rooms);
    return row;
  },
});

export function mountUserAccess(app: OpenAPIHono<AppEnv>) {
  mount(app, access);
}
