import { createRouter } from '../../core/router';

/** The projects module's routes. */
export function projectsModule() {
  const app = createRouter();
  return app;
}
