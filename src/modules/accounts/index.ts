import { createRouter } from '../../core/router';

/** The accounts module's routes. */
export function accountsModule() {
  const app = createRouter();
  return app;
}
