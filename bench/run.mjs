#!/usr/bin/env node
/**
 * `npm run bench`: builds the Worker bundle, serves it through Miniflare with local D1 / KV /
 * Durable Objects / Queues, seeds a realistic data set, and drives every scenario from a separate
 * load-generator process (bench/load.mjs), measuring latency, throughput, errors and the CPU the
 * `workerd` process spent per request. Prints a table and writes bench/results.json.
 *
 * Options: --quick (short phases, for trying the harness), --only=name,name (some scenarios; the
 * floor always runs), --profile=name (V8 profile of the Worker isolate during that scenario),
 * --readme (also rewrite the results in README.md's Benchmark section).
 */
import { fork, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { bundleTable, chatTable, checkTargets, scenarioTable, targetsTable } from './lib/report.mjs';
import { BENCH_USER, USER_PASSWORD, seed } from './lib/seed.mjs';
import { attachProfiler, summariseProfile } from './lib/profiler.mjs';
import { cpuMs, startServer, workerOptions } from './lib/server.mjs';

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

/**
 * Start-up: the bundle vs an empty Worker with the same bindings, alternately, three times each
 * (median). The last bundle instance is kept running for the scenarios.
 */
async function startAll(config, bindings, calibrate) {
  const opts = (scriptPath) => ({
    ...workerOptions(config, { scriptPath, bindings }),
    cf: false,
    inspectorPort: PROFILE ? INSPECTOR_PORT : undefined,
  });
  const times = { worker: [], empty: [] };
  const cpu = { worker: [], empty: [] };
  let server;
  let calibration;
  for (let i = 0; i < 3; i++) {
    const empty = await startServer(opts(join(ROOT, 'bench/lib/empty-worker.js')), { probePath: '/' });
    times.empty.push(empty.startup.firstResponse);
    cpu.empty.push(cpuMs(empty.pid));
    if (i === 0) calibration = await calibrate(empty);
    await empty.mf.dispose();
    server = await startServer(opts(join(OUT, 'index.js')), { probePath: '/api/' });
    times.worker.push(server.startup.firstResponse);
    cpu.worker.push(cpuMs(server.pid));
    if (i < 2) await server.mf.dispose();
  }
  const startup = {
    worker: { runs: times.worker, median: median(times.worker) },
    empty: { runs: times.empty, median: median(times.empty) },
    bundleCost: median(times.worker) - median(times.empty),
    cpu: { worker: median(cpu.worker), empty: median(cpu.empty) },
  };
  return { server, startup, calibration };
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
  ].filter((s) => !ONLY || ONLY.includes(s.name) || s.name === 'floor');
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

/** The load of one phase against a scenario: `cmd` for the load process. */
const httpCmd = (server, s, extra) => ({
  type: 'http',
  key: s.name,
  url: new URL('/', server.url).href.replace(/\/$/, ''),
  request: s.request,
  ...extra,
});

async function runHttp(load, server, idle, list) {
  const out = [];
  const floor = list.find((s) => s.name === 'floor');
  let floorEntry;
  for (const [i, s] of list.entries()) {
    try {
      out.push(await runScenario(i, s));
    } catch (err) {
      // One broken scenario (a route that changed, a seed that no longer fits) must not hide the others.
      log(`[${i + 1}/${list.length}] ${s.label}: FAILED ${String(err?.stack ?? err).split('\n')[0]}`);
    }
  }
  return { scenarios: out, floor: floorEntry };

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
    if (PROFILE === s.name) profile = await attachProfiler(INSPECTOR_PORT, 'bench');
    await profile?.start();
    const saturation = await phase('saturation', s, { connections: SAT_CONNECTIONS });
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
      ratioToFloor: saturation.rps / ref.rps,
      cpuRatioToFloor: saturation.cpuMsPerRequest / ref.cpuMsPerRequest,
      fixed,
      saturation,
      adjacentFloor: adjacent && { rps: adjacent.rps, cpuMsPerRequest: adjacent.cpuMsPerRequest, latency: adjacent.latency },
      profile: hot,
    };
    if (s.name === 'floor') floorEntry = entry;
    const samples = [...fixed.samples, ...saturation.samples];
    log(
      `[${i + 1}/${list.length}] ${s.label}: ${saturation.rps.toFixed(0)} req/s (${entry.ratioToFloor.toFixed(2)} × floor), ` +
        `p99 @${FIXED_RATE}/s ${fixed.latency.p99?.toFixed(1)} ms, ${saturation.cpuMsPerRequest?.toFixed(2)} ms CPU/req ` +
        `(floor ${ref.cpuMsPerRequest?.toFixed(2)}), ${fixed.failed + saturation.failed} errors` +
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
  const url = new URL(`/api/chat/channels/${room}/ws/`, server.url).href.replace(/^http/, 'ws');
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
  log(`[${elapsed()}] measuring start-up (bundle vs empty Worker, 3 runs each) and the empty Worker's floor…`);
  let server;
  try {
    const started = await startAll(config, bindings, calibrator(load, idleRate));
    server = started.server;
    const { startup, calibration } = started;
    log(
      `[${elapsed()}] start-up: ${startup.worker.median.toFixed(0)} ms (empty Worker ${startup.empty.median.toFixed(0)} ms); ` +
        `empty Worker: ${calibration.constant.cpuMsPerRequest.toFixed(2)} ms CPU/req, one D1 round trip +${calibration.d1RoundTripCpuMs.toFixed(2)} ms; ` +
        `serving on ${server.url.href}, workerd pid ${server.pid}`,
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

    const token = await login(server.url, BENCH_USER.username, USER_PASSWORD);
    const runChatScenario = !ONLY || ONLY.includes('chat');
    const chatTokens = runChatScenario ? await pool(seeded.ids.chatUsers, 4, (u) => login(server.url, u, USER_PASSWORD)) : [];
    log(
      `[${elapsed()}] signed in the bench user${runChatScenario ? ` and ${chatTokens.length} chat users` : ''} through POST /api/users/login/`,
    );

    const idle = await idleRate(server.pid);
    log(`[${elapsed()}] workerd idle CPU: ${(idle * 1000).toFixed(1)} ms/s (subtracted from every measurement)`);

    const list = scenarios(seeded.ids, token);
    const { scenarios: http } = await runHttp(load, server, idle, list);
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
      },
      bundle,
      startup,
      calibration,
      seed: { ms: seedMs, counts: seeded.counts, notes: seeded.notes },
      idleCpuMsPerSecond: idle * 1000,
      scenarios: http,
      chat,
    };
    results.targets = checkTargets({ scenarios: http, chat, bundle });
    results.wallSeconds = (performance.now() - wallStart) / 1000;

    const tables = [
      scenarioTable(http),
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
