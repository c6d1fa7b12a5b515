#!/usr/bin/env node
/**
 * `npm run bench`: builds the Worker bundle, serves it through Miniflare with local D1 / KV /
 * Durable Objects / Queues, seeds a realistic data set, and drives every scenario from a separate
 * load-generator process (bench/load.mjs), measuring latency, throughput, errors and the CPU the
 * `workerd` process spent per request. Prints a table and writes bench/results.json.
 *
 * Beside the product it serves, in the same workerd: the platform's floor (an empty Worker whose
 * `/d1` runs one trivial D1 query) and a hand-written reference of the leads list (bench/lib/
 * reference-worker.js), so each scenario's CPU is shown as a ratio to both. All three are wrapped by
 * bench/lib/d1-instrument.js (bench only), which counts D1 round trips and can add latency to each.
 *
 * Options: --quick (short phases, for trying the harness), --only=name,name (some scenarios; the
 * floor, the one-query row and the hand-written reference always run; `first_requests` and `chat`
 * are names too), --profile=name (V8 profile of the Worker isolate during that scenario;
 * `first_requests` profiles each module's first request in its fresh isolate),
 * --d1-latency=N (every D1 round trip costs N ms more: each scenario also runs at 10 req/s without
 * and then with it), --cold-runs=N (fresh isolates per module for the first-request
 * phase, default 3), --readme (also rewrite the results in README.md's Benchmark section).
 */
import { fork, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { firstRequests, recordStatements } from './lib/cold.mjs';
import {
  bundleTable,
  chatTable,
  checkTargets,
  firstRequestTable,
  latencyTable,
  scenarioTable,
  targetsTable,
} from './lib/report.mjs';
import { BENCH_USER, USER_PASSWORD, seed } from './lib/seed.mjs';
import { attachProfiler, summariseProfile } from './lib/profiler.mjs';
import { cpuMs, cpuPreciseMs, startServer, workerOptions } from './lib/server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench/out');
const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const ONLY = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const PHASE_SECONDS = QUICK ? 2 : 5;
const FIXED_RATE = 100;
const SAT_CONNECTIONS = 10;
const SETTLE_MS = 1000;
/** Scenarios that publish queue events wait longer, so the consumer's work counts for them. */
const WRITE_SETTLE_MS = 2500;
/** Seconds of the floor run measured right before each scenario's saturation run. */
const ADJACENT_SECONDS = QUICK ? 1 : 2;
const PROFILE = process.argv.find((a) => a.startsWith('--profile='))?.slice(10);
/** Added latency per D1 round trip for the latency phase (0: no such phase). */
const D1_LATENCY = Math.max(0, Number(process.argv.find((a) => a.startsWith('--d1-latency='))?.slice(13) ?? 0) || 0);
/** Connections of the latency phases: enough that no request waits for a connection. */
const LATENCY_CONNECTIONS = 20;
/** Offered rate of the latency phases (with and without the added latency): below every scenario's capacity. */
const LATENCY_RATE = 10;
/** Alternating slices of the leads list and its hand-written reference (see `pairedWithReference`). */
const PAIR_ROUNDS = QUICK ? 2 : 6;
const PAIR_SECONDS = QUICK ? 1 : 2;
/** Fresh isolates per module in the first-request phase. */
const COLD_RUNS = Math.max(1, Number(process.argv.find((a) => a.startsWith('--cold-runs='))?.slice(12) ?? (QUICK ? 1 : 3)) || 1);
/** Rows every run needs: the ratios are computed against them. */
const ALWAYS = new Set(['floor', 'one_query', 'handwritten_leads_list', 'one_query_end']);
const wanted = (name) => !ONLY || ONLY.includes(name) || ALWAYS.has(name);
/**
 * The chat clients: by default they read `batch` frames (`?batch=1`) and do not offer
 * permessage-deflate (see the README: inflating 10,000 frames/s for 100 clients in one process
 * measures the load generator). `--chat-frames=single` and `--chat-deflate=on` measure the others.
 */
const CHAT_BATCH = process.argv.find((a) => a.startsWith('--chat-frames='))?.slice(14) !== 'single';
const CHAT_DEFLATE = process.argv.find((a) => a.startsWith('--chat-deflate='))?.slice(15) === 'on';
const INSPECTOR_PORT = 9329;
const TTY = process.stdout.isTTY;
const wallStart = performance.now();

const log = (msg) => process.stdout.write(`${TTY ? '\r\x1b[K' : ''}${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const elapsed = () => `${((performance.now() - wallStart) / 1000).toFixed(0)}s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---- 1. build ------------------------------------------------------------------------------

function build() {
  const res = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'deploy', '--dry-run', '--outdir', OUT],
    {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
      encoding: 'utf8',
    },
  );
  if (res.status !== 0) {
    process.stderr.write(res.stdout + res.stderr);
    throw new Error('wrangler deploy --dry-run failed');
  }
  const code = readFileSync(join(OUT, 'index.js'));
  return { bytes: statSync(join(OUT, 'index.js')).size, gzipBytes: gzipSync(code).length };
}

/**
 * The bench's own Workers, next to the bundle in bench/out: the served entry (the bundle wrapped by
 * d1-instrument.js), the hand-written reference and the empty Worker (each bundled with esbuild,
 * which wrangler uses, and wrapped the same way).
 */
async function buildBenchWorkers() {
  const { build: esbuild } = await import('esbuild');
  copyFileSync(join(ROOT, 'bench/lib/d1-instrument.js'), join(OUT, 'd1-instrument.js'));
  writeFileSync(
    join(OUT, 'bench-entry.js'),
    `// Generated by bench/run.mjs: the built Worker, its D1 binding instrumented (bench/lib/d1-instrument.js).
import worker, { ChatRoom as Room } from './index.js';
import { instrument, instrumentClass } from './d1-instrument.js';
export default instrument(worker);
export const ChatRoom = instrumentClass(Room);
`,
  );
  for (const [name, file] of [
    ['reference', 'reference-worker.js'],
    ['platform', 'empty-worker.js'],
  ]) {
    await esbuild({
      stdin: {
        contents: `import worker from './${file}';\nimport { instrument } from './d1-instrument.js';\nexport default instrument(worker);\n`,
        resolveDir: join(ROOT, 'bench/lib'),
        loader: 'js',
      },
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      external: ['cloudflare:*', 'node:*'],
      outfile: join(OUT, `${name}.js`),
      logLevel: 'error',
    });
  }
}

// ---- 2. server -----------------------------------------------------------------------------

async function readWranglerConfig() {
  const { unstable_readConfig } = await import('wrangler');
  return unstable_readConfig({ config: join(ROOT, 'wrangler.toml') });
}

/** Applies migrations/*.sql in order, one D1 batch per file. */
async function migrate(db) {
  const dir = join(ROOT, 'migrations');
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  for (const file of files) {
    const statements = readFileSync(join(dir, file), 'utf8')
      .split('--> statement-breakpoint')
      .map((s) => s.trim())
      .filter(Boolean);
    if (statements.length) await db.batch(statements.map((s) => db.prepare(s)));
  }
  return files.length;
}

/** Start-ups of the bundle and of the empty Worker, alternately (median of each). */
const STARTUP_RUNS = QUICK ? 3 : 5;

/**
 * Start-up: the bundle vs an empty Worker with the same bindings, alternately, `STARTUP_RUNS` times
 * each (median); the first empty instance also measures the platform's per-request floor. The CPU
 * of a start-up is the fresh workerd's CPU when its first response arrives, with nanosecond
 * resolution (schedstat, bench/lib/server.mjs `cpuPreciseMs`): the 10 ms ticks of /proc/<pid>/stat
 * moved a 100 ms target by ±10 ms per reading. The ticks are kept beside it.
 */
async function startAll(config, bindings, calibrate) {
  const opts = (scriptPath) => ({
    ...workerOptions(config, { scriptPath, bindings }),
    cf: false,
    inspectorPort: PROFILE ? INSPECTOR_PORT : undefined,
  });
  const times = { worker: [], empty: [] };
  const cpu = { worker: [], empty: [] };
  const ticks = { worker: [], empty: [] };
  let calibration;
  for (let i = 0; i < STARTUP_RUNS; i++) {
    const empty = await startServer(opts(join(ROOT, 'bench/lib/empty-worker.js')), { probePath: '/' });
    times.empty.push(empty.startup.firstResponse);
    cpu.empty.push(cpuPreciseMs(empty.pid));
    ticks.empty.push(cpuMs(empty.pid));
    if (i === 0) calibration = await calibrate(empty);
    await empty.mf.dispose();
    const server = await startServer(opts(join(OUT, 'index.js')), { probePath: '/api/' });
    times.worker.push(server.startup.firstResponse);
    cpu.worker.push(cpuPreciseMs(server.pid));
    ticks.worker.push(cpuMs(server.pid));
    await server.mf.dispose();
  }
  const startup = {
    worker: { runs: times.worker, median: median(times.worker) },
    empty: { runs: times.empty, median: median(times.empty) },
    bundleCost: median(times.worker) - median(times.empty),
    cpu: { counter: 'schedstat', worker: median(cpu.worker), empty: median(cpu.empty), runs: cpu },
    cpu_ticks: { worker: median(ticks.worker), empty: median(ticks.empty), runs: ticks },
    cpu_ms_over_empty: median(cpu.worker) - median(cpu.empty),
  };
  return { startup, calibration };
}

/**
 * The served instance: the instrumented bundle (entry, as deployed otherwise), and beside it the
 * hand-written reference and the empty Worker, all on the same D1 database. Each is reached on its
 * own socket, straight into its Worker: Miniflare's front door (its entry worker) emulates what
 * Cloudflare does in front of a Worker (compression, headers) with CPU of the same process, which
 * production does not bill to the Worker. `shared`: more of Miniflare's shared options (persistence).
 */
async function startBenchServer(config, bindings, shared = {}) {
  const product = {
    ...workerOptions(config, { scriptPath: join(OUT, 'bench-entry.js'), bindings }),
    modules: ['bench-entry.js', 'index.js', 'd1-instrument.js'].map((f) => ({ type: 'ESModule', path: join(OUT, f) })),
    modulesRoot: OUT,
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  };
  delete product.scriptPath;
  const beside = (name) => ({
    name,
    modules: true,
    scriptPath: join(OUT, `${name}.js`),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { JWT_SECRET: bindings.JWT_SECRET },
    d1Databases: product.d1Databases,
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  });
  const server = await startServer(
    {
      workers: [product, beside('reference'), beside('platform')],
      cf: false,
      inspectorPort: PROFILE ? INSPECTOR_PORT : undefined,
      ...shared,
    },
    { probePath: '/api/' },
  );
  server.urls = {
    bench: await server.mf.unsafeGetDirectURL('bench'),
    reference: await server.mf.unsafeGetDirectURL('reference'),
    platform: await server.mf.unsafeGetDirectURL('platform'),
  };
  return server;
}

/**
 * Checks that the hand-written reference serves what the product serves for the leads list: the
 * same body (page links compared without their origin, the two listen on different ports) and the
 * same response headers apart from per-response values.
 */
async function compareReference(server, token) {
  const path = '/api/field/leads/?page_size=20';
  const get = async (base) => {
    const res = await fetch(new URL(path, base), { headers: { authorization: `Bearer ${token}` } });
    const text = (await res.text()).replaceAll(new URL(base).origin, '');
    return { status: res.status, text, headers: [...res.headers.keys()].sort() };
  };
  const [product, reference] = await Promise.all([get(server.urls.bench), get(server.urls.reference)]);
  const sameBody = product.status === reference.status && product.text === reference.text;
  const sameHeaders = JSON.stringify(product.headers) === JSON.stringify(reference.headers);
  let at = 0;
  while (at < product.text.length && product.text[at] === reference.text[at]) at++;
  return {
    sameBody,
    sameHeaders,
    difference: sameBody
      ? undefined
      : `status ${product.status}/${reference.status}, bodies differ at ${at}: …${product.text.slice(at, at + 80)}… vs …${reference.text.slice(at, at + 80)}…`,
    headers: sameHeaders ? undefined : { product: product.headers, reference: reference.headers },
  };
}

/** A worker's D1 counters (bench/lib/d1-instrument.js). */
async function benchStats(base) {
  return (await fetch(new URL('/__bench/stats', base))).json();
}

/** Sets the added latency per D1 round trip of a worker. */
async function setLatency(base, ms) {
  await (await fetch(new URL(`/__bench/latency?ms=${ms}`, base))).arrayBuffer();
}

/**
 * The first-request phase: a persisted copy of the bench data (migrations and seed, once), the
 * bench user's token and each probe's statements (recorded by the bench server's instrumented
 * Workers on that copy), then bench/lib/cold.mjs.
 */
async function runFirstRequests(config, bindings) {
  const persist = join(OUT, 'first-request-d1');
  rmSync(persist, { recursive: true, force: true });
  const options = (_instance, probe) => ({
    ...workerOptions(config, {
      scriptPath: probe?.empty
        ? join(ROOT, 'bench/lib/empty-worker.js')
        : probe?.reference
          ? join(OUT, 'reference.js')
          : join(OUT, 'index.js'),
      bindings,
    }),
    cf: false,
    d1Persist: persist,
    // `--profile=first_requests`: V8's profiler samples each module's first request (bench/lib/cold.mjs).
    inspectorPort: PROFILE === 'first_requests' ? INSPECTOR_PORT : undefined,
  });
  // The data, the token, and each probe's statements (recorded through the instrumented Workers).
  const setup = await startBenchServer(config, bindings, { d1Persist: persist });
  let token;
  let statements;
  try {
    const db = await setup.mf.getD1Database('DB');
    await migrate(db);
    await seed(db);
    token = await login(setup.urls.bench, BENCH_USER.username, USER_PASSWORD);
    statements = await recordStatements(setup.urls, token);
  } finally {
    await setup.mf.dispose();
  }
  return firstRequests({
    options,
    token,
    statements,
    runs: COLD_RUNS,
    profile: PROFILE === 'first_requests' ? { port: INSPECTOR_PORT, dir: OUT } : undefined,
    progress: (line) => {
      if (TTY) process.stdout.write(`\r\x1b[K[first requests] ${line}`);
    },
  });
}

async function login(base, username, password) {
  const res = await fetch(new URL('/api/users/login/', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200 || !body.access) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.access;
}

/** Runs `fn` over `items` with at most `n` at a time. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

// ---- 3. load process -----------------------------------------------------------------------

function startLoadProcess() {
  const child = fork(join(ROOT, 'bench/load.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let seq = 0;
  const waiting = new Map();
  let onTick = () => {};
  const ready = new Promise((resolve) => child.once('message', resolve));
  child.on('message', (msg) => {
    if (msg.type === 'tick') return onTick(msg);
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.type === 'error') w.reject(new Error(msg.error));
    else w.resolve(msg.result);
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load process exited (${code})`));
  });
  return {
    ready,
    run(cmd, tick = () => {}) {
      const id = ++seq;
      onTick = tick;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ ...cmd, id });
      });
    },
    stop() {
      child.send({ type: 'exit' });
    },
  };
}

// ---- 4. scenarios --------------------------------------------------------------------------

function scenarios(ids, token) {
  const auth = { authorization: `Bearer ${token}` };
  const startMs = Math.ceil((Date.now() + 60 * 86_400_000) / 3_600_000) * 3_600_000;
  return [
    { name: 'floor', label: 'Floor: GET /api/ (constant JSON)', request: { method: 'GET', path: '/api/' } },
    {
      name: 'one_query',
      target: 'platform',
      label: 'Platform: one trivial D1 query (empty Worker)',
      request: { method: 'GET', path: '/d1' },
    },
    {
      name: 'handwritten_leads_list',
      target: 'reference',
      label: 'Hand-written reference: leads list (20 + count)',
      request: { method: 'GET', path: '/api/field/leads/?page_size=20', headers: auth },
    },
    {
      name: 'login',
      label: 'Login (PBKDF2 100k)',
      request: { method: 'POST', path: '/api/users/login/', body: { username: BENCH_USER.username, password: USER_PASSWORD } },
    },
    {
      name: 'leads_list',
      label: 'Leads list (20 + count)',
      request: { method: 'GET', path: '/api/field/leads/?page_size=20', headers: auth },
    },
    {
      name: 'leads_search',
      label: 'Leads search',
      request: {
        method: 'GET',
        path: '/api/field/leads/',
        headers: auth,
        vary: {
          kind: 'path',
          list: ids.searchTerms.map((t) => `/api/field/leads/?page_size=20&search=${encodeURIComponent(t)}`),
        },
      },
    },
    {
      name: 'invoice_create',
      publishes: true,
      label: 'Invoice create',
      request: {
        method: 'POST',
        path: '/api/finance/invoices/',
        headers: auth,
        vary: {
          kind: 'body',
          list: ids.parties.map((party) => ({
            party,
            total_amount: '250.00',
            direction: 'outgoing',
            description: 'Bench invoice',
          })),
        },
      },
    },
    {
      name: 'payment_create',
      publishes: true,
      label: 'Payment create (+ balances)',
      request: {
        method: 'POST',
        path: '/api/finance/payments/',
        headers: auth,
        vary: {
          kind: 'body',
          list: ids.payableInvoices.map(({ invoice, party }) => ({
            party,
            invoice,
            amount: '1.00',
            direction: 'incoming',
            account: 1,
          })),
        },
      },
    },
    {
      name: 'task_toggle',
      publishes: true,
      label: 'Task toggle',
      request: {
        method: 'POST',
        path: '/api/tasks/0/toggle/',
        headers: auth,
        vary: { kind: 'path', list: ids.benchTasks.map((t) => `/api/tasks/${t}/toggle/`) },
      },
    },
    { name: 'dashboard_kpis', label: 'Dashboard KPIs', request: { method: 'GET', path: '/api/dashboard/kpis/', headers: auth } },
    {
      name: 'workspace_detail',
      label: 'Workspace detail (hierarchy)',
      request: {
        method: 'GET',
        path: '/api/workspace/workspaces/',
        headers: auth,
        vary: { kind: 'path', list: ids.workspaces.map((w) => `/api/workspace/workspaces/${w}/`) },
      },
    },
    {
      name: 'spaces_list',
      label: 'Spaces list (branch)',
      request: {
        method: 'GET',
        path: '/api/workspace/spaces/',
        headers: auth,
        vary: { kind: 'path', list: ids.branches.map((b) => `/api/workspace/spaces/?branch_id=${b}`) },
      },
    },
    {
      name: 'booking_create',
      publishes: true,
      label: 'Booking create',
      request: {
        method: 'POST',
        path: '/api/workspace/bookings/create/',
        headers: auth,
        vary: { kind: 'booking', spaces: ids.privateSpaces, startMs },
      },
    },
    {
      name: 'public_spaces_list',
      label: 'Public spaces list (anonymous)',
      request: {
        method: 'GET',
        path: '/api/workspace/public/spaces/',
        vary: { kind: 'path', list: ids.workspaces.map((w) => `/api/workspace/public/spaces/?workspace_id=${w}`) },
      },
    },
    // The one-query row again: the ratios use the mean of both, so a machine that got busier or
    // quieter during the run moves the reference with the scenarios.
    {
      name: 'one_query_end',
      target: 'platform',
      label: 'Platform: one trivial D1 query (again, end of run)',
      request: { method: 'GET', path: '/d1' },
    },
  ].filter((s) => wanted(s.name));
}

/** Progress line while a phase runs. */
function progress(index, total, label, phase, seconds) {
  return (t) => {
    const line = `[${index}/${total}] ${label} · ${phase} · ${t.elapsed.toFixed(0)}s/${seconds}s · ${t.total} requests`;
    if (TTY) process.stdout.write(`\r\x1b[K${line}`);
  };
}

/** Idle CPU rate of workerd (ms of CPU per ms of wall time), subtracted from every window. */
async function idleRate(pid, ms = 2000) {
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  await sleep(ms);
  return (cpuMs(pid) - c0) / (performance.now() - t0);
}

/** Runs one load phase and measures the server's CPU over it (plus a settle for queued work). */
async function measured(pid, idle, fn, settleMs = SETTLE_MS) {
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  const result = await fn();
  await sleep(settleMs);
  const wall = performance.now() - t0;
  const cpu = Math.max(0, cpuMs(pid) - c0 - idle * wall);
  return { result, cpu };
}

/** The base URL of the worker a scenario targets (the product unless it says otherwise). */
const targetUrl = (server, s) => server.urls?.[s.target ?? 'bench'] ?? server.url;

/** The load of one phase against a scenario: `cmd` for the load process. */
const httpCmd = (server, s, extra) => ({
  type: 'http',
  key: s.name,
  url: new URL('/', targetUrl(server, s)).href.replace(/\/$/, ''),
  request: s.request,
  ...extra,
});

async function runHttp(load, server, idle, list) {
  const out = [];
  const floor = list.find((s) => s.name === 'floor');
  let floorEntry;
  let paired;
  const reference = list.find((r) => r.name === 'handwritten_leads_list');
  for (const [i, s] of list.entries()) {
    try {
      out.push(await runScenario(i, s));
      // Right after the leads list, before any write scenario grows the database both read.
      if (s.name === 'leads_list' && out.some((r) => r.name === reference?.name)) {
        paired = await pairedWithReference(load, server, idle, s, reference);
        log(
          `[${i + 1}/${list.length}] leads list vs hand-written reference in ${paired.rounds} alternating pairs of ${paired.seconds} s slices: ` +
            `${paired.product_cpu_ms_per_req.toFixed(2)} vs ${paired.reference_cpu_ms_per_req.toFixed(2)} ms CPU/req = ${paired.ratio.toFixed(2)} × ` +
            `(per pair: ${paired.round_ratios.map((r) => r.toFixed(2)).join(', ')})`,
        );
      }
    } catch (err) {
      // One broken scenario (a route that changed, a seed that no longer fits) must not hide the others.
      log(`[${i + 1}/${list.length}] ${s.label}: FAILED ${String(err?.stack ?? err).split('\n')[0]}`);
    }
  }
  return { scenarios: out, floor: floorEntry, paired };

  async function runScenario(i, s) {
    // Warm-up: JIT, caches, prepared statements.
    await load.run(httpCmd(server, s, { connections: 4, duration: 1 }));
    await sleep(300);
    const phase = async (name, scenario, extra, seconds = PHASE_SECONDS) => {
      const { result, cpu } = await measured(
        server.pid,
        idle,
        () =>
          load.run(
            httpCmd(server, scenario, { ...extra, duration: seconds }),
            progress(i + 1, list.length, scenario.label, name, seconds),
          ),
        scenario.publishes ? WRITE_SETTLE_MS : SETTLE_MS,
      );
      return {
        ...result,
        failed: result.non2xx + result.errors,
        cpuMs: cpu,
        cpuMsPerRequest: result.responses ? cpu / result.responses : null,
      };
    };
    const fixed = await phase(`${FIXED_RATE} req/s`, s, { connections: 10, overallRate: FIXED_RATE });
    // The floor again right before this scenario's saturation run: both figures see the same machine.
    const adjacent =
      s.name === 'floor' ? undefined : await phase('floor (adjacent)', floor, { connections: SAT_CONNECTIONS }, ADJACENT_SECONDS);
    let profile;
    if (PROFILE === s.name) profile = await attachProfiler(INSPECTOR_PORT, s.target ?? 'bench');
    await profile?.start();
    const base = targetUrl(server, s);
    const before = await benchStats(base);
    const saturation = await phase('saturation', s, { connections: SAT_CONNECTIONS });
    const after = await benchStats(base);
    // D1 round trips per request over the saturation phase (the stats requests themselves are not counted).
    const requests = after.requests - before.requests;
    const roundTrips = requests ? (after.roundTrips - before.roundTrips) / requests : null;
    let latency;
    let latencyBase;
    if (D1_LATENCY > 0) {
      // Both at a rate well below every scenario's capacity, so the difference is the added latency, not queueing.
      const offered = { connections: LATENCY_CONNECTIONS, overallRate: LATENCY_RATE };
      latencyBase = await phase(`${LATENCY_RATE} req/s`, s, offered);
      await setLatency(base, D1_LATENCY);
      try {
        latency = await phase(`${LATENCY_RATE} req/s, +${D1_LATENCY} ms per D1 round trip`, s, offered);
      } finally {
        await setLatency(base, 0);
      }
    }
    let hot;
    if (profile) {
      hot = summariseProfile(await profile.stop(), join(OUT, `${s.name}.cpuprofile`));
      profile.close();
    }
    const ref = adjacent ?? saturation;
    saturation.cpuMsNetOfFloor = saturation.cpuMsPerRequest - ref.cpuMsPerRequest;
    const entry = {
      name: s.name,
      label: s.label,
      method: s.request.method,
      publishes: !!s.publishes,
      target: s.target ?? 'bench',
      ratioToFloor: saturation.rps / ref.rps,
      cpuRatioToFloor: saturation.cpuMsPerRequest / ref.cpuMsPerRequest,
      fixed,
      saturation,
      adjacentFloor: adjacent && { rps: adjacent.rps, cpuMsPerRequest: adjacent.cpuMsPerRequest, latency: adjacent.latency },
      cpu_ms_per_req: saturation.cpuMsPerRequest,
      round_trips: roundTrips,
      withD1Latency: latency && {
        latencyMs: D1_LATENCY,
        rate: LATENCY_RATE,
        without: latencyBase.latency,
        latency: latency.latency,
        failed: latency.failed + latencyBase.failed,
        p50DeltaMs: latency.latency.p50 - latencyBase.latency.p50,
        p99DeltaMs: latency.latency.p99 - latencyBase.latency.p99,
      },
      profile: hot,
    };
    if (s.name === 'floor') floorEntry = entry;
    const samples = [...fixed.samples, ...saturation.samples];
    log(
      `[${i + 1}/${list.length}] ${s.label}: ${saturation.rps.toFixed(0)} req/s (${entry.ratioToFloor.toFixed(2)} × floor), ` +
        `p99 @${FIXED_RATE}/s ${fixed.latency.p99?.toFixed(1)} ms, ${saturation.cpuMsPerRequest?.toFixed(2)} ms CPU/req ` +
        `(floor ${ref.cpuMsPerRequest?.toFixed(2)}), ${roundTrips?.toFixed(2)} D1 round trips/req, ${fixed.failed + saturation.failed} errors` +
        (latency
          ? `; +${D1_LATENCY} ms per round trip: p50 ${latency.latency.p50?.toFixed(1)} ms, p99 ${latency.latency.p99?.toFixed(1)} ms`
          : '') +
        (samples.length ? ` (e.g. ${samples[0].status} ${samples[0].body.slice(0, 160)})` : ''),
    );
    if (hot) {
      log(`  profile of the Worker isolate (${join('bench/out', `${s.name}.cpuprofile`)}), share of busy time by self time:`);
      for (const line of hot.self) log(`    ${line}`);
      log('  …and by inclusive time:');
      for (const line of hot.inclusive) log(`    ${line}`);
    }
    return entry;
  }
}

/**
 * The leads list against its hand-written reference in alternating slices (issue 16: "the leads list
 * at most 1.25 × a hand-written reference route"). This machine's speed drifts during a run (a
 * shared VM: the same phase measures ±15 % apart minutes later), so two phases measured minutes
 * apart compare two machines; `PAIR_ROUNDS` pairs of `PAIR_SECONDS` slices at saturation, in
 * alternating order, see the same one. CPU with nanosecond resolution, the idle rate subtracted.
 */
async function pairedWithReference(load, server, idle, product, reference) {
  const totals = { product: { cpu: 0, requests: 0 }, reference: { cpu: 0, requests: 0 } };
  const ratios = [];
  for (let r = 0; r < PAIR_ROUNDS; r++) {
    const perRequest = {};
    const order = r % 2 ? ['product', 'reference'] : ['reference', 'product'];
    for (const key of order) {
      const s = key === 'product' ? product : reference;
      if (TTY) process.stdout.write(`\r\x1b[K[paired] round ${r + 1}/${PAIR_ROUNDS} · ${s.label}`);
      const c0 = cpuPreciseMs(server.pid);
      const t0 = performance.now();
      const result = await load.run(httpCmd(server, s, { connections: SAT_CONNECTIONS, duration: PAIR_SECONDS }));
      await sleep(200);
      const cpu = Math.max(0, cpuPreciseMs(server.pid) - c0 - idle * (performance.now() - t0));
      if (result.non2xx + result.errors) throw new Error(`${s.label}: ${result.non2xx + result.errors} failed requests`);
      perRequest[key] = cpu / result.responses;
      totals[key].cpu += cpu;
      totals[key].requests += result.responses;
    }
    ratios.push(perRequest.product / perRequest.reference);
  }
  const product_cpu_ms_per_req = totals.product.cpu / totals.product.requests;
  const reference_cpu_ms_per_req = totals.reference.cpu / totals.reference.requests;
  return {
    rounds: PAIR_ROUNDS,
    seconds: PAIR_SECONDS,
    product_cpu_ms_per_req,
    reference_cpu_ms_per_req,
    ratio: product_cpu_ms_per_req / reference_cpu_ms_per_req,
    round_ratios: ratios,
  };
}

/**
 * The platform's own floor, on the empty Worker (same bindings, no code): a constant response,
 * and one trivial D1 query (what a single round trip to local D1 costs in this runtime).
 */
function calibrator(load, idleOf) {
  return async (empty) => {
    const idle = await idleOf(empty.pid, 500);
    const out = {};
    for (const [name, path] of [
      ['constant', '/'],
      ['d1_round_trip', '/d1'],
    ]) {
      const s = { name: `calibration_${name}`, label: `Empty Worker ${path}`, request: { method: 'GET', path } };
      await load.run(httpCmd(empty, s, { connections: 4, duration: 1 }));
      const { result, cpu } = await measured(empty.pid, idle, () =>
        load.run(httpCmd(empty, s, { connections: SAT_CONNECTIONS, duration: ADJACENT_SECONDS })),
      );
      out[name] = {
        path,
        rps: result.rps,
        cpuMsPerRequest: cpu / result.responses,
        latency: result.latency,
        failed: result.non2xx + result.errors,
      };
    }
    out.d1RoundTripCpuMs = out.d1_round_trip.cpuMsPerRequest - out.constant.cpuMsPerRequest;
    return out;
  };
}

/**
 * D1 writes that stored a phase's messages: the room stores each batch with one timestamp, so the
 * distinct timestamps of the phase's messages count its writes (from outside, no hook in the Worker).
 */
async function d1Writes(server, room, seqStart, seqEnd) {
  const db = await server.mf.getD1Database('DB');
  const { results } = await db
    .prepare(
      `SELECT count(DISTINCT timestamp) AS n FROM chat_channel_messages
       WHERE channel_id = ?1 AND content LIKE 'bench-msg:%' AND CAST(substr(content, 11) AS INTEGER) BETWEEN ?2 AND ?3`,
    )
    .bind(room, seqStart, seqEnd - 1)
    .all();
  return results[0]?.n ?? null;
}

async function runChat(load, server, idle, tokens, room) {
  const url = new URL(`/api/chat/channels/${room}/ws/`, server.urls?.bench ?? server.url).href.replace(/^http/, 'ws');
  await load.run({ type: 'chat-connect', url, tokens, deflate: CHAT_DEFLATE, batch: CHAT_BATCH });
  const phases = [];
  let seqStart = 1;
  for (const p of [
    { key: 'fixed20', label: 'fixed: 20 msg/s from 10 senders', mode: 'rate', rate: 20, senders: 10 },
    { key: 'fixed100', label: 'fixed: 100 msg/s from 20 senders', mode: 'rate', rate: 100, senders: 20 },
    { key: 'closed', label: 'closed loop: 20 senders, ≤ 9 msg/s each', mode: 'closed', senders: 20, minGapMs: 111 },
  ]) {
    // `--profile=chat` samples the Worker isolate (the rooms included) during the 100 msg/s phase.
    let profile;
    if (PROFILE === 'chat' && p.key === 'fixed100') profile = await attachProfiler(INSPECTOR_PORT, 'bench');
    await profile?.start();
    const { result, cpu } = await measured(server.pid, idle, () =>
      load.run({ type: 'chat-run', ...p, seqStart, duration: PHASE_SECONDS }, (t) => {
        if (TTY)
          process.stdout.write(`\r\x1b[K[chat] ${p.label} · ${t.elapsed.toFixed(0)}s/${PHASE_SECONDS}s · ${t.total} messages`);
      }),
    );
    if (profile) {
      const hot = summariseProfile(await profile.stop(), join(OUT, 'chat.cpuprofile'));
      profile.close();
      log(`  profile of the Worker isolate (bench/out/chat.cpuprofile), share of busy time by self time:`);
      for (const line of hot.self) log(`    ${line}`);
      log('  …and by inclusive time:');
      for (const line of hot.inclusive) log(`    ${line}`);
    }
    const writes = await d1Writes(server, room, seqStart, result.seqEnd);
    seqStart = result.seqEnd;
    const phase = {
      ...result,
      key: p.key,
      label: p.label,
      mode: p.mode,
      cpuMs: cpu,
      cpuMsPerMessage: result.messages ? cpu / result.messages : null,
      d1Writes: writes,
      messagesPerWrite: writes ? result.messages / writes : null,
    };
    phases.push(phase);
    log(
      `[chat] ${p.label}: ${phase.messagesPerSecond.toFixed(1)} msg/s, ${phase.deliveriesPerSecond.toFixed(0)} deliveries/s, ` +
        `p50 ${phase.latency.p50?.toFixed(1)} ms, p99 ${phase.latency.p99?.toFixed(1)} ms, ${phase.missingDeliveries} lost, ${phase.cpuMsPerMessage?.toFixed(2)} ms CPU/msg, ` +
        `${phase.messagesPerWrite?.toFixed(2)} messages per D1 write`,
    );
  }
  // Everyone reconnects at once with ?since= after missing the last 100 messages (a network blip).
  const { result: replay, cpu: replayCpu } = await measured(server.pid, idle, () =>
    load.run({ type: 'chat-reconnect', url, tokens, missed: 100, deflate: CHAT_DEFLATE, batch: CHAT_BATCH }),
  );
  const reconnect = {
    ...replay,
    label: `reconnect: ${replay.clients} clients at once, each replaying ${replay.missed} messages`,
    cpuMs: replayCpu,
    cpuMsPerClient: replayCpu / replay.clients,
  };
  log(
    `[chat] ${reconnect.label}: replay complete after p50 ${reconnect.latency.p50?.toFixed(1)} ms, p99 ${reconnect.latency.p99?.toFixed(1)} ms, ` +
      `${reconnect.cpuMsPerClient.toFixed(2)} ms CPU per reconnect`,
  );
  await load.run({ type: 'chat-close' });
  const fixed100 = phases.find((p) => p.key === 'fixed100');
  return {
    clients: tokens.length,
    clientsReadBatchFrames: CHAT_BATCH,
    clientsOfferDeflate: CHAT_DEFLATE,
    room,
    phases,
    reconnect,
    // The issue-21 figures, under stable names.
    fixed100: {
      p99_ms: fixed100.latency.p99,
      lost: fixed100.missingDeliveries,
      cpu_ms_per_message: fixed100.cpuMsPerMessage,
    },
  };
}

// ---- main ----------------------------------------------------------------------------------

async function main() {
  log(
    `Benchmark on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(`[${elapsed()}] building the bundle (wrangler deploy --dry-run --outdir bench/out)…`);
  const bundle = build();
  await buildBenchWorkers();
  log(`[${elapsed()}] bundle: ${(bundle.bytes / 1024).toFixed(0)} KB, ${(bundle.gzipBytes / 1024).toFixed(1)} KB gzipped`);

  const config = await readWranglerConfig();
  const bindings = {
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENVIRONMENT: 'bench',
    EMAIL_TRANSPORT: 'console',
    // The chat phases send up to 9 messages/s per user, past the default per-user limit (30 per 10 s);
    // the limit's counter is still bumped and checked for every message.
    CHAT_POST_RATE: '1000/10',
  };
  const load = startLoadProcess();
  await load.ready;
  log(`[${elapsed()}] measuring start-up (bundle vs empty Worker, ${STARTUP_RUNS} runs each) and the empty Worker's floor…`);
  let server;
  try {
    const { startup, calibration } = await startAll(config, bindings, calibrator(load, idleRate));
    log(
      `[${elapsed()}] start-up: ${startup.worker.median.toFixed(0)} ms (empty Worker ${startup.empty.median.toFixed(0)} ms), ` +
        `workerd CPU ${startup.cpu.worker.toFixed(1)} ms vs ${startup.cpu.empty.toFixed(1)} ms (+${startup.cpu_ms_over_empty.toFixed(1)} ms); ` +
        `empty Worker: ${calibration.constant.cpuMsPerRequest.toFixed(2)} ms CPU/req, one D1 round trip +${calibration.d1RoundTripCpuMs.toFixed(2)} ms`,
    );

    let firstRequestsResult;
    if (wanted('first_requests')) {
      log(
        `[${elapsed()}] first request per module: ${COLD_RUNS} fresh isolate(s) each with the local database warmed first (the request's statements, from outside the Worker) and ${COLD_RUNS} with it cold, on a persisted copy of the bench data…`,
      );
      firstRequestsResult = await runFirstRequests(config, bindings);
      log(
        `[${elapsed()}] first request − warm request, CPU ms: ${Object.entries(firstRequestsResult)
          .map(([m, r]) => `${m} ${r.cpu_ms_over_warm.toFixed(1)} (database cold ${r.database_cold.cpu_ms_over_warm.toFixed(1)})`)
          .join(', ')}`,
      );
      for (const [m, r] of Object.entries(firstRequestsResult)) {
        if (!r.profile) continue;
        log(`  profile of the first request to ${m} (${r.profile.file.replace(`${ROOT}/`, '')}), by module evaluated:`);
        for (const line of r.profile.modules.slice(0, 12)) log(`    ${line}`);
      }
    }

    server = await startBenchServer(config, bindings);
    log(
      `[${elapsed()}] serving on ${server.urls.bench.href} (reference ${server.urls.reference.href}, empty Worker ${server.urls.platform.href}), workerd pid ${server.pid}`,
    );

    const db = await server.mf.getD1Database('DB');
    const files = await migrate(db);
    log(`[${elapsed()}] applied ${files} migration files; seeding…`);
    const t0 = performance.now();
    const seeded = await seed(db);
    const seedMs = performance.now() - t0;
    log(
      `[${elapsed()}] seeded ${Object.values(seeded.counts)
        .reduce((a, b) => a + b, 0)
        .toLocaleString('en-US')} rows in ${(seedMs / 1000).toFixed(1)} s`,
    );
    for (const note of seeded.notes) log(`  note: ${note}`);

    const token = await login(server.urls.bench, BENCH_USER.username, USER_PASSWORD);
    const runChatScenario = !ONLY || ONLY.includes('chat');
    const chatTokens = runChatScenario
      ? await pool(seeded.ids.chatUsers, 4, (u) => login(server.urls.bench, u, USER_PASSWORD))
      : [];
    log(
      `[${elapsed()}] signed in the bench user${runChatScenario ? ` and ${chatTokens.length} chat users` : ''} through POST /api/users/login/`,
    );

    const comparison = await compareReference(server, token);
    log(
      `[${elapsed()}] hand-written reference vs product, leads list: ${comparison.sameBody ? 'same body' : `DIFFERENT BODY (${comparison.difference})`}, ` +
        `${comparison.sameHeaders ? 'same headers' : `different headers ${JSON.stringify(comparison.headers)}`}`,
    );

    const idle = await idleRate(server.pid);
    log(`[${elapsed()}] workerd idle CPU: ${(idle * 1000).toFixed(1)} ms/s (subtracted from every measurement)`);

    const list = scenarios(seeded.ids, token);
    const { scenarios: http, paired } = await runHttp(load, server, idle, list);
    // Each scenario's CPU per request against the platform's one-query row (mean of the run's two)
    // and against the hand-written reference of the leads list.
    const byName = Object.fromEntries(http.map((s) => [s.name, s]));
    const oneQueryRows = ['one_query', 'one_query_end'].map((n) => byName[n]?.cpu_ms_per_req).filter((v) => v > 0);
    const oneQuery = oneQueryRows.length ? oneQueryRows.reduce((a, b) => a + b, 0) / oneQueryRows.length : null;
    const handwritten = byName.handwritten_leads_list?.cpu_ms_per_req ?? null;
    for (const s of http) {
      s.cpu_ratio_to_one_query = oneQuery ? s.cpu_ms_per_req / oneQuery : null;
      s.cpu_ratio_to_handwritten = handwritten ? s.cpu_ms_per_req / handwritten : null;
    }
    if (paired && byName.leads_list) byName.leads_list.cpu_ratio_to_handwritten_paired = paired.ratio;
    let chat;
    if (runChatScenario) {
      try {
        chat = await runChat(load, server, idle, chatTokens, seeded.ids.chatRoom);
      } catch (err) {
        log(`[chat] FAILED ${String(err?.stack ?? err).split('\n')[0]}`);
      }
    }

    const results = {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavgAtEnd: os.loadavg() },
      settings: {
        phaseSeconds: PHASE_SECONDS,
        fixedRate: FIXED_RATE,
        saturationConnections: SAT_CONNECTIONS,
        settleMs: SETTLE_MS,
        writeSettleMs: WRITE_SETTLE_MS,
        quick: QUICK,
        latencyConnections: LATENCY_CONNECTIONS,
        latencyRate: LATENCY_RATE,
        firstRequestRuns: COLD_RUNS,
      },
      d1_latency_ms: D1_LATENCY,
      bundle,
      startup,
      calibration,
      first_requests: firstRequestsResult,
      seed: { ms: seedMs, counts: seeded.counts, notes: seeded.notes },
      idleCpuMsPerSecond: idle * 1000,
      one_query_cpu_ms_per_req: oneQuery,
      handwritten: {
        leads_list: byName.handwritten_leads_list && {
          cpu_ms_per_req: handwritten,
          round_trips: byName.handwritten_leads_list.round_trips,
          paired,
        },
      },
      scenarios: byName,
      chat,
    };
    results.targets = checkTargets({
      scenarios: http,
      chat,
      bundle,
      startup,
      firstRequests: firstRequestsResult,
      d1Latency: D1_LATENCY,
    });
    results.wallSeconds = (performance.now() - wallStart) / 1000;

    const tables = [
      scenarioTable(http),
      latencyTable(http, D1_LATENCY),
      firstRequestTable(firstRequestsResult),
      chatTable(chat),
      bundleTable(bundle, startup, calibration),
      targetsTable(results.targets),
    ]
      .filter(Boolean)
      .join('\n\n');
    log('');
    log(tables);
    log('');
    log(`Total ${results.wallSeconds.toFixed(0)} s. Results written to bench/results.json.`);
    writeFileSync(join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (args.has('--readme')) updateReadme(tables, results);
  } finally {
    load.stop();
    await server?.mf.dispose();
  }
}

/** Rewrites the table between the README's bench markers. */
function updateReadme(tables, results) {
  const path = join(ROOT, 'README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- bench:results:start -->';
  const end = '<!-- bench:results:end -->';
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < a) {
    log('README.md has no bench markers; not updated.');
    return;
  }
  const when = `Latest run: ${results.date.slice(0, 10)}, ${results.machine.cpus} × ${results.machine.model}, Node ${results.machine.node}, ${results.wallSeconds.toFixed(0)} s in total.`;
  writeFileSync(path, `${readme.slice(0, a + start.length)}\n${when}\n\n${tables}\n${readme.slice(b)}`);
  log('README.md Benchmark section updated.');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
