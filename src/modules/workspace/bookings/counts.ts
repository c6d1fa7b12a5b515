import { sql } from 'drizzle-orm';
import type { Db } from '../../../db';
import { allStmt } from './raw';

/** Booking counts over the workspaces a user owns, for the admin profile. */
export interface AdminBookingCounts {
  /** Every booking ever made in the admin's workspaces, cancelled ones included. */
  booking_count: number;
  /** Confirmed (not cancelled) bookings. */
  confirmed_booking_count: number;
  /** Confirmed bookings that have not started yet. */
  upcoming_booking_count: number;
  cancelled_booking_count: number;
}

/**
 * Booking counts of the workspaces owned by `adminUserId` (`workspaces.admin_id`) as one statement
 * on the bookings (workspace_id, start) index, to put in the admin profile's batch.
 */
export function bookingCountsStmt(db: Db, adminUserId: number, now = Date.now()) {
  const at = new Date(now).toISOString();
  return allStmt<Record<keyof AdminBookingCounts, number | null>>(
    db,
    sql`
    SELECT count(*) AS booking_count,
      sum(b.status = 'confirmed') AS confirmed_booking_count,
      sum(b.status = 'confirmed' AND b."start" > ${at}) AS upcoming_booking_count,
      sum(b.status = 'cancelled') AS cancelled_booking_count
    FROM bookings b JOIN workspaces w ON w.id = b.workspace_id
    WHERE w.admin_id = ${adminUserId}`,
  );
}

/** Reads `bookingCountsStmt`'s row. Spread it into the admin profile's `user` object. */
export function bookingCountsOf(rows: Record<keyof AdminBookingCounts, number | null>[]): AdminBookingCounts {
  const row = rows[0];
  return {
    booking_count: Number(row?.booking_count ?? 0),
    confirmed_booking_count: Number(row?.confirmed_booking_count ?? 0),
    upcoming_booking_count: Number(row?.upcoming_booking_count ?? 0),
    cancelled_booking_count: Number(row?.cancelled_booking_count ?? 0),
  };
}

/** Booking counts of the workspaces owned by `adminUserId` (a round trip of its own: prefer the statement). */
export async function bookingCountsForAdmin(db: Db, adminUserId: number): Promise<AdminBookingCounts> {
  return bookingCountsOf(await bookingCountsStmt(db, adminUserId));
}
