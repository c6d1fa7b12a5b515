import { createRouter } from '../../core/router';
import { tamitiAuthRoutes } from './tamiti-auth';
import { workspaceAuthRoutes } from './workspace-auth';

/** Identity for both families: /api/users/ and /api/auth/ (Tamiti) and /api/user/ (workspaces). */
export function usersModule() {
  const app = createRouter();
  app.route('/', tamitiAuthRoutes('users'));
  app.route('/', tamitiAuthRoutes('auth'));
  app.route('/', workspaceAuthRoutes());
  return app;
}
