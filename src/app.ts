/**
 * Builds the application: per-request plumbing, every module's routes, the OpenAPI document and
 * docs, and the single error path (each family's shape; unknown errors are a generic 500 with the
 * request id, logged with it).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, familyOf, genericError } from './core/errors';
import { flushEvents } from './core/events';
import { drfHook } from './core/router';
import { type AppEnv, ConfigError } from './env';
import { cors, requestContext, securityHeaders } from './middleware/request';
import { modules } from './modules';
import { mountDocs } from './openapi/docs';

const MAX_BODY_BYTES = 1024 * 1024;
/** Body types a route can read (form and multipart are turned into JSON in index.ts). */
const READABLE_BODY =
  /^(application\/json|application\/[\w.+-]+\+json|application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

function render(c: Context<AppEnv>, err: ApiError) {
  return c.json(err.body, err.status, err.headers);
}

/** Route patterns per path, to answer 405 (not 404) when only the method is wrong. */
let routeTable: { re: RegExp; method: string }[] | undefined;
function allowedMethods(app: OpenAPIHono<AppEnv>, path: string): string[] {
  routeTable ??= app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({
      method: r.method,
      re: new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '[^/]+')}$`),
    }));
  return [...new Set(routeTable.filter((r) => r.re.test(path)).map((r) => r.method))];
}

export function buildApp() {
  const app = new OpenAPIHono<AppEnv>({ strict: true, defaultHook: drfHook });

  app.use('*', requestContext(), securityHeaders(), cors());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => {
        throw genericError(c.req.path, 413, 'Request body too large (limit 1 MB).');
      },
    }),
  );
  // A body of a type no route reads is a 415, as DRF answers (before validation would call it empty).
  app.use('/api/*', async function unsupportedMediaType(c, next) {
    const type = c.req.header('content-type')?.trim();
    if (
      ['POST', 'PUT', 'PATCH'].includes(c.req.method) &&
      type &&
      c.req.header('content-length') !== '0' &&
      !READABLE_BODY.test(type)
    )
      throw genericError(c.req.path, 415, `Unsupported media type "${type.slice(0, 200)}" in request.`);
    await next();
  });
  // Events are published once the handler succeeded (no notification for a failed write).
  app.use('/api/*', async function publishEvents(c, next) {
    await next();
    const events = c.get('events');
    if (events.length && c.res.status < 400) await flushEvents(c.env, events, c.get('requestId'));
  });

  for (const mod of modules) app.route('/', mod);
  mountDocs(app);

  app.get('/api/', (c) =>
    c.json({ name: 'Tamiti Studio & Workspaces API', schema: '/api/schema/', docs: '/api/docs/', redoc: '/api/redoc/' }),
  );

  app.notFound((c) => {
    const methods = allowedMethods(app, c.req.path);
    if (methods.length && !methods.includes(c.req.method)) {
      const message = `Method "${c.req.method}" not allowed.`;
      // DRF's `detail` in both families (the workspace envelope adds it beside `message`).
      const err = genericError(c.req.path, 405, message, { detail: message });
      return c.json(err.body, 405, { Allow: [...methods, 'OPTIONS'].join(', ') });
    }
    const err = genericError(c.req.path, 404, 'Not found.');
    return c.json(err.body, 404);
  });

  app.onError((err, c) => {
    if (err instanceof ApiError) return render(c, err);
    if (err instanceof ConfigError) {
      // A deployment without a required setting fails loudly: one log line and a 503 naming it.
      const requestId = c.get('requestId') ?? 'unknown';
      console.error(
        JSON.stringify({ level: 'error', requestId, msg: 'misconfigured', setting: err.setting, error: err.message }),
      );
      return render(c, genericError(c.req.path, 503, `Service misconfigured: ${err.message}.`, { request_id: requestId }));
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      const message =
        status === 400 && /json/i.test(err.message)
          ? familyOf(c.req.path) === 'tamiti'
            ? 'JSON parse error - malformed request body.'
            : 'Malformed JSON in request body'
          : err.message || 'Bad request.';
      return render(c, genericError(c.req.path, status, message));
    }
    const requestId = c.get('requestId') ?? 'unknown';
    console.error(
      JSON.stringify({
        level: 'error',
        requestId,
        method: c.req.method,
        path: c.req.path,
        error: String(err),
        stack: (err as Error)?.stack,
      }),
    );
    return render(
      c,
      genericError(
        c.req.path,
        500,
        familyOf(c.req.path) === 'tamiti' ? 'A server error occurred.' : 'An unexpected error occurred',
        {
          request_id: requestId,
        },
      ),
    );
  });

  return app;
}
