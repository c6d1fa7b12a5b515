import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AreaSpec } from '../../core/router';
import type { AppEnv } from '../../env';

type Mount = (app: OpenAPIHono<AppEnv>) => void;

/** An area of the core: its routes on a workspace router (./area.ts: stored logos and photos as URLs). */
const core = (prefixes: string[], load: () => Promise<Mount>, router?: AreaSpec['router']): AreaSpec => ({
  prefixes,
  router,
  load: () =>
    Promise.all([import('./area'), load()]).then(([{ workspaceRouter }, mountAll]) => {
      const app = workspaceRouter();
      mountAll(app);
      return [app];
    }),
});

/**
 * The workspace module's core (seed 002) at /api/workspace/: the admin onboarding routes,
 * workspaces, branches, spaces and members, in the `{success, message, ...}` envelope, declared with
 * the route kit. One area per resource, each built on the first request to its paths (src/app.ts);
 * a resource's routes nested in another's path (a workspace's branches and members, a branch's
 * spaces) belong to the nested resource's area, whose prefix is the longer. Bookings (./bookings)
 * and public discovery (./public) are areas of their own (src/app.ts). The order is the OpenAPI
 * document's.
 */
export const workspaceAreas: AreaSpec[] = [
  core(['/api/workspace/admin/'], () => import('./admin').then((m) => m.mountAdmin)),
  core(['/api/workspace/workspaces/'], () => import('./workspaces').then((m) => m.mountWorkspaces)),
  core(['/api/workspace/branches/', '/api/workspace/workspaces/:workspace_id/branches/'], () =>
    import('./branches').then((m) => m.mountBranches),
  ),
  core(
    ['/api/workspace/spaces/', '/api/workspace/branches/:branch_id/spaces/'],
    () => import('./spaces').then((m) => m.mountSpaces),
    'trie',
  ),
  core(['/api/workspace/workspaces/:workspace_id/members/'], () => import('./members').then((m) => m.mountMembers)),
];
