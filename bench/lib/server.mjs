/**
 * Serves the built Worker bundle through Miniflare's API (the runtime `wrangler dev` uses, without
 * its debugging proxy), with local D1, KV, Durable Objects, Queues and rate limits configured from
 * wrangler.toml, and finds the `workerd` process that runs it (for its CPU counters).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Log, LogLevel, Miniflare } from 'miniflare';

/**
 * Miniflare worker options equivalent to wrangler.toml's bindings. `config` is wrangler's
 * normalised config (`unstable_readConfig`). The auth rate limiter gets a limit no benchmark
 * reaches, so login is measured rather than throttled.
 */
export function workerOptions(config, { scriptPath, bindings }) {
  const queues = config.queues ?? {};
  return {
    name: 'bench',
    modules: true,
    scriptPath,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { ...(config.vars ?? {}), ...bindings },
    d1Databases: Object.fromEntries((config.d1_databases ?? []).map((d) => [d.binding, d.database_id ?? d.database_name])),
    kvNamespaces: (config.kv_namespaces ?? []).map((k) => k.binding),
    durableObjects: Object.fromEntries(
      (config.durable_objects?.bindings ?? []).map((b) => [
        b.name,
        {
          className: b.class_name,
          useSQLite: (config.migrations ?? []).some((m) => m.new_sqlite_classes?.includes(b.class_name)),
        },
      ]),
    ),
    queueProducers: Object.fromEntries((queues.producers ?? []).map((p) => [p.binding, { queueName: p.queue }])),
    queueConsumers: Object.fromEntries(
      (queues.consumers ?? []).map((q) => [
        q.queue,
        {
          maxBatchSize: q.max_batch_size,
          maxBatchTimeout: q.max_batch_timeout,
          maxRetries: q.max_retries,
          retryDelay: q.retry_delay,
          deadLetterQueue: q.dead_letter_queue,
        },
      ]),
    ),
    ratelimits: Object.fromEntries(
      (config.ratelimits ?? []).map((r) => [r.name, { simple: { limit: 1_000_000_000, period: 60 } }]),
    ),
  };
}

/** Pids of the live descendants of `root` whose command name is `name`. */
export function descendants(root, name) {
  const children = new Map();
  const comm = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      const ppid = Number(fields[1]);
      comm.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // the process exited while we looked
    }
  }
  const out = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    for (const child of children.get(pid) ?? []) {
      if (comm.get(child) === name) out.push(child);
      stack.push(child);
    }
  }
  return out;
}

/**
 * CPU time of a process's live threads in milliseconds, with nanosecond resolution (the sum of
 * /proc/<pid>/task/<tid>/schedstat): for short windows such as one request, where the 10 ms ticks
 * of /proc/<pid>/stat are too coarse. Threads that exit during the window lose their time.
 * `v8Background` is the part spent on V8's background threads (named `V8 DefaultWorke…`: the
 * concurrent compilers and the parallel and concurrent garbage collector); the rest is workerd's own
 * threads, the one that runs the isolates among them (locally, D1's SQLite too).
 */
export function threadsCpuMs(pid) {
  let ns = 0;
  let v8 = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const spent = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      ns += spent;
      if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').startsWith('V8 ')) v8 += spent;
    } catch {
      // the thread exited while we looked
    }
  }
  return { total: ns / 1e6, v8Background: v8 / 1e6 };
}

/** The `total` of `threadsCpuMs`: every live thread's CPU time, in milliseconds. */
export const cpuPreciseMs = (pid) => threadsCpuMs(pid).total;

/** User + system CPU time of a process, in milliseconds (from /proc/<pid>/stat, fields 14 and 15). */
export function cpuMs(pid, ticksPerSecond = 100) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * Starts Miniflare and waits for the first successful response of `probePath`. Returns the
 * instance, its URL, the workerd pid and the start-up times (ms): `ready` (listening) and
 * `firstResponse` (the first 2xx, which includes evaluating the bundle).
 */
export async function startServer(options, { probePath = '/', quiet = true, headers } = {}) {
  const before = new Set(descendants(process.pid, 'workerd'));
  const t0 = performance.now();
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    log: new Log(LogLevel.WARN),
    // The Worker's console output (e.g. the console mail transport) would flood the progress display.
    handleRuntimeStdio: quiet
      ? (stdout, stderr) => {
          stdout.resume();
          stderr.resume();
        }
      : undefined,
    ...options,
  });
  const url = await mf.ready;
  const ready = performance.now() - t0;
  for (;;) {
    const res = await fetch(new URL(probePath, url), { headers });
    await res.arrayBuffer();
    if (res.ok) break;
    if (performance.now() - t0 > 60_000) throw new Error(`${probePath} did not answer 2xx within 60 s (last ${res.status})`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const firstResponse = performance.now() - t0;
  const pids = descendants(process.pid, 'workerd').filter((p) => !before.has(p));
  if (pids.length !== 1) throw new Error(`expected one new workerd process, found ${pids.length}`);
  return { mf, url, pid: pids[0], startup: { ready, firstResponse } };
}
