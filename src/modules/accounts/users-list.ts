import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { CustomerProfile, StaffProfile, UserList, UserListRequest } from '../../contract/tamiti/accounts.gen';
import { publicUser, type UserFields } from '../../core/contact';
import { pageParams, paginated } from '../../core/pagination';
import { childrenOf, kitOf, listRows, pick, searchWhere, type ResourceDef, type Row } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import { customerProfiles, staffProfiles } from '../../db/schema/accounts';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';

/** UserList as we serve it: other users' contact details follow the rule of core/contact.ts. */
export const UserListEntry = UserList.extend({
  username: z.string().openapi({
    description: 'Another user’s username that is or looks like an email reads `user-<id>` unless the caller is an Admin.',
  }),
  email: z.string().openapi({ format: 'email', description: 'Null for other users unless the caller is an Admin.' }).nullable(),
  phone: z.string().openapi({ description: 'Null for other users unless the caller is an Admin.' }).nullable().optional(),
  staff_profile: StaffProfile.nullable().openapi({ readOnly: true }),
  customer_profile: CustomerProfile.nullable().openapi({ readOnly: true }),
}).openapi('UserListEntry');

/**
 * `/api/accounts/users-list/`: read-only list/retrieve of every user with their live staff and
 * customer profiles nested (null when absent). Only Admins see other users' email and phone, and
 * email-like usernames are masked for everyone else (core/contact.ts; the original exposed them all).
 */
export const usersListResource: ResourceDef = {
  path: '/accounts/users-list/',
  operationId: 'accounts_users_list',
  tag: 'accounts',
  model: 'User',
  table: users,
  schemas: {
    read: UserListEntry,
    write: UserListRequest,
    patch: UserListRequest,
    page: paginated(UserListEntry, 'PaginatedUserListEntryList'),
  },
  actions: ['retrieve'],
  defaultOrdering: ['id'],
  expand: async (k, rows) => {
    const ids = rows.map((r) => r.id);
    const [staff, customer] = await Promise.all([
      childrenOf<Row>(k.db, staffProfiles, staffProfiles.user, ids, eq(staffProfiles.is_deleted, false)),
      childrenOf<Row>(k.db, customerProfiles, customerProfiles.user, ids, eq(customerProfiles.is_deleted, false)),
    ]);
    return rows.map((r) => {
      const sp = staff.get(r.id)?.[0];
      const cp = customer.get(r.id)?.[0];
      return {
        ...publicUser(k.user, r as unknown as UserFields),
        staff_profile: sp ? pick(StaffProfile, sp) : null,
        customer_profile: cp ? pick(CustomerProfile, cp) : null,
      };
    });
  },
};

/**
 * The list route: `?search=` matches username, and also email/phone for Admins (searching on
 * fields a caller cannot see would reveal them, so for others an email-like username is searchable
 * only on the caller's own row).
 */
export function mountUsersList(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'get',
    path: '/api/accounts/users-list/',
    operationId: 'accounts_users_list_list',
    tags: ['accounts'],
    security: bearer,
    middleware: [requireAuth()] as const,
    request: {
      query: z.object({
        ...pageParams,
        search: z.string().optional().openapi({ description: 'A search term (username; email and phone for Admins).' }),
      }),
    },
    responses: { 200: jsonResponse(usersListResource.schemas.page!, ''), ...drfErrors },
  });
  app.openapi(route, async (c) => {
    const k = kitOf(c);
    const columns =
      k.user.role === 'Admin'
        ? [users.username, users.email, users.phone]
        : [sql`CASE WHEN instr(${users.username}, '@') > 0 AND ${users.id} <> ${k.user.id} THEN NULL ELSE ${users.username} END`];
    return c.json(
      (await listRows(usersListResource, k, c.req.query(), searchWhere(columns, c.req.query('search')))) as never,
      200,
    );
  });
}
