/**
 * The OpenAPI document (generated from the zod route definitions) at /api/schema/, Swagger UI at
 * /api/docs/ and Redoc at /api/redoc/. Their JS/CSS are static assets copied from npm packages
 * into public/ by scripts/prepare-assets.mjs, so the docs work offline: nothing comes from a CDN
 * (Redoc's logo is rewritten to an inline image, Swagger UI's online validator badge is off, and
 * the pages' CSP allows scripts, styles, images and connections to this origin only).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { AppEnv } from '../env';
import { documentDocs } from './document-docs';

const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'";

const swaggerHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tamiti Studio & Workspaces API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/schema/', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true, validatorUrl: null });</script>
</body></html>`;

const redocHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tamiti Studio & Workspaces API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/api/schema/"></redoc>
<script src="/api/redoc/assets/redoc.standalone.js"></script>
</body></html>`;

// biome-ignore lint/suspicious/noExplicitAny: generic over any table/schema/hook; the concrete types are checked at the call sites
type Node = any;

/**
 * Makes the generated document valid JSON Schema where the generator is loose:
 * - `allOf: [{$ref: X}, {type: [..., "null"], ...}]` (a nullable reference) becomes `anyOf: [{$ref: X}, {type: "null"}]`;
 * - `allOf: [{$ref: Base}, {type: "object", properties}]` (a `.extend()` of a registered schema, whose
 *   overrides would contradict the base under allOf) becomes one object with the merged properties.
 */
export function normaliseDocument(doc: Node): Node {
  const schemas: Record<string, Node> = doc.components?.schemas ?? {};
  const refName = (ref: string) => ref.split('/').pop()!;
  const flatten = (node: Node, depth = 0): Node => {
    if (!node || typeof node !== 'object' || depth > 20) return node;
    if (Array.isArray(node)) return node.map((n) => flatten(n, depth + 1));
    let out: Node = {};
    for (const [k, v] of Object.entries(node)) out[k] = flatten(v, depth + 1);
    const all = out.allOf;
    if (Array.isArray(all) && all.length === 2 && all[0]?.$ref && all[1] && typeof all[1] === 'object') {
      const [ref, extra] = all;
      const { allOf: _drop, ...rest } = out;
      const types = Array.isArray(extra.type) ? extra.type : [extra.type];
      if (types.includes('null') && !extra.properties) {
        const { type: _t, ...meta } = extra;
        out = { ...rest, ...meta, anyOf: [ref, { type: 'null' }] };
      } else if (extra.properties) {
        const base = flatten(schemas[refName(ref.$ref)] ?? {}, depth + 1);
        out = {
          ...rest,
          ...extra,
          type: 'object',
          properties: { ...(base.properties ?? {}), ...extra.properties },
          required: [...new Set([...(base.required ?? []), ...(extra.required ?? [])])],
        };
      }
    }
    return out;
  };
  return flatten(doc);
}

/** Builds the OpenAPI document from every module's route definitions. */
export async function buildDocument(modules: OpenAPIHono<AppEnv>[]): Promise<Node> {
  const { OpenAPIHono } = await import('@hono/zod-openapi');
  const doc = new OpenAPIHono<AppEnv>();
  doc.openAPIRegistry.registerComponent('securitySchemes', 'jwtAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const mod of modules) doc.route('/', mod);
  const { withRouteDocs } = await import('../core/route');
  for (const def of doc.openAPIRegistry.definitions) if (def.type === 'route') withRouteDocs(def.route);
  return documentDocs(
    normaliseDocument(
      doc.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Tamiti Studio & Workspaces API',
          version: '1.0.0',
          description: '',
        },
      }),
    ),
  );
}

/**
 * Registers the document and the two UIs on the root app. The document depends only on the code:
 * it is built the first time it is asked for (that loads every module), then kept for the isolate.
 */
export function mountDocs(app: Hono<AppEnv>, loadModules: () => Promise<OpenAPIHono<AppEnv>[]>) {
  let document: Promise<Node> | undefined;
  app.get('/api/schema/', async (c) => {
    document ??= loadModules().then(buildDocument);
    const doc = await document.catch((err) => {
      document = undefined;
      throw err;
    });
    return c.json({ ...doc, servers: [{ url: new URL(c.req.url).origin }] });
  });
  app.get('/api/docs/', (c) => c.html(swaggerHtml, 200, { 'Content-Security-Policy': DOCS_CSP }));
  app.get('/api/redoc/', (c) => c.html(redocHtml, 200, { 'Content-Security-Policy': DOCS_CSP }));
}
