import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { categoryResource } from './categories';
import { mediaResource } from './media';

/** The content module's routes: media categories and media assets. */
export function contentModule() {
  const app = createRouter();
  mountResource(app, categoryResource);
  mountResource(app, mediaResource);
  return app;
}
