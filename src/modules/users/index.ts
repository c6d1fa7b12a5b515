import { createRouter } from '../../core/router';
import { mountTamitiAuth } from './tamiti-auth';
import { mountUserAccess } from './user-access';

/**
 * Tamiti identity: /api/users/ and /api/auth/, and the Admin's PATCH /api/users/{id}/access/
 * (the workspace family's /api/user/ lives in modules/user/).
 */
export function usersModule() {
  const app = createRouter();
  mountTamitiAuth(app);
  mountUserAccess(app);
  return app;
}
