import { z } from '@hono/zod-openapi';
import { drf } from '../../core/errors';
import { bucket, KEY_PATTERN, verifySignature } from '../../core/files';
import { Detail, json, mount, route } from '../../core/route';
import { createRouter } from '../../core/router';

const FileParams = z.object({
  key: z.string().openapi({ param: { name: 'key', in: 'path' }, description: 'The stored object key.' }),
});
const SignedQuery = z.object({
  exp: z.string().optional().openapi({ description: 'Expiry of the signature (Unix seconds).' }),
  sig: z.string().optional().openapi({ description: 'HMAC-SHA-256 signature of the key and expiry (base64url).' }),
});

const binary = (description: string) => ({
  description,
  content: { 'application/octet-stream': { schema: { type: 'string' as const, format: 'binary' } } },
});

/** Cache policy from the URL's remaining validity: long-lived public URLs are immutable. */
function cacheControl(exp: number, now: number): string {
  const remaining = Math.max(0, exp - Math.floor(now / 1000));
  if (remaining > 30 * 24 * 60 * 60) return 'public, max-age=31536000, immutable';
  return `private, max-age=${Math.min(remaining, 3600)}`;
}

/**
 * `GET /api/files/{key}?exp=&sig=`: streams a stored object. No Authorization header (the URL works
 * in an `<img>` tag): the signature is the permission, given only by serializers that show the row.
 */
const serveFile = route({
  method: 'get',
  path: '/api/files/{key}',
  operationId: 'files_retrieve',
  summary: 'Download a stored file',
  description:
    'Streams an uploaded file through the signed URL a response gave (valid 1 hour by default). Supports `Range` (206) and conditional requests (`If-None-Match`, `If-Modified-Since`: 304). An expired or altered signature is a 403.',
  tags: ['files'],
  auth: 'public',
  params: FileParams,
  query: SignedQuery,
  omitFailures: [400, 401],
  responses: {
    200: binary('The file, with its content type, ETag and Content-Length.'),
    206: binary('The requested byte range (Content-Range).'),
    304: { description: 'Not modified (the ETag matched).' },
    403: json(Detail, 'Missing, expired or invalid signature.'),
    416: json(Detail, 'The range cannot be satisfied.'),
  },
  handler: async ({ c, params, query }) => {
    const now = Date.now();
    if (!KEY_PATTERN.test(params.key) || !(await verifySignature(c.env, params.key, query.exp, query.sig, now)))
      throw drf.forbidden('Invalid or expired file signature.');
    const headers = c.req.raw.headers;
    let object: R2Object | R2ObjectBody | null;
    try {
      object = await bucket(c.env).get(params.key, { range: headers, onlyIf: headers });
    } catch (err) {
      if (headers.has('range')) throw drf.detail(416, 'The requested range cannot be satisfied.');
      throw err;
    }
    if (!object) throw drf.notFound('Not found.');
    const out = new Headers();
    object.writeHttpMetadata(out);
    out.set('ETag', object.httpEtag);
    out.set('Last-Modified', object.uploaded.toUTCString());
    out.set('Accept-Ranges', 'bytes');
    out.set('Cache-Control', cacheControl(Number(query.exp), now));
    // A file is never a document of this origin: no script, no plugin, even if opened directly.
    out.set('Content-Security-Policy', "default-src 'none'; sandbox");
    out.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (!('body' in object)) {
      const conditional = headers.has('if-none-match') || headers.has('if-modified-since');
      return new Response(null, { status: conditional ? 304 : 412, headers: out });
    }
    const range = object.range as { offset?: number; length?: number; suffix?: number } | undefined;
    if (range && headers.has('range')) {
      const offset = range.suffix !== undefined ? object.size - range.suffix : (range.offset ?? 0);
      const length = range.suffix !== undefined ? range.suffix : (range.length ?? object.size - offset);
      out.set('Content-Range', `bytes ${offset}-${offset + length - 1}/${object.size}`);
      out.set('Content-Length', String(length));
      return new Response(object.body, { status: 206, headers: out });
    }
    out.set('Content-Length', String(object.size));
    return new Response(object.body, { status: 200, headers: out });
  },
});

/** The files module: serving stored objects through signed URLs. */
export function filesModule() {
  const app = createRouter();
  mount(app, serveFile);
  return app;
}
