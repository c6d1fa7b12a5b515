#!/usr/bin/env node
// Copies the Swagger UI and Redoc browser bundles from node_modules into public/ (git-ignored),
// where wrangler serves them as static assets: the docs never load anything from a CDN.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const files = [
  ['node_modules/swagger-ui-dist/swagger-ui-bundle.js', 'public/api/docs/assets/swagger-ui-bundle.js'],
  ['node_modules/swagger-ui-dist/swagger-ui.css', 'public/api/docs/assets/swagger-ui.css'],
  ['node_modules/redoc/bundles/redoc.standalone.js', 'public/api/redoc/assets/redoc.standalone.js'],
];
for (const [from, to] of files) {
  const src = join(root, from);
  const dest = join(root, to);
  if (!existsSync(src)) {
    console.warn(`prepare-assets: ${from} is missing (run npm install)`);
    continue;
  }
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest);
}

// Redoc's side menu shows the Redocly logo from cdn.redoc.ly: served from here instead (an inline
// SVG), so the page loads nothing from outside the Worker (the docs CSP would block it anyway).
const REDOC_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const LOCAL_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect width="16" height="16" rx="3" fill="#dc2626"/></svg>',
)}`;
const redoc = join(root, 'public/api/redoc/assets/redoc.standalone.js');
if (existsSync(redoc)) {
  const js = readFileSync(redoc, 'utf8');
  if (js.includes(REDOC_LOGO)) writeFileSync(redoc, js.replaceAll(REDOC_LOGO, LOCAL_LOGO));
}
