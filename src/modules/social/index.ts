import type { AreaSpec } from '../../core/router';

/**
 * The social module's areas, one per resource (posts, their comments and metrics, platform
 * profiles): a first request builds only the resource it asks for (src/app.ts). The order is the
 * OpenAPI document's.
 */
export const socialAreas: AreaSpec[] = [
  {
    prefixes: ['/api/social/posts/'],
    load: () => import('./posts').then((m) => [m.postResource]),
    reads: { paths: ['/api/social/posts/'], load: () => import('./posts').then((m) => [m.postList]) },
  },
  { prefixes: ['/api/social/comments/'], load: () => import('./comments').then((m) => [m.commentResource]) },
  { prefixes: ['/api/social/metrics/'], load: () => import('./metrics').then((m) => [m.metricResource]) },
  { prefixes: ['/api/social/platforms/'], load: () => import('./platforms').then((m) => [m.platformResource]) },
];
