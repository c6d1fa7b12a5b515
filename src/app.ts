/**
 * Builds the Worker's root app: HTTP plumbing shared by every request (security headers, CORS,
 * body limit), the index, the docs, and one lazily built app per product area.
 *
 * Start-up cost matters at the edge (Cloudflare gives a Worker 1 s of CPU to start): a module's
 * routes and zod schemas are built the first time a request reaches its prefix, and the OpenAPI
 * document the first time it is asked for, so start-up evaluates only this file's small graph.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { genericError } from './core/errors';
import { bodyLimitOf, MAX_BODY_BYTES, MAX_MULTIPART_BYTES } from './core/files';
import type { RouterChoice } from './core/router';
import type { AppEnv } from './env';
import { cors, securityHeaders } from './middleware/request';
import { mountDocs } from './openapi/docs';

/** Body types a route can read (form and multipart are turned into JSON in index.ts). */
const READABLE_BODY =
  /^(application\/json|application\/[\w.+-]+\+json|application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

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

/** The body limit of a request: 25 MB for a multipart body to a route that stores files, else 1 MB. */
function limitBody(): MiddlewareHandler<AppEnv> {
  const jsonLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      throw genericError(c.req.path, 413, 'Request body too large (limit 1 MB).');
    },
  });
  // A multipart body still multipart here was too large to read (src/index.ts) or is malformed.
  const multipartLimit = bodyLimit({
    maxSize: MAX_MULTIPART_BYTES,
    onError: (c) => {
      throw genericError(c.req.path, 413, 'Request body too large (limit 25 MB).');
    },
  });
  return function limitBody(c, next) {
    const multipart = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '');
    return (multipart && bodyLimitOf(c.req.method, c.req.path) === MAX_MULTIPART_BYTES ? multipartLimit : jsonLimit)(c, next);
  };
}

/** A body of a type no route reads is a 415, as DRF answers (before validation would call it empty). */
const unsupportedMediaType: MiddlewareHandler<AppEnv> = async function unsupportedMediaType(c, next) {
  const type = c.req.header('content-type')?.trim();
  if (
    ['POST', 'PUT', 'PATCH'].includes(c.req.method) &&
    type &&
    c.req.header('content-length') !== '0' &&
    !READABLE_BODY.test(type)
  )
    throw genericError(c.req.path, 415, `Unsupported media type "${type.slice(0, 200)}" in request.`);
  await next();
};

export function buildApp() {
  const app = new Hono<AppEnv>({ strict: true });

  app.use('*', securityHeaders(), cors(), async function requestIdHeader(c, next) {
    await next();
    // Module apps set their own; the root's own answers (index, docs, unknown paths) get one here.
    if (!c.res.headers.has('X-Request-Id')) c.res.headers.set('X-Request-Id', c.req.header('cf-ray') ?? crypto.randomUUID());
  });
  app.use('/api/*', limitBody(), unsupportedMediaType);

  // Longest prefix first: an area inside another's prefix (the workspace family's bookings) answers
  // its paths before the enclosing area would (the first dispatcher to match answers).
  const dispatch = loaders.flatMap(([prefixes, load]) => prefixes.map((prefix) => [prefix, load] as const));
  dispatch.sort(([a], [b]) => b.length - a.length);
  for (const [prefix, load] of dispatch) {
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
