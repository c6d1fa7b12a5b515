import { createRouter } from '../../core/router';
import { adminRoutes } from './admin';
import { branchRoutes } from './branches';
import { bookingRoutes } from './bookings';
import { memberRoutes } from './members';
import { publicRoutes } from './public';
import { spaceRoutes } from './spaces';
import { workspaceRoutes } from './workspaces';

export { loadSpaceForBooking } from './common';

/**
 * The workspace module (seed 002): /api/workspace/ workspaces, branches, spaces, members and the
 * admin onboarding routes, in the `{success, message, ...}` envelope.
 */
export function workspaceModule() {
  const app = createRouter();
  app.route('/', adminRoutes());
  app.route('/', workspaceRoutes());
  app.route('/', branchRoutes());
  app.route('/', spaceRoutes());
  app.route('/', memberRoutes());
  app.route('/', bookingRoutes());
  app.route('/', publicRoutes());
  return app;
}
