import { createRouter } from '../../core/router';
import { mountAuth } from './auth';
import { mountGoogle } from './google';
import { mountPasswordReset } from './password-reset';

/**
 * The workspace family's identity (seed 002) at /api/user/: register, login, Google, profile,
 * token refresh and the password reset by code, in the `{success, message, ...}` envelope.
 */
export function userModule() {
  const app = createRouter();
  mountAuth(app);
  mountGoogle(app);
  mountPasswordReset(app);
  return app;
}
