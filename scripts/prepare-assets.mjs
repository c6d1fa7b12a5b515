#!/usr/bin/env node
// Copies the Swagger UI and Redoc browser bundles from node_modules into public/ (git-ignored),
// where wrangler serves them as static assets: the docs never load anything from a CDN.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
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
