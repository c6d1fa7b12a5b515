import type { AreaSpec } from '../../core/router';

/**
 * The content module's areas, one per resource (media categories, media assets): a first request
 * builds only the resource it asks for (src/app.ts). The order is the OpenAPI document's.
 */
export const contentAreas: AreaSpec[] = [
  { prefixes: ['/api/content/categories/'], load: () => import('./categories').then((m) => [m.categoryResource]) },
  { prefixes: ['/api/content/media/'], load: () => import('./media').then((m) => [m.mediaResource]) },
];
