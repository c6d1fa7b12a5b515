#!/usr/bin/env node
// Runs before `npm run dev`: docs assets in place, a git-ignored .dev.vars with a random
// JWT secret when missing, and the local D1 database migrated.
import { execSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
execSync('node scripts/prepare-assets.mjs', { cwd: root, stdio: 'inherit' });
const devVars = join(root, '.dev.vars');
if (!existsSync(devVars)) {
  writeFileSync(devVars, `JWT_SECRET=${randomBytes(32).toString('hex')}\n`);
  console.log('prepare-dev: created .dev.vars with a random JWT_SECRET');
}
execSync('npx wrangler d1 migrations apply DB --local', { cwd: root, stdio: 'inherit', env, input: 'y\n' });
