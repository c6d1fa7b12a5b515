/**
 * Who may see and act on a booking. Roles come from the workspace module's model: the workspace's
 * owner is `admin`; an active membership gives `manager`, `staff` or `user`.
 * - the booker sees, cancels (before the start) and checks in their own booking;
 * - admin, managers and the branch's manager see every booking of the workspace (or branch),
 *   cancel at any time and check in;
 * - staff see the workspace's bookings and check guests in;
 * - anyone else (users who did not book it, outsiders) gets the same 404 as a missing booking.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../core/resource';
import { bookings } from '../../db/schema/bookings';
import { users } from '../../db/schema/users';
import { workspaceBranches, workspaces, workspaceSpaces, type MemberRole } from '../../db/schema/workspace';
import { fail, isUuid } from '../workspace/common';
import { bookingColumns, type BookingRow } from './views';

export const bookingNotFound = () => fail(404, 'Booking not found');

/** True for roles that run a space: admin, managers, and the branch's own manager. */
export const managesSpace = (role: MemberRole | null, branchManagerId: number | null, userId: number) =>
  role === 'admin' || role === 'manager' || (role !== null && branchManagerId === userId);

export interface BookingAccess {
  row: BookingRow;
  role: MemberRole | null;
  isBooker: boolean;
  /** Admin, manager or the branch's manager: cancels any time, sees everything. */
  manages: boolean;
  /** Workspace staff and above: may check guests in. */
  staff: boolean;
}

/** A booking and the caller's rights over it, in one query; 404 when the caller may not see it. */
export async function bookingAccess(db: Db, id: string, userId: number): Promise<BookingAccess> {
  if (!isUuid(id)) throw bookingNotFound();
  const [row] = await db
    .select({
      ...bookingColumns,
      caller_role: sql<MemberRole | null>`(select m.role from workspace_members m
        where m.workspace_id = ${bookings.workspace_id} and m.user_id = ${userId} and m.is_active = 1)`,
    })
    .from(bookings)
    .innerJoin(workspaceSpaces, eq(workspaceSpaces.id, bookings.space_id))
    .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
    .innerJoin(workspaces, eq(workspaces.id, bookings.workspace_id))
    .innerJoin(users, eq(users.id, bookings.user_id))
    .where(eq(bookings.id, id))
    .limit(1);
  if (!row) throw bookingNotFound();
  const role: MemberRole | null = row.workspace_admin_id === userId ? 'admin' : (row.caller_role ?? null);
  const isBooker = row.user_id === userId;
  const manages = managesSpace(role, row.branch_manager_id, userId);
  const staff = manages || role === 'staff';
  if (!isBooker && !staff) throw bookingNotFound();
  return { row, role, isBooker, manages, staff };
}
