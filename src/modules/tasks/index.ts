import { createRouter } from '../../core/router';

/** The tasks module's routes. */
export function tasksModule() {
  const app = createRouter();
  return app;
}
