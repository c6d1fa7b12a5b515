import { publicFileUrls } from '../../core/files';
import { createRouter } from '../../core/router';
import { mountAdmin } from './admin';
import { mountBranches } from './branches';
import { bookingRoutes } from './bookings';
import { mountMembers } from './members';
import { publicRoutes } from './public';
import { mountSpaces } from './spaces';
import { mountWorkspaces } from './workspaces';

export { loadSpaceForBooking } from './common';

/**
 * The workspace module (seed 002): /api/workspace/ workspaces, branches, spaces, members and the
 * admin onboarding routes, in the `{success, message, ...}` envelope, declared with the route kit.
 */
export function workspaceModule() {
  const app = createRouter();
  // Logos and space photos are public: a stored key is shown as its long-lived URL wherever it appears.
  app.use('/api/workspace/*', publicFileUrls(['logo_url', 'main_photo_url']));
  mountAdmin(app);
  mountWorkspaces(app);
  mountBranches(app);
  mountSpaces(app);
  mountMembers(app);
  app.route('/', bookingRoutes());
  app.route('/', publicRoutes());
  return app;
}
