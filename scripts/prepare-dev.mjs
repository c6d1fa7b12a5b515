#!/usr/bin/env node
// Runs before `npm run dev`: docs assets in place, the local development settings in the
// git-ignored .dev.vars, and the local D1 database migrated.
//
// wrangler.toml's top level is production; `wrangler dev` lets .dev.vars override it. .dev.vars is
// created from .dev.vars.example (with a random JWT_SECRET) and, when it exists already (an older
// checkout), only gains the keys it lacks: a value the developer set is never changed.
import { execSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeDevVars } from './dev-vars.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
execSync('node scripts/prepare-assets.mjs', { cwd: root, stdio: 'inherit' });

const devVars = join(root, '.dev.vars');
const existing = existsSync(devVars) ? readFileSync(devVars, 'utf8') : '';
const example = readFileSync(join(root, '.dev.vars.example'), 'utf8');
const { text, added } = mergeDevVars(existing, example, { JWT_SECRET: () => randomBytes(32).toString('hex') });
if (added.length) {
  writeFileSync(devVars, text);
  console.log(
    `prepare-dev: ${existing ? 'added to' : 'created'} .dev.vars: ${added.join(', ')} (development values; see .dev.vars.example)`,
  );
}

execSync('npx wrangler d1 migrations apply DB --local', { cwd: root, stdio: 'inherit', env, input: 'y\n' });
