/**
 * Moved to src/modules/workspace/bookings/counts.ts (issue 15: the layout mirrors the URLs). This
 * re-export keeps `workspace/admin.ts` compiling until its import is updated; delete it then.
 */
export { type AdminBookingCounts, bookingCountsForAdmin, bookingCountsOf, bookingCountsStmt } from '../workspace/bookings/counts';
