#!/usr/bin/env node
/**
 * `npm run db:reset`: drops the LOCAL D1 database (the one `npm run dev` uses, under
 * .wrangler/state/v3/d1) and applies every migration again. KV, queues and chat rooms are left as
 * they are. Stop `npm run dev` first. Then `npm run seed` loads the demo data again.
 */
import { execSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const state = join(root, '.wrangler/state/v3/d1');
if (existsSync(state)) {
  rmSync(state, { recursive: true, force: true });
  console.log('db:reset: local D1 database dropped');
} else console.log('db:reset: no local D1 database yet');
execSync('npx wrangler d1 migrations apply DB --local', {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
});
console.log('db:reset: migrations applied; `npm run seed` loads the demo data');
