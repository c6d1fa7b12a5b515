import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { CustomerProfile, StaffProfile, UserList, UserListRequest } from '../../contract/tamiti.gen';
import { pageParams, paginated } from '../../core/pagination';
import { childrenOf, kitOf, listRows, pick, searchWhere, type Kit, type ResourceDef, type Row } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import { customerProfiles, staffProfiles } from '../../db/schema/accounts';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';

/** UserList as we serve it: other users' email/phone are null unless the caller is an Admin. */
export const UserListEntry = UserList.extend({
  email: z.string().openapi({ format: 'email', description: 'Null for other users unless the caller is an Admin.' }).nullable(),
  phone: z.string().openapi({ description: 'Null for other users unless the caller is an Admin.' }).nullable().optional(),
  staff_profile: StaffProfile.nullable().openapi({ readOnly: true }),
  customer_profile: CustomerProfile.nullable().openapi({ readOnly: true }),
}).openapi('UserListEntry');

const mask = (k: Kit, row: Row) => k.user.role === 'Admin' || row.id === k.user.id;

/**
 * `/api/accounts/users-list/`: read-only list/retrieve of every user with their live staff and
 * customer profiles nested (null when absent). Only Admins see other users' email and phone
 * (the original exposed them to everyone).
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
      const visible = mask(k, r);
      return {
        ...r,
        email: visible ? r.email : null,
        phone: visible ? r.phone : null,
        staff_profile: sp ? pick(StaffProfile, sp) : null,
        customer_profile: cp ? pick(CustomerProfile, cp) : null,
      };
    });
  },
};

/**
 * The list route: `?search=` matches username, and also email/phone for Admins (searching on
 * fields a caller cannot see would reveal them).
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
    const columns = k.user.role === 'Admin' ? [users.username, users.email, users.phone] : [users.username];
    return c.json(
      (await listRows(usersListResource, k, c.req.query(), searchWhere(columns, c.req.query('search')))) as never,
      200,
    );
  });
}
