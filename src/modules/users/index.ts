import { createRouter } from '../../core/router';
import { tamitiAuthRoutes } from './tamiti-auth';
import { userAccessRoutes } from './user-access';
import { workspaceAuthRoutes } from './workspace-auth';

/**
 * Identity for both families: /api/users/ and /api/auth/ (Tamiti), /api/user/ (workspaces), and
 * the Admin's PATCH /api/users/{id}/access/.
 */
export function usersModule() {
  const app = createRouter();
  app.route('/', tamitiAuthRoutes('users'));
  app.route('/', tamitiAuthRoutes('auth'));
  app.route('/', workspaceAuthRoutes());
  app.route('/', userAccessRoutes());
  return app;
}
