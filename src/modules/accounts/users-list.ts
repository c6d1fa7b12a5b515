import { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { CustomerProfile, StaffProfile } from '../../contract/tamiti/accounts.gen';
import { UserList, UserListRequest } from '../../contract/tamiti/accounts/users-list.gen';
import { publicUser } from '../../core/contact';
import { paginated } from '../../core/pagination';
import { pick, type ResourceDef, type Row } from '../../core/resource';
import { childrenStmt, groupBy } from '../../db';
import { customerProfiles, staffProfiles } from '../../db/schema/accounts';
import { users } from '../../db/schema/users';

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

/** A user's first live profile of a kind, picked in its read shape (null when there is none). */
const first = (byUser: Map<unknown, Row[]>, id: number, schema: typeof StaffProfile | typeof CustomerProfile) => {
  const row = byUser.get(id)?.[0];
  return row ? pick(schema, row) : null;
};

/**
 * `/api/accounts/users-list/`: read-only list/retrieve of every user with their live staff and
 * customer profiles nested (null when absent), loaded in the users' own round trip. Only Admins see
 * other users' email and phone, and email-like usernames are masked for everyone else
 * (core/contact.ts; the original exposed them all). `?search=` matches the username, and also email
 * and phone for Admins: searching fields a caller cannot see would reveal them, so for others an
 * email-like username is searchable only on the caller's own row.
 */
export const usersListResource: ResourceDef<typeof users> = {
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
  actions: ['list', 'retrieve'],
  defaultOrdering: ['id'],
  search: (k) =>
    k.user.role === 'Admin'
      ? [users.username, users.email, users.phone]
      : [sql`CASE WHEN instr(${users.username}, '@') > 0 AND ${users.id} <> ${k.user.id} THEN NULL ELSE ${users.username} END`],
  searchDescription: 'A search term (username; email and phone for Admins).',
  expansion: {
    load: (k, ids) => [
      childrenStmt(k.db, staffProfiles, staffProfiles.user, ids, eq(staffProfiles.is_deleted, false)),
      childrenStmt(k.db, customerProfiles, customerProfiles.user, ids, eq(customerProfiles.is_deleted, false)),
    ],
    attach: (k, rows, [staff, customer]) => {
      const staffBy = groupBy(staff as Row[], 'user');
      const customerBy = groupBy(customer as Row[], 'user');
      return rows.map((r) => ({
        ...publicUser(k.user, r as typeof users.$inferSelect),
        staff_profile: first(staffBy, r.id, StaffProfile),
        customer_profile: first(customerBy, r.id, CustomerProfile),
      }));
    },
  },
};
