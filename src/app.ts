/**
 * Builds the Worker's HTTP handler: one lazily built app per area of the API (a module, or one of
 * its resources), and the root app (HTTP plumbing, the index, the docs, unknown paths).
 *
 * Start-up cost matters at the edge (Cloudflare gives a Worker 1 s of CPU to start): an area's
 * routes and zod schemas are built the first time a request reaches one of its prefixes, and the
 * OpenAPI document the first time it is asked for, so start-up evaluates only this file's small
 * graph and the modules' tables of areas. An area may name its most frequent reads (a list): their
 * GETs are served by a read app built from the list's module alone, so a first list does not build
 * the area's other routes and the schemas only they use (`AreaSpec.reads`).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import { genericError } from './core/errors';
import type { AreaSpec } from './core/router';
import { accountsAreas } from './modules/accounts';
import { assistantsAreas } from './modules/assistants';
import { chatAreas } from './modules/chat';
import { contentAreas } from './modules/content';
import { fieldAreas } from './modules/field';
import { financeAreas } from './modules/finance';
import { projectsAreas } from './modules/projects';
import { socialAreas } from './modules/social';
import { workspaceAreas } from './modules/workspace';
import type { AppEnv, Bindings } from './env';
import { edgePlumbing } from './middleware/request';
import { mountDocs } from './openapi/docs';

type AreaLoader = () => Promise<OpenAPIHono<AppEnv>>;

/**
 * The product areas, by the path prefixes they serve (the order here is the OpenAPI document's).
 * Each `import()` is bundled into the Worker but evaluated only when first called (esbuild wraps
 * dynamically imported modules lazily). The larger modules declare one area per resource in their
 * index (`accountsAreas`...), so a first request builds only the resource it asks for. `trie`
 * marks the route tables Hono's RegExpRouter rejects (see `RouterChoice` in core/router.ts).
 */
const AREAS: AreaSpec[] = [
  {
    prefixes: ['/api/users/', '/api/auth/'],
    load: () => import('./modules/users').then((m) => [m.usersModule()]),
    router: 'trie',
    // A first profile read builds neither the sign-up, sign-in and reset bodies nor the profile update's.
    reads: { paths: ['/api/users/me/', '/api/auth/me/'], load: () => import('./modules/users/me').then((m) => [m.mountMe]) },
  },
  { prefixes: ['/api/user/'], load: () => import('./modules/user').then((m) => [m.userModule()]) },
  ...accountsAreas,
  ...fieldAreas,
  ...financeAreas,
  ...projectsAreas,
  {
    prefixes: ['/api/tasks/'],
    load: () => import('./modules/tasks').then((m) => [m.tasksModule()]),
    // A first list builds neither the write bodies nor the toggle's schemas.
    reads: { paths: ['/api/tasks/'], load: () => import('./modules/tasks/list').then((m) => [m.mountTaskList]) },
  },
  ...chatAreas,
  ...assistantsAreas,
  {
    prefixes: ['/api/notifications/'],
    load: () => import('./modules/notifications').then((m) => [m.notificationsModule()]),
    router: 'trie',
    reads: {
      paths: ['/api/notifications/'],
      load: () => import('./modules/notifications/notifications').then((m) => [m.notificationResource]),
    },
  },
  { prefixes: ['/api/dashboard/'], load: () => import('./modules/dashboard').then((m) => [m.dashboardModule()]) },
  ...contentAreas,
  ...socialAreas,
  // The workspace family: its core by resource, then bookings and public discovery, whose prefixes
  // lie inside the core's resources (the longest prefix answers, see `byPrefix`).
  ...workspaceAreas,
  {
    prefixes: [
      '/api/workspace/bookings/',
      '/api/workspace/workspaces/:workspace_id/bookings/',
      '/api/workspace/spaces/:space_id/availability/',
    ],
    load: () => import('./modules/workspace/bookings').then((m) => [m.bookingsModule()]),
    router: 'trie',
  },
  {
    prefixes: ['/api/workspace/public/'],
    load: () => import('./modules/workspace/public').then((m) => [m.publicModule()]),
  },
  { prefixes: ['/api/files/'], load: () => import('./modules/files').then((m) => [m.filesModule()]) },
  { prefixes: ['/api/dev/'], load: () => import('./modules/dev/mailbox').then((m) => [m.devRoutes()]) },
];

/** An area's app: its parts mounted in order on a module app (core/router.ts). */
async function area({ load, router }: AreaSpec) {
  const [parts, { moduleApp }, { mountResource }] = await Promise.all([
    load(),
    import('./core/router'),
    import('./core/resource'),
  ]);
  return moduleApp((app) => {
    for (const part of parts) {
      if (typeof part === 'function') part(app);
      else if ('fetch' in part) app.route('/', part);
      else mountResource(app, part);
    }
  }, router);
}

/** Builds an area's app once per isolate, on first use (a failed build is retried next time). */
function lazy(spec: AreaSpec): AreaLoader {
  let app: Promise<OpenAPIHono<AppEnv>> | undefined;
  return () => {
    app ??= area(spec).catch((err) => {
      app = undefined;
      throw err;
    });
    return app;
  };
}

const loaders = AREAS.map(lazy);

/** Every area's app, in the order of `AREAS` (for the OpenAPI document). */
export const loadAllAreas = () => Promise.all(loaders.map((load) => load()));

/**
 * Each area's prefixes as segments (`:param` matches any one segment), most segments first, and a
 * literal segment before a parameter at the same depth: an area inside another's prefix (the
 * workspace family's bookings, a project's comments) answers its paths before the enclosing area
 * would (the first prefix to match answers).
 */
const byPrefix = AREAS.flatMap(({ prefixes }, i) =>
  prefixes.map((prefix) => ({ segments: prefix.split('/').filter(Boolean), i })),
).sort((a, b) => b.segments.length - a.segments.length || params(a.segments) - params(b.segments));

function params(segments: string[]) {
  return segments.filter((s) => s.startsWith(':')).length;
}

/** Whether a path segment matches a pattern's: the same text, or any non-empty one for a `:param`. */
const segmentMatches = (pattern: string, part: string) => (pattern.startsWith(':') ? part !== '' : pattern === part);

/**
 * The index in `AREAS` (and `loadAllAreas()`) of the area serving a path, or -1. A path is under
 * a prefix when its segments begin with the prefix's: the prefix with or without its slash, then
 * anything, as Hono's `${prefix}*` matches. Compared segment by segment, without regular
 * expressions: V8 compiles an expression on its first use and again, to machine code, on its second,
 * and profiles of an isolate's first requests put 4-5 ms in the forty prefixes' expressions.
 */
export const areaIndex = (path: string) => areaOfParts(path.split('/'));

/** `areaIndex` of a path split on '/' (parts[0] is the empty string before the leading slash). */
function areaOfParts(parts: string[]) {
  next: for (const { segments, i } of byPrefix) {
    if (parts.length <= segments.length) continue;
    for (let k = 0; k < segments.length; k++) if (!segmentMatches(segments[k], parts[k + 1])) continue next;
    return i;
  }
  return -1;
}

/** The area serving a path, if any. */
const areaOf = (path: string): AreaLoader | undefined => loaders[areaIndex(path)];

/** Each area's read app (`AreaSpec.reads`), by its index in `AREAS`: built on first use, apart from the area's. */
const readers = AREAS.map(({ reads }) =>
  reads
    ? {
        load: lazy({ prefixes: reads.paths, load: reads.load, router: reads.router }),
        paths: reads.paths,
        patterns: reads.paths.map((p) => p.split('/')),
      }
    : undefined,
);

/** Every read app, with the index in `AREAS` (and `loadAllAreas()`) of its area. */
export const loadReadAreas = () =>
  Promise.all(readers.flatMap((r, i) => (r ? [r.load().then((app) => ({ app, area: i, paths: r.paths }))] : [])));

/** Whether a path's parts are exactly a pattern's, segment by segment. */
const isPath = (parts: string[], pattern: string[]) =>
  parts.length === pattern.length && pattern.every((segment, k) => segmentMatches(segment, parts[k]));

/** The app serving a request: its area's read app for a GET or HEAD of one of its paths, else the area. */
export function areaFor(path: string, method: string): AreaLoader | undefined {
  const parts = path.split('/');
  const i = areaOfParts(parts);
  const reader = readers[i];
  if (reader && (method === 'GET' || method === 'HEAD') && reader.patterns.some((pattern) => isPath(parts, pattern)))
    return reader.load;
  return loaders[i];
}

/**
 * The Worker's HTTP handler. A request under an area's prefix goes straight to the area's app,
 * which runs the edge plumbing itself (one Hono context per request, not a root's and then an
 * area's); anything else (the index, the docs, unknown paths) goes to the root app. An area that
 * fails to build is left to the root app, whose fallback builds it again or renders the failure.
 */
export function buildApp() {
  const root = rootApp();
  return {
    root,
    async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
      const area = await areaFor(getPath(request), request.method)?.().catch(() => undefined);
      return (area ?? root).fetch(request, env, ctx);
    },
  };
}

/** The root app: the index, the docs, unknown paths, and each area by prefix (see `buildApp`). */
function rootApp() {
  const app = new Hono<AppEnv>({ strict: true });
  const plumbing = edgePlumbing();
  app.use('*', ...plumbing.headers);
  app.use('/api/*', ...plumbing.body);

  mountDocs(app, loadAllAreas);
  app.get('/api/', (c) =>
    c.json({ name: 'Tamiti Studio & Workspaces API', schema: '/api/schema/', docs: '/api/docs/', redoc: '/api/redoc/' }),
  );
  // An area's paths reach the root app only when the area failed to build: built again here, or
  // the failure is rendered (500). One route after the others keeps the root table small.
  app.all('/api/*', async function dispatchToArea(c) {
    const load = areaOf(c.req.path);
    if (!load) return c.notFound();
    return (await load()).fetch(c.req.raw, c.env, c.executionCtx);
  });

  app.notFound((c) => {
    const err = genericError(c.req.path, 404, 'Not found.');
    return c.json(err.body, 404);
  });
  // The root app's own errors are rare (413, docs): its handler is loaded when first needed.
  app.onError(async (err, c) => (await import('./core/handle-error')).handleError(err, c));
  return app;
}
