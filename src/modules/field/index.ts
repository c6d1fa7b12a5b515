import { createRouter } from '../../core/router';

/** The field module's routes. */
export function fieldModule() {
  const app = createRouter();
  return app;
}
