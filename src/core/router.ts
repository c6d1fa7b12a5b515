/**
 * Routers. `moduleApp()` builds the app of one product area: the per-request plumbing (the edge's
 * headers and body limits, the scope with the D1 session, events published after success), the
 * family's error path, and 404/405 answers for paths under the module. `createRouter()` is a plain
 * router a module splits its routes into. The Worker builds each module's app the first time a
 * request reaches its prefix, and sends the prefix's requests to it directly (app.ts).
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../env';
import type { ResourceDef } from './resource';
import { edgePlumbing, requestContext } from '../middleware/request';
import { genericError } from './errors';
import { flushEvents } from './events';
import { handleError } from './handle-error';
import { json as jsonResponse, validationHook } from './route';

export { Detail, FieldErrorsSchema, bearer, drfErrors, jsonBody } from './route';
export { jsonResponse };

/** DRF-family validation: 400 with field errors; a malformed path id is a 404. */
export const drfHook = validationHook('drf');

/** Workspace-family validation: `{success:false, message, errors|error}` with the route's own message. */
// biome-ignore lint/suspicious/noExplicitAny: zod-openapi's hook type is generic over each route's input; legacy routes pass it positionally
export function envelopeHook(message: string, key: 'errors' | 'error' = 'errors'): any {
  return validationHook('envelope', { message: '', failure: message, errorKey: key });
}

/** A router a module splits its routes into (mounted on the module's app with `app.route('/', r)`). */
export function createRouter() {
  // biome-ignore lint/suspicious/noExplicitAny: zod-openapi's hook type is generic over each route's input
  return new OpenAPIHono<AppEnv>({ defaultHook: drfHook as any, strict: true });
}

/**
 * Which router matches a module app's routes. `smart` (Hono's default SmartRouter) tries the
 * RegExpRouter first and falls back to the TrieRouter when the table has a fixed segment where
 * another route has a parameter (`/leads/hot/` beside `/leads/:id/`). The fallback costs the first
 * request the whole RegExpRouter build, thrown away (up to 5 ms for the workspace table, warm,
 * in Node): `trie` goes straight to the TrieRouter for the tables known to need it
 * (test/platform/router-choice.test.ts checks the choice against the tables).
 */
export type RouterChoice = 'smart' | 'trie';

/** What an area's app mounts: a resource (`mountResource`), a mount function, or a router of its own. */
export type Mountable = ResourceDef | ((app: OpenAPIHono<AppEnv>) => void) | OpenAPIHono<AppEnv>;

/**
 * An area of the API: the path prefixes it serves (a prefix may hold `:param` segments) and how its
 * routes are loaded. The Worker builds an area's app on the first request to one of its prefixes
 * (src/app.ts), so a module split into one area per resource builds, on a first request, only the
 * resource asked for: its code, its contract schemas and its routes. `load` must import what it
 * mounts dynamically (`import('./invoices')`), since the tables of areas are evaluated at start-up.
 */
export interface AreaSpec {
  prefixes: string[];
  load: () => Promise<Mountable[]>;
  router?: RouterChoice;
  /**
   * A lighter app for the area's most frequent reads: GET and HEAD requests to exactly these paths
   * (`:param` matches one segment) go to an app built from `reads.load` alone, so a first list does
   * not build the area's other routes and the schemas only they use. Every other request to the
   * area, and the OpenAPI document, use the whole area (`load`), which must mount the same routes for
   * those paths.
   */
  reads?: { paths: string[]; load: () => Promise<Mountable[]>; router?: RouterChoice };
}

/** A route path as a regular expression's source: `:param` segments match one segment. */
const pathPattern = (path: string) => path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '[^/]+');

/** Route patterns of an app, to answer 405 (not 404) when only the method is wrong. */
function methodTable(app: OpenAPIHono<AppEnv>) {
  return app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method, re: new RegExp(`^${pathPattern(r.path)}$`) }));
}

/** The 404/405 answer for a path no route of the app matched. */
export function notFoundHandler(app: OpenAPIHono<AppEnv>) {
  let table: ReturnType<typeof methodTable> | undefined;
  return (c: Context<AppEnv>) => {
    table ??= methodTable(app);
    const path = c.req.path;
    // Django's APPEND_SLASH: a path that matches once a slash is appended redirects there. 301 for
    // GET/HEAD as the original; 308 for other methods, which keeps the body (a 301 loses it).
    if (!path.endsWith('/') && table.some((r) => r.re.test(`${path}/`))) {
      const url = new URL(c.req.url);
      url.pathname = `${path}/`;
      const status = c.req.method === 'GET' || c.req.method === 'HEAD' ? 301 : 308;
      return c.body(null, status, { Location: url.toString() });
    }
    const methods = [...new Set(table.filter((r) => r.re.test(path)).map((r) => r.method))];
    if (methods.length && !methods.includes(c.req.method)) {
      const message = `Method "${c.req.method}" not allowed.`;
      // DRF's `detail` in both families (the workspace envelope adds it beside `message`).
      const err = genericError(path, 405, message, { detail: message });
      return c.json(err.body, 405, { Allow: [...methods, 'OPTIONS'].join(', ') });
    }
    const err = genericError(path, 404, 'Not found.');
    return c.json(err.body, 404);
  };
}

/**
 * The app of one product area. `build` mounts its routes; the app runs each request in a scope,
 * publishes the request's events once the response succeeded, and renders errors in the family's
 * shape.
 */
export function moduleApp(build: (app: OpenAPIHono<AppEnv>) => void, router: RouterChoice = 'smart'): OpenAPIHono<AppEnv> {
  const app =
    router === 'trie'
      ? // biome-ignore lint/suspicious/noExplicitAny: zod-openapi's hook type is generic over each route's input
        new OpenAPIHono<AppEnv>({ defaultHook: drfHook as any, strict: true, router: new TrieRouter() })
      : createRouter();
  // The edge plumbing first (src/app.ts sends the area's requests straight here), then the scope.
  const plumbing = edgePlumbing();
  app.use('*', ...plumbing.headers, ...plumbing.body, requestContext());
  // Events are published once the handler succeeded (no notification for a failed write).
  app.use('*', async function publishEvents(c, next) {
    await next();
    const events = c.get('scope').events;
    if (events.length && c.res.status < 400) await flushEvents(c.env, events, c.get('requestId'));
  });
  build(app);
  app.notFound(notFoundHandler(app));
  app.onError(handleError);
  return app;
}

/** The id path parameter of a Tamiti detail route (integer ids; a malformed one is a 404). */
export const idParam = (model: string) =>
  z.object({
    id: z.string().openapi({
      param: { name: 'id', in: 'path' },
      type: 'integer',
      description: `A unique integer value identifying this ${model.toLowerCase()}.`,
    }),
  });
