/**
 * Builds the Worker's root app: HTTP plumbing shared by every request (security headers, CORS,
 * body limit), the index, the docs, and one lazily built app per product area.
 *
 * Start-up cost matters at the edge (Cloudflare gives a Worker 1 s of CPU to start): a module's
 * routes and zod schemas are built the first time a request reaches its prefix, and the OpenAPI
 * document the first time it is asked for, so start-up evaluates only this file's small graph.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { genericError } from './core/errors';
import { pathPattern, type RouterChoice } from './core/router';
import type { AppEnv, Bindings } from './env';
import { edgePlumbing } from './middleware/request';
import { mountDocs } from './openapi/docs';

type ModuleLoader = () => Promise<OpenAPIHono<AppEnv>>;

/**
 * The product areas, by the path prefixes they serve (a prefix may hold `:param` segments; the
 * order here is the OpenAPI document's). Each `import()` is bundled into the Worker
 * but evaluated only when first called (esbuild wraps dynamically imported modules lazily). `trie`
 * marks the route tables Hono's RegExpRouter rejects (see `RouterChoice` in core/router.ts).
 */
const MODULES: [prefixes: string[], load: ModuleLoader][] = [
  [
    ['/api/users/', '/api/auth/'],
    () =>
      area(
        import('./modules/users').then((m) => [m.usersModule()]),
        'trie',
      ),
  ],
  [['/api/user/'], () => area(import('./modules/user').then((m) => [m.userModule()]))],
  [['/api/accounts/'], () => area(import('./modules/accounts').then((m) => [m.accountsModule()]))],
  [
    ['/api/field/'],
    () =>
      area(
        import('./modules/field').then((m) => [m.fieldModule()]),
        'trie',
      ),
  ],
  [
    ['/api/finance/'],
    () =>
      area(
        import('./modules/finance').then((m) => [m.financeModule()]),
        'trie',
      ),
  ],
  [
    ['/api/projects/'],
    () =>
      area(
        import('./modules/projects').then((m) => [m.projectsModule()]),
        'trie',
      ),
  ],
  [['/api/tasks/'], () => area(import('./modules/tasks').then((m) => [m.tasksModule()]))],
  [
    ['/api/chat/'],
    () =>
      area(
        import('./modules/chat').then((m) => [m.chatModule()]),
        'trie',
      ),
  ],
  [
    ['/api/assistants/'],
    () =>
      area(
        import('./modules/assistants').then((m) => [m.assistantsModule()]),
        'trie',
      ),
  ],
  [
    ['/api/notifications/'],
    () =>
      area(
        import('./modules/notifications').then((m) => [m.notificationsModule()]),
        'trie',
      ),
  ],
  [['/api/dashboard/'], () => area(import('./modules/dashboard').then((m) => [m.dashboardModule()]))],
  [['/api/content/'], () => area(import('./modules/content').then((m) => [m.contentModule()]))],
  [['/api/social/'], () => area(import('./modules/social').then((m) => [m.socialModule()]))],
  [
    ['/api/workspace/'],
    () =>
      area(
        import('./modules/workspace').then((m) => [m.workspaceModule()]),
        'trie',
      ),
  ],
  // The workspace family's bookings and public discovery: areas of their own inside /api/workspace/
  // (half of the family's code), so the core's first request does not build them.
  [
    [
      '/api/workspace/bookings/',
      '/api/workspace/workspaces/:workspace_id/bookings/',
      '/api/workspace/spaces/:space_id/availability/',
    ],
    () =>
      area(
        import('./modules/workspace/bookings').then((m) => [m.bookingsModule()]),
        'trie',
      ),
  ],
  [['/api/workspace/public/'], () => area(import('./modules/workspace/public').then((m) => [m.publicModule()]))],
  [['/api/files/'], () => area(import('./modules/files').then((m) => [m.filesModule()]))],
  [['/api/dev/'], () => area(import('./modules/dev/mailbox').then((m) => [m.devRoutes()]))],
];

/** A product area's app from its routers. */
async function area(routers: Promise<OpenAPIHono<AppEnv>[]>, router?: RouterChoice) {
  const [list, { moduleApp }] = await Promise.all([routers, import('./core/router')]);
  return moduleApp((app) => {
    for (const r of list) app.route('/', r);
  }, router);
}

/** Builds a module's app once per isolate, on first use (a failed build is retried next time). */
function lazy(load: ModuleLoader): ModuleLoader {
  let app: Promise<OpenAPIHono<AppEnv>> | undefined;
  return () => {
    app ??= load().catch((err) => {
      app = undefined;
      throw err;
    });
    return app;
  };
}

const loaders = MODULES.map(([prefixes, load]) => [prefixes, lazy(load)] as const);

/** Every module's app (for the OpenAPI document). */
export const loadAllModules = () => Promise.all(loaders.map(([, load]) => load()));

/**
 * Each area by prefix, longest prefix first: an area inside another's prefix (the workspace family's
 * bookings) answers its paths before the enclosing area would (the first prefix to match answers).
 */
const byPrefix = loaders
  .flatMap(([prefixes, load]) => prefixes.map((prefix) => [prefix, load] as const))
  .sort(([a], [b]) => b.length - a.length);

/** A prefix as a pattern, as the root app's `${prefix}*` routes match: the prefix with or without its slash, then anything. */
const prefixPattern = (prefix: string) => new RegExp(`^${pathPattern(prefix.replace(/\/$/, ''))}(?:/|$)`);

/**
 * The Worker's HTTP handler. A request under an area's prefix goes straight to the area's app,
 * which runs the edge plumbing itself (one Hono context per request, not a root's and then an
 * area's); anything else (the index, the docs, unknown paths) goes to the root app. An area that
 * fails to build is left to the root app, whose dispatcher builds it again or renders the failure.
 */
export function buildApp() {
  const root = rootApp();
  const areas = byPrefix.map(([prefix, load]) => [prefixPattern(prefix), load] as const);
  return {
    root,
    async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
      const path = getPath(request);
      for (const [pattern, load] of areas) {
        if (!pattern.test(path)) continue;
        const area = await load().catch(() => undefined);
        if (area) return area.fetch(request, env, ctx);
        break;
      }
      return root.fetch(request, env, ctx);
    },
  };
}

/** The root app: the index, the docs, unknown paths, and each area by prefix (see `buildApp`). */
function rootApp() {
  const app = new Hono<AppEnv>({ strict: true });
  const plumbing = edgePlumbing();
  app.use('*', ...plumbing.headers);
  app.use('/api/*', ...plumbing.body);

  for (const [prefix, load] of byPrefix) {
    app.all(`${prefix}*`, async function dispatchToModule(c) {
      const mod = await load();
      return mod.fetch(c.req.raw, c.env, c.executionCtx);
    });
  }
  mountDocs(app, loadAllModules);

  app.get('/api/', (c) =>
    c.json({ name: 'Tamiti Studio & Workspaces API', schema: '/api/schema/', docs: '/api/docs/', redoc: '/api/redoc/' }),
  );

  app.notFound((c) => {
    const err = genericError(c.req.path, 404, 'Not found.');
    return c.json(err.body, 404);
  });
  // The root app's own errors are rare (413, docs): its handler is loaded when first needed.
  app.onError(async (err, c) => (await import('./core/handle-error')).handleError(err, c));
  return app;
}
