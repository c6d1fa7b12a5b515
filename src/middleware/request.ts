/**
 * Per-request plumbing: a request id on every response, security headers, CORS for configured
 * browser origins (credentials allowed, for the refresh cookie), the body limit and readable body
 * types (`edgePlumbing`, run by the root app and by each area's app), and the request's db handle
 * (`requestContext`, each area's).
 */
import { drizzle } from 'drizzle-orm/d1';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { genericError } from '../core/errors';
import { bodyLimitOf, MAX_BODY_BYTES, MAX_MULTIPART_BYTES } from '../core/files';
import { logEvent } from '../core/log';
import type { Scope } from '../core/scope';
import { openConnection } from '../db/session';
import type { AppEnv } from '../env';

/**
 * The request scope (core/scope.ts): request id (Cloudflare's cf-ray when present), the D1
 * session (reads from the nearest replica unless the client sends the `x-d1-bookmark` of an
 * earlier response; writes at the primary), drizzle over it, and the event buffer. The response
 * carries the session's bookmark back, so a client that returns it reads its own writes.
 *
 * Each request then writes one JSON log line (core/log.ts): request id, method, route pattern (not
 * the URL: no query string, no ids), status, duration in ms, the caller's user id and D1 round trips.
 */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    const started = Date.now();
    const requestId = c.req.header('cf-ray') ?? crypto.randomUUID();
    const conn = openConnection(c.env.DB, c.req.method, c.req.header(BOOKMARK_HEADER));
    const db = drizzle(conn.d1);
    const scope: Scope = {
      db,
      conn,
      env: c.env,
      actor: undefined,
      requestId,
      url: c.req.url,
      events: [],
      waitUntil: (p) => c.executionCtx.waitUntil(p),
    };
    c.set('scope', scope);
    c.set('requestId', requestId);
    c.set('db', db);
    c.set('events', scope.events);
    await next();
    const bookmark = conn.bookmark();
    setResponseHeaders(c, bookmark ? { 'X-Request-Id': requestId, [BOOKMARK_HEADER]: bookmark } : { 'X-Request-Id': requestId });
    logEvent(c.env, 'request', {
      requestId,
      method: c.req.method,
      route:
        matchedRoutes(c)
          .filter((r) => r.method !== 'ALL')
          .pop()?.path ?? null,
      status: c.res.status,
      ms: Date.now() - started,
      userId: scope.actor?.id ?? null,
      d1Trips: conn.roundTrips,
    });
  };
}

/**
 * Sets headers on the finished response in place. Hono's `c.header()` after the handler copies the
 * whole response (body stream included) on every call, to cover a response whose headers are
 * immutable (one from `fetch()` or a Durable Object); only such a response is copied here.
 */
function setResponseHeaders(c: Context<AppEnv>, headers: Record<string, string>) {
  try {
    for (const name in headers) c.res.headers.set(name, headers[name]);
  } catch {
    for (const name in headers) c.header(name, headers[name]);
  }
}

/** The header that carries a D1 session bookmark both ways. */
export const BOOKMARK_HEADER = 'x-d1-bookmark';

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** Security headers; API responses also forbid caching of private data. */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return async function securityHeaders(c, next) {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
    if (!c.res.headers.has('Content-Security-Policy'))
      c.res.headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  };
}

/** CORS for the configured origins, with credentials (the refresh cookie). */
export function cors(): MiddlewareHandler<AppEnv> {
  // The configured list, parsed once per value of CORS_ORIGINS (it is the same on every request).
  let parsed: { from: string; allowed: string[] } | undefined;
  return async function cors(c, next) {
    const origin = c.req.header('origin');
    const from = c.env.CORS_ORIGINS ?? '';
    if (parsed?.from !== from)
      parsed = {
        from,
        allowed: from
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      };
    const { allowed } = parsed;
    const ok = !!origin && (allowed.includes(origin) || allowed.includes('*'));
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!ok) return c.body(null, 204);
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Credentials': 'true',
        'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
        'Access-Control-Allow-Headers':
          c.req.header('access-control-request-headers') ?? 'authorization, content-type, x-d1-bookmark',
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    await next();
    if (ok) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Allow-Credentials', 'true');
      c.res.headers.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After, x-d1-bookmark');
      if (!/(^|,)\s*origin\s*(,|$)/i.test(c.res.headers.get('Vary') ?? '')) c.res.headers.append('Vary', 'Origin');
    }
  };
}

/** Body types a route can read (form and multipart are turned into JSON in index.ts). */
const READABLE_BODY =
  /^(application\/json|application\/[\w.+-]+\+json|application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

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

/** A request id on every answer (an area's `requestContext` sets its own; this covers the rest). */
const requestIdHeader: MiddlewareHandler<AppEnv> = async function requestIdHeader(c, next) {
  await next();
  if (!c.res.headers.has('X-Request-Id')) c.res.headers.set('X-Request-Id', c.req.header('cf-ray') ?? crypto.randomUUID());
};

/**
 * What every answer under /api gets, whichever app gives it: security headers, CORS, a request id,
 * the body limit and the readable body types. The root app runs it for its own paths (the index,
 * the docs, unknown paths) and each area's app for the area's (src/app.ts sends an area's requests
 * to its app directly).
 */
export function edgePlumbing(): { headers: MiddlewareHandler<AppEnv>[]; body: MiddlewareHandler<AppEnv>[] } {
  return { headers: [securityHeaders(), requestIdHeader, cors()], body: [limitBody(), unsupportedMediaType] };
}
