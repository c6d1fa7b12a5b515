/**
 * Every new user gets the profile of their role in the same batch as the user row: a StaffProfile
 * (all FKs null) for Staff, a CustomerProfile for Customer; Admin gets neither (as the original).
 */
import { idByUuid, type Db, type Stmt } from '../../core/resource';
import { customerProfiles, staffProfiles } from '../../db/schema/accounts';
import { users } from '../../db/schema/users';
import type { Role } from '../users/service';

export function profileForNewUser(db: Db, uuid: string, role: Role): Stmt[] {
  const user = idByUuid(users, uuid);
  if (role === 'Staff') return [db.insert(staffProfiles).values({ user })];
  if (role === 'Customer') return [db.insert(customerProfiles).values({ user })];
  return [];
}
