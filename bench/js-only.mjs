/**
 * `npm run bench:js`: the JavaScript CPU of the leads list, product against the hand-written
 * reference, in Node over a mock D1 that answers the same rows every time (20 leads, 3 actions
 * each). No workerd, no SQLite: what is left is the code each runs per request (routing, the token
 * check, validation, building statements, shaping rows, JSON), measured with `process.cpuUsage`
 * and Node's own profiler (`--prof-js` writes bench/out/js-only/<name>.cpuprofile). On this shared
 * machine workerd's figures drift by 15 % and more between phases and its V8 samples attribute time
 * unreliably (`pick` showed 6 % of a request there, 0.3 % here); this is where the row shaping and
 * the per-request key import were found (README, issue 16).
 *
 * Each variant runs in its own process, alternately, `--runs=N` times (default 3) of
 * `--requests=N` requests (default 10,000) after 3,000 to warm up; the medians are printed.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench/out/js-only');
const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);

if (process.argv[2] === '--child') await child(process.argv[3], Number(process.argv[4]));
else await main();

async function main() {
  const { build } = await import('esbuild');
  mkdirSync(OUT, { recursive: true });
  const stub = join(OUT, 'cloudflare-workers.js');
  writeFileSync(stub, 'export class DurableObject { constructor(ctx, env) { this.ctx = ctx; this.env = env; } }\n');
  const common = {
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    keepNames: !/^keep_names = false$/m.test(readFileSync(join(ROOT, 'wrangler.toml'), 'utf8')), // as wrangler.toml deploys
    logLevel: 'error',
    alias: { 'cloudflare:workers': stub },
    conditions: ['workerd', 'worker', 'browser'],
  };
  // wrangler.toml's [alias] (zod's English locale only, its compiler and JSON Schema importer left out), as deployed.
  const toml = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8');
  const entries = [...(/^\[alias\]\n((?:.+\n?)*)/m.exec(toml)?.[1] ?? '').matchAll(/^"([^"]+)" = "([^"]+)"$/gm)];
  const literal = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const aliases = {
    name: 'wrangler-aliases',
    setup(b) {
      for (const [, from, to] of entries)
        b.onResolve({ filter: new RegExp(`^${literal(from)}$`) }, () => ({ path: join(ROOT, to) }));
    },
  };
  await build({ ...common, entryPoints: [join(ROOT, 'src/index.ts')], outfile: join(OUT, 'product.mjs'), plugins: [aliases] });
  await build({ ...common, entryPoints: [join(ROOT, 'bench/lib/reference-worker.js')], outfile: join(OUT, 'reference.mjs') });
  const runs = arg('runs', 3);
  const requests = arg('requests', 10_000);
  const profile = process.argv.includes('--prof-js');
  const out = { product: [], reference: [] };
  for (let i = 0; i < runs; i++)
    for (const name of Object.keys(out)) {
      const flags = profile && i === 0 ? ['--cpu-prof', `--cpu-prof-dir=${OUT}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
      const text = execFileSync(process.execPath, [...flags, fileURLToPath(import.meta.url), '--child', name, String(requests)], {
        encoding: 'utf8',
      });
      out[name].push(Number(text.trim()));
    }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [p, r] = [median(out.product), median(out.reference)];
  console.log(`JavaScript CPU per leads list in Node over a mock D1 (median of ${runs} runs of ${requests} requests):`);
  console.log(`  product ${p.toFixed(0)} µs (runs ${out.product.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  reference ${r.toFixed(0)} µs (runs ${out.reference.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  product ÷ reference ${(p / r).toFixed(2)} ×${profile ? `; profiles of the first runs in ${OUT}` : ''}`);
}

/** One variant in this process: prints its CPU µs per request. */
async function child(name, requests) {
  const { SignJWT } = await import('jose');
  const worker = (await import(join(OUT, `${name}.mjs`))).default;
  const stamp = '2026-11-01T10:00:00.000Z';
  const leads = Array.from({ length: 20 }, (_, i) => ({
    id: 1000 - i,
    created_at: stamp,
    updated_at: stamp,
    deleted_at: null,
    is_deleted: 0,
    uuid: `0e5d6a3c-1111-4222-8333-${String(i).padStart(12, '0')}`,
    business_name: `Business ${i}`,
    contact_name: `Contact ${i}`,
    contact_phone: `+25670000${i}`,
    contact_email: `c${i}@example.com`,
    stage: 'new',
    source: 'walk_in',
    products_discussed: '["a","b"]',
    notes: `Notes about lead ${i}`,
    follow_up_type: 'call',
    follow_up_date: '2026-12-01',
    lead_score: 40 + i,
    priority: 'medium',
    documents: null,
    tags: 'x,y',
    zone_id: 3,
    assigned_rep_id: 1,
  }));
  const actions = leads.flatMap((lead, j) =>
    [0, 1, 2].map((k) => ({
      id: j * 3 + k + 1,
      created_at: stamp,
      updated_at: stamp,
      deleted_at: null,
      is_deleted: 0,
      uuid: `1e5d6a3c-1111-4222-8333-${String(j * 3 + k).padStart(12, '0')}`,
      type: 'call',
      date: '2026-11-02',
      notes: 'n',
      outcome: 'ok',
      next_follow_up: null,
      lead_id: lead.id,
      created_by_id: 1,
    })),
  );
  // The statements of the leads list: the authorization guard, the count, the page, the page's actions.
  const rowsFor = (sql) => {
    if (/auth_guard/.test(sql)) return [{ ok: null }];
    if (/count\(/i.test(sql)) return [{ total: 5000 }];
    if (/lead_actions/.test(sql)) return actions;
    if (/leads/.test(sql)) return leads;
    throw new Error(`unexpected statement: ${sql}`);
  };
  class Statement {
    constructor(sql, params = []) {
      this.sql = sql;
      this.params = params;
    }
    bind(...params) {
      return new Statement(this.sql, params);
    }
    async all() {
      return { results: rowsFor(this.sql), success: true, meta: {} };
    }
  }
  const session = {
    prepare: (sql) => new Statement(sql),
    batch: async (statements) => statements.map((s) => ({ results: rowsFor(s.sql), success: true, meta: {} })),
    getBookmark: () => '00000001-00000002-00004e3f-0123456789abcdef',
  };
  const secret = 'bench-js-only-secret-0123456789abcdef0123456789';
  const env = { DB: { ...session, withSession: () => session }, JWT_SECRET: secret, LOG_EVENTS: 'off', ENVIRONMENT: 'bench' };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ token_type: 'access', user_id: '1', uid: 'bench-user', role: 'Admin', tv: 0, jti: 'bench' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode(secret));
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} };
  const one = async () => {
    const res = await worker.fetch(
      new Request('https://api.test/api/field/leads/?page_size=20', { headers: { authorization: `Bearer ${token}` } }),
      env,
      ctx,
    );
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${body.slice(0, 200)}`);
  };
  for (let i = 0; i < 3000; i++) await one();
  const start = process.cpuUsage();
  for (let i = 0; i < requests; i++) await one();
  const used = process.cpuUsage(start);
  console.log(((used.user + used.system) / requests).toFixed(1));
}
