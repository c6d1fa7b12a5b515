import { createRouter } from '../../core/router';
import { availabilityRoutes } from './availability';
import { bookingRoutes } from './bookings';

export { bookingCountsForAdmin, type AdminBookingCounts } from './counts';

/** Bookings of workspace spaces (/api/workspace/bookings/..., /api/workspace/spaces/{id}/availability/). */
export function bookingsModule() {
  const app = createRouter();
  app.route('/', bookingRoutes());
  app.route('/', availabilityRoutes());
  return app;
}
