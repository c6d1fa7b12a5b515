/**
 * First request per module (issue 16: "the first request to any module at most 30 ms of CPU more
 * than a warm one"). The Worker builds a module's routes and schemas the first time a request
 * reaches its prefix (src/app.ts), so the first request to each module in a fresh isolate pays for
 * that. For every module, in a fresh `workerd` (new Miniflare, the built bundle, the real bindings,
 * a persisted copy of the bench data): the start-up probe `GET /api/`, then the module's first
 * request, then `warm` more of the same request; the CPU of each is the workerd process's CPU over
 * that request (nanosecond resolution: bench/lib/server.mjs `threadsCpuMs`), every thread of it; the
 * first request's share on V8's background threads (compilers, GC helpers) is kept beside it. Every module is
 * measured first in its own isolate, so each figure is the worst case: nothing else warmed the
 * shared kit before it.
 *
 * The local database lives in the same `workerd` process (Miniflare's D1 is a Durable Object over
 * SQLite): its first query opens the file, and its first run of each statement prepares it and
 * reads its tables' pages. That is the simulator's CPU, in another isolate, and a deployed Worker
 * never spends it (D1 runs on its own servers, its statements long prepared). So the judged series
 * warms the local database first from outside the Worker: Miniflare's own D1 binding (its proxy,
 * another isolate running other code) runs the statements the module's request sends, recorded
 * once beforehand (`recordStatements`); the Worker's first request then costs what the Worker
 * itself spends. The series with the database cold, as this bench measured before, is kept beside
 * it (`database_cold`). A second series measures each module's first request after another
 * module's request warmed the isolate (the module's own share: its routes, schemas and code; the
 * module's statements replayed the same way), and two platform rows show what any Worker pays: the
 * empty Worker's first D1 query and the hand-written reference's first leads list.
 */
import { join } from 'node:path';
import { attachProfiler, summariseProfile } from './profiler.mjs';
import { startServer, threadsCpuMs } from './server.mjs';

/** One GET per module (the bench user may read each), and the OpenAPI document (built on first use). */
export const MODULE_PROBES = [
  { module: 'users', path: '/api/users/me/' },
  { module: 'accounts', path: '/api/accounts/departments/' },
  { module: 'field', path: '/api/field/leads/?page_size=20' },
  { module: 'finance', path: '/api/finance/invoices/' },
  { module: 'projects', path: '/api/projects/' },
  { module: 'tasks', path: '/api/tasks/' },
  { module: 'chat', path: '/api/chat/channels/' },
  { module: 'assistants', path: '/api/assistants/' },
  { module: 'notifications', path: '/api/notifications/' },
  { module: 'dashboard', path: '/api/dashboard/kpis/' },
  { module: 'content', path: '/api/content/categories/' },
  { module: 'social', path: '/api/social/posts/' },
  { module: 'workspace', path: '/api/workspace/workspaces/' },
  { module: 'openapi document', path: '/api/schema/', document: true },
  // The platform's own first request: the empty Worker's first D1 query in a fresh workerd (opening the
  // local database is part of every module's first request above, and is not the Worker's code).
  { module: 'platform: one D1 query (empty Worker)', path: '/d1', empty: true, probePath: '/' },
  // The limit beside the product: the hand-written reference's first leads list (bench/lib/reference-worker.js:
  // plain Hono, jose, one raw D1 batch), what any Worker serving that route pays in a fresh isolate.
  {
    module: 'platform: hand-written leads list (reference)',
    path: '/api/field/leads/?page_size=20',
    reference: true,
    probePath: '/',
  },
];

/**
 * The request that warms an isolate before a module's first request in the second series (another
 * module's list: the shared kit, the token check and D1 are then warm, and what is left is the
 * module's own routes, schemas and code).
 */
const warmUpFor = (module) => (module === 'notifications' ? '/api/users/me/' : '/api/notifications/');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Records the statements each probe's request sends (SQL and bound values), through the bench's
 * instrumented Workers (bench/lib/d1-instrument.js `/__bench/record`): `urls` has the product's
 * (`bench`), the hand-written reference's and the empty Worker's (`platform`), all on the database
 * the first-request phase copies. Only reads are expected: a probe that writes is refused.
 */
export async function recordStatements(urls, token) {
  const headers = { authorization: `Bearer ${token}` };
  const out = {};
  for (const probe of MODULE_PROBES) {
    if (probe.document) continue;
    const base = probe.empty ? urls.platform : probe.reference ? urls.reference : urls.bench;
    await (await fetch(new URL('/__bench/record', base))).arrayBuffer();
    const res = await fetch(new URL(probe.path, base), { headers });
    await res.arrayBuffer();
    const { statements } = await (await fetch(new URL('/__bench/recorded', base))).json();
    if (res.status !== 200) throw new Error(`${probe.path} answered ${res.status} while its statements were recorded`);
    const writes = statements.filter((st) => !/^\s*(select|with)\b/i.test(st.sql));
    if (writes.length) throw new Error(`${probe.path} writes (${writes[0].sql.slice(0, 60)}…): its statements are not replayed`);
    out[probe.module] = statements;
  }
  return out;
}

/**
 * Warms the local database from outside the Worker: one batch through Miniflare's own D1 binding
 * (its proxy, another isolate) that opens the file and runs the probe's recorded statements, so
 * the Worker's first request finds them prepared and their pages read, as a deployed D1 would.
 */
async function warmDatabase(server, statements = []) {
  const db = await server.mf.getD1Database('DB');
  await db.batch([db.prepare('SELECT 1'), ...statements.map((st) => db.prepare(st.sql).bind(...st.params))]);
}

async function timed(pid, url, headers) {
  const before = threadsCpuMs(pid);
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  const after = threadsCpuMs(pid);
  return { status: res.status, cpuMs: after.total - before.total, v8BackgroundMs: after.v8Background - before.v8Background };
}

/**
 * Measures every probe `runs` times in each series (a fresh isolate each: the database warmed
 * first with the probe's `statements` (`recordStatements`), then cold, alternately), with `warm`
 * warm requests after the first.
 * `options(i, probe)` gives the Miniflare options of instance `i` (the empty Worker for a probe
 * marked `empty`); `progress(line)` reports. `only` restricts the probes to some modules.
 *
 * `profile: {port, dir}` samples the Worker isolate with V8's profiler (through workerd's inspector
 * on `port`, which the options must open) during each module's first request of the first run, and
 * writes `<dir>/first-<module>.cpuprofile`; the result's `profile` holds the summary. The profiler
 * costs CPU itself: the CPU figures of a profiled run are not comparable with others.
 */
export async function firstRequests({ options, token, statements = {}, runs = 3, warm = 5, progress = () => {}, only, profile }) {
  const headers = { authorization: `Bearer ${token}` };
  const out = {};
  let instance = 0;
  for (const probe of MODULE_PROBES) {
    if (only && !only.includes(probe.module)) continue;
    let hot;
    const first = [];
    const firstV8 = [];
    const warmRuns = [];
    const cold = [];
    const statuses = new Set();
    // Runs alternate the two series (the database warmed first, then cold), so drift hits both alike.
    for (let r = 0; r < runs; r++)
      for (const warmed of [true, false]) {
        progress(`first request · ${probe.module} · run ${r + 1}/${runs}${warmed ? '' : ' · database cold'}`);
        const server = await startServer(options(instance++, probe), { probePath: probe.probePath ?? '/api/' });
        try {
          if (warmed) await warmDatabase(server, statements[probe.module]);
          const url = new URL(probe.path, server.url);
          const profiler = profile && r === 0 && warmed && !probe.empty ? await attachProfiler(profile.port, 'bench') : undefined;
          await profiler?.start();
          const f = await timed(server.pid, url, headers);
          if (profiler) {
            const file = join(profile.dir, `first-${probe.module.replace(/\W+/g, '-')}.cpuprofile`);
            hot = { file, ...summariseProfile(await profiler.stop(), file) };
            profiler.close();
          }
          statuses.add(f.status);
          const w = [];
          for (let i = 0; i < warm; i++) w.push((await timed(server.pid, url, headers)).cpuMs);
          if (warmed) {
            first.push(f.cpuMs);
            firstV8.push(f.v8BackgroundMs);
            warmRuns.push(median(w));
          } else cold.push(f.cpuMs - median(w));
        } finally {
          await server.mf.dispose();
        }
      }
    // Second series: the module's first request in an isolate another module's request warmed first.
    const afterOther = [];
    if (!probe.empty && !probe.reference && !probe.document)
      for (let r = 0; r < runs; r++) {
        progress(`first request after another module · ${probe.module} · run ${r + 1}/${runs}`);
        const server = await startServer(options(instance++, probe), { probePath: probe.probePath ?? '/api/' });
        try {
          const warmUp = await timed(server.pid, new URL(warmUpFor(probe.module), server.url), headers);
          if (warmUp.status !== 200) throw new Error(`warm-up request answered ${warmUp.status}`);
          await warmDatabase(server, statements[probe.module]);
          afterOther.push((await timed(server.pid, new URL(probe.path, server.url), headers)).cpuMs);
        } finally {
          await server.mf.dispose();
        }
      }
    const firstMs = median(first);
    const warmMs = median(warmRuns);
    out[probe.module] = {
      path: probe.path,
      document: !!probe.document,
      platform: !!(probe.empty || probe.reference),
      status: [...statuses],
      first_cpu_ms: firstMs,
      warm_cpu_ms: warmMs,
      cpu_ms_over_warm: firstMs - warmMs,
      // Of the first request's CPU, V8's background threads (compilers, GC helpers); a warm request's is under 1 ms.
      first_v8_background_cpu_ms: median(firstV8),
      // The statements replayed to warm the local database first (bench/lib/cold.mjs `warmDatabase`).
      statements_replayed: statements[probe.module]?.length ?? 0,
      // The same with the local database cold: its opening (the simulator's CPU) included.
      database_cold: { cpu_ms_over_warm: median(cold), runs: cold },
      ...(afterOther.length
        ? {
            after_other_module: {
              warm_up: warmUpFor(probe.module),
              cpu_ms_over_warm: median(afterOther) - warmMs,
              runs: afterOther,
            },
          }
        : {}),
      runs: { first, first_v8_background: firstV8, warm: warmRuns },
      ...(hot ? { profile: hot } : {}),
    };
  }
  return out;
}
