import { createRouter } from '../../core/router';

/** The notifications module's routes. */
export function notificationsModule() {
  const app = createRouter();
  return app;
}
