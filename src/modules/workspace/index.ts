import { mountAdmin } from './admin';
import { workspaceRouter } from './area';
import { mountBranches } from './branches';
import { mountMembers } from './members';
import { mountSpaces } from './spaces';
import { mountWorkspaces } from './workspaces';

/**
 * The workspace module's core (seed 002): /api/workspace/ workspaces, branches, spaces, members and
 * the admin onboarding routes, in the `{success, message, ...}` envelope, declared with the route kit.
 * Bookings (./bookings) and public discovery (./public) are areas of their own, built on the first
 * request to their paths (src/app.ts), so a first request here does not build them.
 */
export function workspaceModule() {
  const app = workspaceRouter();
  mountAdmin(app);
  mountWorkspaces(app);
  mountBranches(app);
  mountSpaces(app);
  mountMembers(app);
  return app;
}
