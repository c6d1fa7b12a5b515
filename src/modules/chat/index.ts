import { createRouter } from '../../core/router';

/** The chat module's routes. */
export function chatModule() {
  const app = createRouter();
  return app;
}
