import { createRouter } from '../../core/router';
import { tamitiAuthRoutes } from './tamiti-auth';
import { userAccessRoutes } from './user-access';

/**
 * Tamiti identity: /api/users/ and /api/auth/, and the Admin's PATCH /api/users/{id}/access/
 * (the workspace family's /api/user/ lives in modules/user/).
 */
export function usersModule() {
  const app = createRouter();
  app.route('/', tamitiAuthRoutes('users'));
  app.route('/', tamitiAuthRoutes('auth'));
  app.route('/', userAccessRoutes());
  return app;
}
