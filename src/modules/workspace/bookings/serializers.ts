/**
 * How bookings are served: response schemas, the statements that load bookings with their space,
 * branch, workspace, booker, review and the caller's role (one query), their guests (one query
 * for a whole page), and the row-to-wire mapping. Guests' check-in codes are never served.
 */
import { z } from '@hono/zod-openapi';
import { asc, eq, getTableColumns, inArray, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../../db';
import { statement } from '../../../db/compiled';
import {
  BOOKING_STATUSES,
  BOOKING_TYPES,
  bookingGuests,
  bookingReviews,
  bookings,
  PRICE_UNITS,
} from '../../../db/schema/bookings';
import { users } from '../../../db/schema/users';
import { type MemberRole, SPACE_TYPES, workspaceBranches, workspaces, workspaceSpaces } from '../../../db/schema/workspace';
import { slot } from '../common';
import { bookingNotFound, dt, isUuid, money, uuid } from './shared';
import { isoAt } from './time';

export const PriceBreakdown = z
  .object({
    unit: z.enum(PRICE_UNITS),
    quantity: z.number().int().openapi({ description: 'Started units: hours, 24-hour days or calendar months.' }),
    unit_price: money(),
    subtotal: money(),
    total: money(),
  })
  .openapi('WsBookingPrice');

export const BookingGuest = z
  .object({
    id: uuid(),
    name: z.string(),
    email: z.string(),
    is_checked_in: z.boolean(),
    checked_in_at: dt().nullable(),
  })
  .openapi('WsBookingGuest');
export type BookingGuestOut = z.infer<typeof BookingGuest>;

export const BookingReview = z
  .object({
    id: uuid(),
    booking_id: uuid(),
    space_id: uuid(),
    rating: z.number().int().min(1).max(5),
    comment: z.string(),
    created_at: dt(),
  })
  .openapi('WsBookingReview');

export const Booking = z
  .object({
    id: uuid(),
    space_id: uuid(),
    space_name: z.string(),
    space_type: z.enum(SPACE_TYPES),
    branch_id: uuid(),
    branch_name: z.string(),
    workspace_id: uuid(),
    workspace_name: z.string(),
    user: z.object({ id: uuid(), email: z.string(), full_name: z.string() }).openapi({ description: 'The booker.' }),
    booking_type: z.enum(BOOKING_TYPES),
    start: dt(),
    end: dt(),
    guests: z.number().int().openapi({ description: 'People using the space, the booker included.' }),
    notes: z.string(),
    status: z.enum(BOOKING_STATUSES).openapi({
      description:
        '`pending`: a hold, blocking its slot until `expires_at`; `confirmed`; `completed` (checked out); `cancelled`; `expired` (a hold that was not confirmed in time).',
    }),
    is_checked_in: z.boolean(),
    checked_in_at: dt().nullable(),
    cancelled_at: dt().nullable(),
    price: PriceBreakdown,
    created_at: dt(),
    updated_at: dt(),
    expires_at: dt().nullable().openapi({ description: 'When a hold stops blocking its slot (holds only).' }),
    confirmed_at: dt().nullable(),
    checked_out_at: dt().nullable(),
    refund_amount: money()
      .nullable()
      .openapi({ description: 'What the cancellation refunds (cancelled bookings only); see the cancel route.' }),
    guest_list: z.array(BookingGuest).openapi({ description: 'The guests the booker invited, with their check-in state.' }),
    review: BookingReview.omit({ booking_id: true, space_id: true }).nullable(),
  })
  .openapi('WsBooking');
export type BookingOut = z.infer<typeof Booking>;

const callerRole = (userId: number | Placeholder) => sql<MemberRole | null>`(select m.role from workspace_members m
  where m.workspace_id = ${bookings.workspace_id} and m.user_id = ${userId} and m.is_active = 1)`;

const bookingColumns = (userId: number | Placeholder) => ({
  ...getTableColumns(bookings),
  space_name: workspaceSpaces.name,
  space_type: workspaceSpaces.space_type,
  space_capacity: workspaceSpaces.capacity,
  branch_id: workspaceBranches.id,
  branch_name: workspaceBranches.name,
  branch_address: workspaceBranches.address,
  branch_city: workspaceBranches.city,
  branch_manager_id: workspaceBranches.manager_id,
  workspace_name: workspaces.name,
  workspace_admin_id: workspaces.admin_id,
  user_uuid: users.uuid,
  user_email: users.email,
  user_full_name: users.full_name,
  review_id: bookingReviews.id,
  review_rating: bookingReviews.rating,
  review_comment: bookingReviews.comment,
  review_created_at: bookingReviews.created_at,
  caller_role: callerRole(userId),
  total_rows: sql<number>`count(*) over ()`.mapWith(Number),
});

/**
 * Bookings with space, branch, workspace, booker, review and the role of `userId` in the booking's
 * workspace, in one statement; callers add where/order/limit.
 */
export const selectBookings = (db: Db, userId: number | Placeholder) =>
  db
    .select(bookingColumns(userId))
    .from(bookings)
    .innerJoin(workspaceSpaces, eq(workspaceSpaces.id, bookings.space_id))
    .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
    .innerJoin(workspaces, eq(workspaces.id, bookings.workspace_id))
    .innerJoin(users, eq(users.id, bookings.user_id))
    .leftJoin(bookingReviews, eq(bookingReviews.booking_id, bookings.id))
    .$dynamic();
export type BookingRow = Awaited<ReturnType<typeof selectBookings>>[number];

/** One booking by id (for a batch), built once per isolate (db/compiled.ts). */
export const bookingByIdStmt = (db: Db, id: string, userId: number) =>
  statement(db, 'workspace.bookingById', (q) => selectBookings(q, slot.user).where(eq(bookings.id, slot.id)).limit(1), {
    id,
    user: userId,
  });

export type GuestRow = typeof bookingGuests.$inferSelect;

/** The guests of some bookings (ids, or a subquery selecting them), in invitation order (insertion order), for a batch. */
export function guestsStmt(db: Db, bookingIds: string[] | SQL) {
  const which = Array.isArray(bookingIds)
    ? inArray(bookingGuests.booking_id, bookingIds.length ? bookingIds : [''])
    : sql`${bookingGuests.booking_id} in ${bookingIds}`;
  return statement(
    db,
    'workspace.guests',
    (q, where) => q.select().from(bookingGuests).where(where).orderBy(asc(bookingGuests.booking_id), sql`rowid`),
    {},
    which,
  );
}

/** A guest as served (never its code). */
export const guestOut = (g: GuestRow): BookingGuestOut => ({
  id: g.id,
  name: g.name,
  email: g.email,
  is_checked_in: g.checked_in_at !== null,
  checked_in_at: g.checked_in_at,
});

/** The status a client should see: a hold past its `expires_at` is `expired` even before the cron marks it. */
export function effectiveStatus(row: { status: BookingRow['status']; expires_at: string | null }, now: number) {
  if (row.status === 'pending' && row.expires_at !== null && row.expires_at <= isoAt(now)) return 'expired' as const;
  return row.status;
}

export function bookingOut(r: BookingRow, guests: GuestRow[], now: number): BookingOut {
  return {
    id: r.id,
    space_id: r.space_id,
    space_name: r.space_name,
    space_type: r.space_type,
    branch_id: r.branch_id,
    branch_name: r.branch_name,
    workspace_id: r.workspace_id,
    workspace_name: r.workspace_name,
    user: { id: r.user_uuid, email: r.user_email, full_name: r.user_full_name },
    booking_type: r.booking_type,
    start: r.start,
    end: r.end,
    guests: r.guests,
    notes: r.notes,
    status: effectiveStatus(r, now),
    is_checked_in: r.checked_in_at !== null,
    checked_in_at: r.checked_in_at,
    cancelled_at: r.cancelled_at,
    price: { unit: r.price_unit, quantity: r.quantity, unit_price: r.unit_price, subtotal: r.subtotal, total: r.total },
    created_at: r.created_at,
    updated_at: r.updated_at,
    expires_at: r.expires_at,
    confirmed_at: r.confirmed_at,
    checked_out_at: r.checked_out_at,
    refund_amount: r.refund_amount,
    guest_list: guests.map(guestOut),
    review:
      r.review_id === null
        ? null
        : {
            id: r.review_id,
            rating: r.review_rating ?? 0,
            comment: r.review_comment ?? '',
            created_at: r.review_created_at ?? '',
          },
  };
}

/** Maps a page of rows with their guests (loaded by `guestsStmt` in the same batch). */
export function bookingsOut(rows: BookingRow[], guests: GuestRow[], now: number): BookingOut[] {
  const byBooking = new Map<string, GuestRow[]>();
  for (const g of guests) {
    const list = byBooking.get(g.booking_id);
    if (list) list.push(g);
    else byBooking.set(g.booking_id, [g]);
  }
  return rows.map((r) => bookingOut(r, byBooking.get(r.id) ?? [], now));
}

// ---- rights --------------------------------------------------------------------------------

export interface Rights {
  role: MemberRole | null;
  isBooker: boolean;
  /** Admin, manager or the branch's manager: cancels any time with a full refund, sees everything. */
  manages: boolean;
  /** Workspace staff and above: check guests in and out. */
  staff: boolean;
}

/** True for roles that run a space: admin, managers, and the branch's own manager. */
export const managesSpace = (role: MemberRole | null, branchManagerId: number | null, userId: number) =>
  role === 'admin' || role === 'manager' || (role !== null && branchManagerId === userId);

/**
 * The caller's rights over a booking. Roles come from the workspace model: the workspace's owner
 * is `admin`; an active membership gives `manager`, `staff` or `user`.
 */
export function rightsOf(row: BookingRow, userId: number): Rights {
  const role: MemberRole | null = row.workspace_admin_id === userId ? 'admin' : (row.caller_role ?? null);
  const manages = managesSpace(role, row.branch_manager_id, userId);
  return { role, isBooker: row.user_id === userId, manages, staff: manages || role === 'staff' };
}

/**
 * The booking and the caller's rights when the caller may see it (its booker, or staff and above
 * in its workspace); null otherwise, which routes answer with the same 404 as a missing booking.
 */
export function visibleTo(row: BookingRow | undefined, userId: number): { row: BookingRow; rights: Rights } | null {
  if (!row) return null;
  const rights = rightsOf(row, userId);
  return rights.isBooker || rights.staff ? { row, rights } : null;
}

/**
 * A booking with its guests, in one round trip, for its booker or the workspace's staff; the same
 * 404 as a missing booking for anyone else (and for an id that is not a UUID).
 */
export async function loadVisibleBooking(db: Db, id: string, userId: number) {
  if (!isUuid(id)) throw bookingNotFound();
  const [[found], guests] = await db.batch([bookingByIdStmt(db, id, userId), guestsStmt(db, [id])]);
  const seen = visibleTo(found, userId);
  if (!seen) throw bookingNotFound();
  return { ...seen, guests };
}
