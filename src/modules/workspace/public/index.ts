import { workspaceRouter } from '../area';
import { mountPublicSpaces } from './spaces';

/** Public discovery of coworking spaces (/api/workspace/public/...): no token needed. An area of its own (src/app.ts). */
export function publicModule() {
  const app = workspaceRouter();
  mountPublicSpaces(app);
  return app;
}
