import { createRouter } from '../../../core/router';
import { mountPublicSpaces } from './spaces';

/** Public discovery of coworking spaces (/api/workspace/public/...): no token needed. */
export function publicRoutes() {
  const app = createRouter();
  mountPublicSpaces(app);
  return app;
}
