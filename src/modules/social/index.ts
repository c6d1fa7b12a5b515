import { createRouter } from '../../core/router';

/** The social module's routes. */
export function socialModule() {
  const app = createRouter();
  return app;
}
