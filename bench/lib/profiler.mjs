/**
 * Optional (`--profile=<scenario>`): samples the Worker isolate with V8's profiler through
 * workerd's inspector while a scenario runs at saturation, and summarises where its time went.
 * Sample times are wall-clock, so on a busy machine they overstate CPU; read them as shares.
 */
import { writeFileSync } from 'node:fs';
import WebSocket from 'ws';

/** Attaches to the inspector target of the entry Worker (`core:user:<name>`). */
export async function attachProfiler(inspectorPort, workerName) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json();
  const target = targets.find((t) => t.id === `core:user:${workerName}`);
  if (!target) throw new Error(`no inspector target core:user:${workerName}`);
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let seq = 0;
  const pending = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  });
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++seq;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: 200 });
  return {
    start: () => call('Profiler.start'),
    async stop() {
      const res = await call('Profiler.stop');
      return res.result.profile;
    },
    close: () => ws.close(),
  };
}

const frameKey = (cf) =>
  `${cf.functionName || '(anonymous)'} ${cf.url ? cf.url.split('/').pop() : ''}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;

/** Top functions by self and by inclusive time, as shares of the isolate's busy time. */
export function summariseProfile(profile, path, top = 20) {
  writeFileSync(path, JSON.stringify(profile));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let busy = 0;
  const selfBy = new Map();
  const inclBy = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    if (cf.functionName === '(idle)') continue;
    busy += us;
    selfBy.set(frameKey(cf), (selfBy.get(frameKey(cf)) ?? 0) + us);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const key = frameKey(byId.get(cur).callFrame);
      if (key.startsWith('(root)') || seen.has(key)) continue;
      seen.add(key);
      inclBy.set(key, (inclBy.get(key) ?? 0) + us);
    }
  }
  const rank = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `${((v / busy) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return {
    busyMs: busy / 1000,
    self: rank(selfBy),
    inclusive: rank(inclBy),
    modules: rank(moduleEvaluation(byId, parent, self)),
  };
}

/** esbuild names each lazily evaluated module's init function after the module's path. */
const MODULE_INIT = /^(\.\.\/|src\/|node_modules\/).*\.(m?js|ts)$/;

/**
 * Busy time by the bundled module whose evaluation it was spent in (exclusive of the modules that
 * one imports), the rest under "(not module evaluation)": what a fresh isolate's first request pays
 * for evaluating code, module by module, against running the request.
 */
function moduleEvaluation(byId, parent, self) {
  const out = new Map();
  for (const [id, us] of self) {
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    let owner = '(not module evaluation)';
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      if (MODULE_INIT.test(name)) {
        owner = `evaluating ${name}`;
        break;
      }
    }
    out.set(owner, (out.get(owner) ?? 0) + us);
  }
  return out;
}
