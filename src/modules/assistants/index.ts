import { createRouter } from '../../core/router';

/** The assistants module's routes. */
export function assistantsModule() {
  const app = createRouter();
  return app;
}
