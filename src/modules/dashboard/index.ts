import { createRouter } from '../../core/router';

/** The dashboard module's routes. */
export function dashboardModule() {
  const app = createRouter();
  return app;
}
