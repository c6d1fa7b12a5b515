/**
 * Every new user gets the profile of their role in the same batch as the user row: a StaffProfile
 * (all FKs null) for Staff, a CustomerProfile for Customer; Admin gets neither (as the original).
 * Called by the identity service's `createUser` (users/service.ts), which writes them with the user.
 */
import type { SQL } from 'drizzle-orm';
import type { Db, Stmt } from '../../db';
import { customerProfiles, staffProfiles } from '../../db/schema/accounts';
import type { Role } from '../users/service';

/** The profile row of a new user's role; `user` is the new user's id (a subquery in the creating batch). */
export function profileForNewUser(db: Db, user: SQL<number>, role: Role): Stmt[] {
  if (role === 'Staff') return [db.insert(staffProfiles).values({ user })];
  if (role === 'Customer') return [db.insert(customerProfiles).values({ user })];
  return [];
}
