/**
 * The OpenAPI document (generated from the zod route definitions) at /api/schema/, Swagger UI at
 * /api/docs/ and Redoc at /api/redoc/. Their JS/CSS are static assets copied from npm packages
 * into public/ by scripts/prepare-assets.mjs, so the docs work offline: nothing comes from a CDN.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';

const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'";

const swaggerHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tamiti Studio & Workspaces API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/schema/', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });</script>
</body></html>`;

const redocHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tamiti Studio & Workspaces API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/api/schema/"></redoc>
<script src="/api/redoc/assets/redoc.standalone.js"></script>
</body></html>`;

/** Registers the document and the two UIs on the root app. */
export function mountDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'jwtAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  app.doc31('/api/schema/', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'Tamiti Studio & Workspaces API',
      version: '1.0.0',
      description:
        'Tamiti Studio (business operations, DRF conventions) and Workspaces (seed 002, `{success, message, ...}` envelope), served by one Cloudflare Worker.',
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));
  app.get('/api/docs/', (c) => c.html(swaggerHtml, 200, { 'Content-Security-Policy': DOCS_CSP }));
  app.get('/api/redoc/', (c) => c.html(redocHtml, 200, { 'Content-Security-Policy': DOCS_CSP }));
}
