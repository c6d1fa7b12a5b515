import { sql } from 'drizzle-orm';
import type { Db } from '../../core/resource';

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
 * Booking counts of the workspaces owned by `adminUserId` (`workspaces.admin_id`), in one query
 * on the bookings (workspace_id, start) index. Spread it into the admin profile's `user` object.
 */
export async function bookingCountsForAdmin(db: Db, adminUserId: number): Promise<AdminBookingCounts> {
  const now = new Date().toISOString();
  const [row] = await db.all<Record<keyof AdminBookingCounts, number | null>>(sql`
    SELECT count(*) AS booking_count,
      sum(b.status = 'confirmed') AS confirmed_booking_count,
      sum(b.status = 'confirmed' AND b."start" > ${now}) AS upcoming_booking_count,
      sum(b.status = 'cancelled') AS cancelled_booking_count
    FROM bookings b JOIN workspaces w ON w.id = b.workspace_id
    WHERE w.admin_id = ${adminUserId}`);
  return {
    booking_count: Number(row?.booking_count ?? 0),
    confirmed_booking_count: Number(row?.confirmed_booking_count ?? 0),
    upcoming_booking_count: Number(row?.upcoming_booking_count ?? 0),
    cancelled_booking_count: Number(row?.cancelled_booking_count ?? 0),
  };
}
