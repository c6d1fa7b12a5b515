import { createRouter } from '../../core/router';

/** The finance module's routes. */
export function financeModule() {
  const app = createRouter();
  return app;
}
