import { publicFileUrls } from '../../core/files';
import { createRouter } from '../../core/router';

/**
 * The router of one of the workspace family's areas (the core in ./index.ts, bookings, public
 * discovery; src/app.ts builds each on the first request to its paths). Logos and space photos are
 * public: a stored key is shown as its long-lived URL wherever it appears.
 */
export function workspaceRouter() {
  const app = createRouter();
  app.use('/api/workspace/*', publicFileUrls(['logo_url', 'main_photo_url']));
  return app;
}
