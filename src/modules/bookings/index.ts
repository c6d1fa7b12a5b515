import { createRouter } from '../../core/router';

/** Bookings of workspace spaces (/api/workspace/bookings/...). */
export function bookingsModule() {
  const app = createRouter();
  return app;
}
