#!/usr/bin/env node
/**
 * `npm run openapi:baseline`: writes the OpenAPI document the Worker serves to
 * test/fixtures/openapi-baseline.json (what test/platform/openapi-baseline.test.ts compares with).
 * Run it when a change to a documented shape is deliberate, and commit the new baseline with it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = 8797;
// wrangler dev reads the development values from .dev.vars (written by `npm run dev`'s predev).
spawnSync(process.execPath, [join(ROOT, 'scripts/prepare-dev.mjs')], { cwd: ROOT, stdio: 'ignore' });
const dev = spawn(
  process.execPath,
  [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'dev', '--port', String(PORT), '--ip', '127.0.0.1'],
  {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    stdio: 'ignore',
  },
);
try {
  let doc;
  for (let i = 0; i < 120 && !doc; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/api/schema/`);
      if (res.ok) doc = await res.json();
    } catch {
      // not up yet
    }
    if (!doc) await new Promise((r) => setTimeout(r, 500));
  }
  if (!doc) throw new Error('wrangler dev did not serve /api/schema/ within 60 s');
  delete doc.servers;
  const sorted = (v) =>
    Array.isArray(v)
      ? v.map(sorted)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted(v[k])]),
          )
        : v;
  const file = join(ROOT, 'test/fixtures/openapi-baseline.json');
  writeFileSync(file, JSON.stringify(sorted(doc)));
  spawnSync(process.execPath, [join(ROOT, 'node_modules/@biomejs/biome/bin/biome'), 'format', '--write', file], {
    stdio: 'ignore',
  });
  const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(`test/fixtures/openapi-baseline.json: ${Object.keys(doc.paths).length} paths, ${operations} operations`);
} finally {
  dev.kill();
}
