/**
 * PATCH /api/users/{id}/access/ (Admin only; not in the reference, whose users-list is read-only
 * and has no operation that changes a role): grants or withdraws a role and (de)activates an
 * account. A role change or a deactivation bumps the user's token version, so their access tokens
 * die at once; a deactivation also revokes their refresh tokens. Admins cannot change their own
 * access (the last Admin cannot lock everyone out).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { bool, choice, int } from '../../core/fields';
import { bearer, createRouter, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { users } from '../../db/schema/users';
import { currentUser, requireAuth } from '../../middleware/auth';
import { findById } from './service';
import { revokeAllForUser } from './tokens';
import { endLiveSessions } from './sessions';

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

export function userAccessRoutes() {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/api/users/{id}/access/',
      operationId: 'users_access_partial_update',
      tags: ['users'],
      summary: "Change a user's role or active state (Admin only)",
      security: bearer,
      middleware: [requireAuth()] as const,
      request: { params: z.object({ id: int({ min: 1 }) }), body: jsonBody(UserAccessRequest) },
      responses: { 200: jsonResponse(UserAccess, 'The user with their new access'), ...drfErrors },
    }),
    async (c) => {
      const me = currentUser(c);
      if (me.role !== 'Admin') throw drf.forbidden();
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const db = c.get('db');
      const user = await findById(db, id);
      if (!user) throw drf.notFound('No User matches the given query.');
      if (user.id === me.id && (body.role ?? user.role) !== user.role) throw drf.nonField('You cannot change your own role.');
      if (user.id === me.id && body.is_active === false) throw drf.nonField('You cannot deactivate your own account.');
      const role = body.role ?? user.role;
      const isActive = body.is_active ?? user.is_active;
      const deactivated = user.is_active && !isActive;
      const bump = role !== user.role || deactivated;
      const [[row]] = await db.batch([
        db
          .update(users)
          .set({ role, is_active: isActive, ...(bump ? { token_version: sql`${users.token_version} + 1` } : {}) })
          .where(eq(users.id, id))
          .returning({ id: users.id, username: users.username, role: users.role, is_active: users.is_active }),
        ...(deactivated ? [revokeAllForUser(db, id)] : []),
      ]);
      if (bump) endLiveSessions(c, id);
      return c.json(row, 200);
    },
  );
  return app;
}
