import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AreaSpec } from '../../core/router';
import type { AppEnv } from '../../env';

type Mount = (app: OpenAPIHono<AppEnv>) => void;

/** Routes mounted on a workspace router (./area.ts: stored logos and photos as URLs). */
const onWorkspaceRouter = (load: () => Promise<Mount>) => () =>
  Promise.all([import('./area'), load()]).then(([{ workspaceRouter }, mountAll]) => {
    const app = workspaceRouter();
    mountAll(app);
    return [app];
  });

/** An area of the core, and optionally its read app (`AreaSpec.reads`: the list's GETs). */
const core = (
  prefixes: string[],
  load: () => Promise<Mount>,
  { router, reads }: { router?: AreaSpec['router']; reads?: { paths: string[]; load: () => Promise<Mount> } } = {},
): AreaSpec => ({
  prefixes,
  router,
  load: onWorkspaceRouter(load),
  ...(reads ? { reads: { paths: reads.paths, load: onWorkspaceRouter(reads.load) } } : {}),
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
  core(['/api/workspace/workspaces/'], () => import('./workspaces').then((m) => m.mountWorkspaces), {
    // A first list builds neither the writes' bodies nor their helpers.
    reads: { paths: ['/api/workspace/workspaces/'], load: () => import('./workspace-list').then((m) => m.mountWorkspaceList) },
  }),
  core(['/api/workspace/branches/', '/api/workspace/workspaces/:workspace_id/branches/'], () =>
    import('./branches').then((m) => m.mountBranches),
  ),
  core(
    ['/api/workspace/spaces/', '/api/workspace/branches/:branch_id/spaces/'],
    () => import('./spaces').then((m) => m.mountSpaces),
    { router: 'trie' },
  ),
  core(['/api/workspace/workspaces/:workspace_id/members/'], () => import('./members').then((m) => m.mountMembers)),
];
