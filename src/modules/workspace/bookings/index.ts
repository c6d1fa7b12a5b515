import { workspaceRouter } from '../area';
import { mountAvailability } from './availability';
import { mountCalendar } from './calendar';
import { mountCancel } from './cancel';
import { mountCheckIn } from './check-in';
import { mountConfirm } from './confirm';
import { mountCreate } from './create';
import { mountList } from './list';
import { mountReviews } from './reviews';
import { mountSummary } from './summary';

export { type AdminBookingCounts, bookingCountsForAdmin, bookingCountsOf, bookingCountsStmt } from './counts';

/**
 * Bookings of workspace spaces (/api/workspace/bookings/..., /api/workspace/spaces/{id}/availability/,
 * /api/workspace/workspaces/{id}/bookings/...): any signed-in user books a public space; holds,
 * guests with check-in codes, check-in and check-out, cancellations with refunds, reviews,
 * calendar files and the staff's lists and summary. The cron's work is in reminders.ts. An area of
 * its own: src/app.ts sends these paths here and builds it on the first request to one of them.
 */
export function bookingsModule() {
  const app = workspaceRouter();
  mountCreate(app);
  mountCheckIn(app);
  mountList(app);
  mountConfirm(app);
  mountCancel(app);
  mountReviews(app);
  mountCalendar(app);
  mountAvailability(app);
  mountSummary(app);
  return app;
}
