import { createRouter } from '../../core/router';

/** The content module's routes. */
export function contentModule() {
  const app = createRouter();
  return app;
}
