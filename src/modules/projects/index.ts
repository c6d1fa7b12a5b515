import type { AreaSpec } from '../../core/router';

/**
 * The projects module's areas: milestones, a project's comments, its members, and the projects
 * themselves (`/api/projects/milestones/` and the nested paths are longer prefixes than
 * `/api/projects/`, so they answer first). A first request builds only the area it asks for
 * (src/app.ts). The order is the OpenAPI document's.
 */
export const projectsAreas: AreaSpec[] = [
  { prefixes: ['/api/projects/milestones/'], load: () => import('./milestones').then((m) => [m.milestoneResource]) },
  { prefixes: ['/api/projects/:project_id/comments/'], load: () => import('./comments').then((m) => [m.mountComments]) },
  { prefixes: ['/api/projects/:project_id/members/'], load: () => import('./members').then((m) => [m.mountMembers]) },
  {
    prefixes: ['/api/projects/'],
    load: () =>
      Promise.all([import('./list'), import('./projects')]).then(([l, m]) => [l.projectListResource, m.projectResource]),
    // A first list builds neither the detail's schemas (tasks, members...) nor the other routes.
    reads: { paths: ['/api/projects/'], load: () => import('./list').then((m) => [m.projectListResource]) },
  },
];
