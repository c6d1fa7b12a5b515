import { createRouter } from '../../core/router';

/** The workspace module's routes. */
export function workspaceModule() {
  const app = createRouter();
  return app;
}
