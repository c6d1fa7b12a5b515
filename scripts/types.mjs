#!/usr/bin/env node
/**
 * `npm run types` regenerates worker-configuration.d.ts with `wrangler types`; `npm run types:check`
 * (part of `npm test`) regenerates it into a scratch file and fails when it differs from the
 * committed one. Offline and quick (about 3 s): wrangler reads only wrangler.toml and the keys of
 * .dev.vars.example.
 *
 * The keys of .dev.vars.example are part of the input on purpose: `npm run dev` always writes a
 * .dev.vars with exactly those keys, and wrangler dev hashes them with wrangler.toml; generating
 * from the example keeps `wrangler dev` from warning that the types are out of date.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FILE = 'worker-configuration.d.ts';
const FLAGS = ['--include-runtime=false', '--strict-vars=false', '--env-file', '.dev.vars.example'];
const wrangler = (out) =>
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/wrangler/bin/wrangler.js'), 'types', ...(out ? [out] : []), ...FLAGS],
    {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      stdio: 'pipe',
    },
  );

if (!process.argv.includes('--check')) {
  wrangler();
  console.log(`types: ${FILE} regenerated`);
  process.exit(0);
}

const scratch = '.worker-configuration.check.d.ts';
try {
  wrangler(scratch);
  // The first two lines name the output file in the command; the hash is what must match.
  const body = (file) => readFileSync(join(root, file), 'utf8').split('\n');
  const hash = (lines) => /hash: (\w+)/.exec(lines[1] ?? '')?.[1];
  const [want, have] = [body(scratch), body(FILE)];
  const same = hash(want) === hash(have) && want.slice(2).join('\n') === have.slice(2).join('\n');
  if (!same) {
    console.error(`types: ${FILE} is out of date with wrangler.toml / .dev.vars.example: run \`npm run types\` and commit it.`);
    process.exit(1);
  }
  console.log(`types: ${FILE} is current`);
} finally {
  rmSync(join(root, scratch), { force: true });
}
