/**
 * The load generator: a separate Node process (forked by bench/run.mjs) so the client's CPU never
 * counts as the server's. It takes commands over IPC and answers with results:
 * - `http`: one autocannon run (fixed offered rate or saturation) against a scenario;
 * - `chat-connect` / `chat-run` / `chat-close`: WebSocket clients of one chat room, measuring
 *   delivery latency of every message to every client.
 * Progress (`tick`) messages go to the parent once a second.
 */
import autocannon from 'autocannon';
import WebSocket from 'ws';

const send = (msg) => process.send?.(msg);

/** Percentiles of a list of numbers (ms). */
function summary(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : null);
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : null;
  return {
    count: sorted.length,
    mean,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: sorted.length ? sorted[sorted.length - 1] : null,
  };
}

/** Counters shared by every run of a scenario, so generated slots and ids never repeat. */
const counters = new Map();
const nextOf = (key) => {
  const n = counters.get(key) ?? 0;
  counters.set(key, n + 1);
  return n;
};

/**
 * Turns a declarative request spec into autocannon's `requests` entry:
 * - `vary: {kind: 'path', list}` rotates the path, `{kind: 'body', list}` the JSON body;
 * - `vary: {kind: 'booking', spaces, startMs}` books each space in turn for one hour, moving an
 *   hour later once every space has been used, so no two requests ever ask for the same slot.
 */
function requestOf(key, spec) {
  const headers = { 'content-type': 'application/json', ...spec.headers };
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  const req = { method: spec.method, path: spec.path, headers, body };
  const vary = spec.vary;
  if (!vary) return req;
  req.setupRequest = (request) => {
    const n = nextOf(key);
    if (vary.kind === 'path') request.path = vary.list[n % vary.list.length];
    else if (vary.kind === 'body') request.body = JSON.stringify(vary.list[n % vary.list.length]);
    else if (vary.kind === 'booking') {
      const space = vary.spaces[n % vary.spaces.length];
      const start = vary.startMs + Math.floor(n / vary.spaces.length) * 3_600_000;
      request.body = JSON.stringify({
        space_id: space,
        booking_type: 'hourly',
        start: new Date(start).toISOString(),
        end: new Date(start + 3_600_000).toISOString(),
      });
    }
    return request;
  };
  return req;
}

/** One autocannon run; resolves with the figures the parent reports. */
function runHttp(cmd) {
  return new Promise((resolve, reject) => {
    const latencies = [];
    const samples = [];
    const request = requestOf(cmd.key, cmd.request);
    request.onResponse = (status, body) => {
      if ((status < 200 || status >= 300) && samples.length < 3) samples.push({ status, body: String(body).slice(0, 300) });
    };
    const started = performance.now();
    const instance = autocannon(
      {
        url: cmd.url,
        connections: cmd.connections,
        duration: cmd.duration,
        amount: cmd.amount,
        overallRate: cmd.overallRate,
        timeout: 30,
        requests: [request],
      },
      (err, result) => {
        if (err) return reject(err);
        const elapsed = (performance.now() - started) / 1000;
        const responses = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
        resolve({
          responses,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)])),
          seconds: elapsed,
          rps: responses / elapsed,
          latency: summary(latencies),
          samples,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    let total = 0;
    instance.on('tick', ({ counter }) => {
      total += counter;
      send({ id: cmd.id, type: 'tick', counter, total, elapsed: (performance.now() - started) / 1000 });
    });
  });
}

// ---- chat ----------------------------------------------------------------------------------

let clients = [];
/** seq -> {sent, received, senderIndex} for messages of the current run. */
let inflight = new Map();
let deliveries = [];
let onOwnEcho = () => {};

const PREFIX = 'bench-msg:';
/** Ids of the bench messages the first client received, in order (for the reconnect phase). */
const seenIds = [];

/** Connects one client per token to the room and waits until every one is open. */
async function chatConnect(cmd) {
  inflight = new Map();
  clients = await Promise.all(
    cmd.tokens.map(
      (token, index) =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(`${cmd.url}?token=${encodeURIComponent(token)}${cmd.batch ? '&batch=1' : ''}`, {
            perMessageDeflate: cmd.deflate,
          });
          ws.on('open', () => resolve(ws));
          ws.on('error', reject);
          ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
          ws.on('message', (data) => {
            const now = performance.now();
            let frame;
            try {
              frame = JSON.parse(String(data));
            } catch {
              return;
            }
            for (const f of frame.type === 'batch' ? frame.frames : [frame]) {
              if (f.type !== 'message' || !f.message?.content?.startsWith(PREFIX)) continue;
              if (index === 0) seenIds.push(f.message.id);
              const seq = Number(f.message.content.slice(PREFIX.length));
              const m = inflight.get(seq);
              if (!m) continue;
              m.received += 1;
              deliveries.push(now - m.sent);
              if (m.sender === index) onOwnEcho(index, seq);
            }
          });
        }),
    ),
  );
  // Let the presence frames of 100 joins settle before measuring.
  await new Promise((r) => setTimeout(r, 500));
  return { connected: clients.length };
}

/**
 * Sends messages and measures their delivery to every client.
 * - `mode: 'rate'`: `rate` messages per second in total, spread over `senders` clients;
 * - `mode: 'closed'`: each of `senders` clients sends its next message as soon as its previous one
 *   came back (at most one in flight each, and never faster than the room's 10 frames/s per socket).
 */
async function chatRun(cmd) {
  inflight = new Map();
  deliveries = [];
  let seq = cmd.seqStart;
  const senders = clients.slice(0, cmd.senders);
  const lastSent = new Array(senders.length).fill(-Infinity);
  const sendFrom = (index) => {
    const s = seq++;
    inflight.set(s, { sent: performance.now(), received: 0, sender: index });
    lastSent[index] = performance.now();
    senders[index].send(JSON.stringify({ type: 'message', content: `${PREFIX}${s}` }));
  };
  const started = performance.now();
  const endAt = started + cmd.duration * 1000;
  let stopped = false;
  const ticker = setInterval(() => {
    const elapsed = (performance.now() - started) / 1000;
    send({ id: cmd.id, type: 'tick', counter: 0, total: inflight.size, elapsed });
  }, 1000);
  if (cmd.mode === 'rate') {
    const interval = 1000 / cmd.rate;
    let n = 0;
    await new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        if (now >= endAt) return resolve();
        while (started + n * interval <= now) sendFrom(n++ % senders.length);
        setTimeout(tick, Math.max(1, started + n * interval - performance.now()));
      };
      tick();
    });
  } else {
    const minGap = cmd.minGapMs;
    onOwnEcho = (index) => {
      if (stopped) return;
      const wait = Math.max(0, lastSent[index] + minGap - performance.now());
      setTimeout(() => !stopped && performance.now() < endAt && sendFrom(index), wait);
    };
    for (let i = 0; i < senders.length; i++) sendFrom(i);
    await new Promise((r) => setTimeout(r, cmd.duration * 1000));
  }
  stopped = true;
  const sendingSeconds = (performance.now() - started) / 1000;
  // Grace period for the last messages to arrive everywhere.
  const expected = clients.length;
  const graceEnd = performance.now() + 5000;
  while ([...inflight.values()].some((m) => m.received < expected) && performance.now() < graceEnd)
    await new Promise((r) => setTimeout(r, 50));
  clearInterval(ticker);
  onOwnEcho = () => {};
  const messages = inflight.size;
  const complete = [...inflight.values()].filter((m) => m.received >= expected).length;
  const missing = [...inflight.values()].reduce((n, m) => n + Math.max(0, expected - m.received), 0);
  return {
    messages,
    complete,
    missingDeliveries: missing,
    deliveries: deliveries.length,
    seconds: sendingSeconds,
    messagesPerSecond: messages / sendingSeconds,
    deliveriesPerSecond: deliveries.length / sendingSeconds,
    latency: summary(deliveries),
    seqEnd: seq,
  };
}

/**
 * Every client disconnects, then all reconnect at once with `?since=` set `missed` messages back
 * (as after a network blip): measures, per client, the time from opening the socket to having
 * received the `missed` replayed messages.
 */
async function chatReconnect(cmd) {
  const since = seenIds[seenIds.length - 1 - cmd.missed];
  if (since === undefined) throw new Error(`only ${seenIds.length} messages seen; cannot replay ${cmd.missed}`);
  await chatClose();
  const started = performance.now();
  const times = await Promise.all(
    cmd.tokens.map(
      (token) =>
        new Promise((resolve, reject) => {
          const t0 = performance.now();
          const ws = new WebSocket(`${cmd.url}?token=${encodeURIComponent(token)}&since=${since}${cmd.batch ? '&batch=1' : ''}`, {
            perMessageDeflate: cmd.deflate,
          });
          let replayed = 0;
          ws.on('error', reject);
          ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
          ws.on('message', (data) => {
            const frame = JSON.parse(String(data));
            for (const f of frame.type === 'batch' ? frame.frames : [frame]) if (f.type === 'message') replayed += 1;
            if (replayed === cmd.missed) resolve({ ws, ms: performance.now() - t0 });
          });
          setTimeout(() => reject(new Error(`replay incomplete after 30 s: ${replayed} of ${cmd.missed}`)), 30_000);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  clients = times.map((t) => t.ws);
  return {
    clients: times.length,
    missed: cmd.missed,
    replayedMessages: times.length * cmd.missed,
    seconds,
    latency: summary(times.map((t) => t.ms)),
  };
}

async function chatClose() {
  await Promise.all(
    clients.map(
      (ws) =>
        new Promise((resolve) => {
          if (ws.readyState === WebSocket.CLOSED) return resolve();
          ws.once('close', resolve);
          ws.close(1000, 'bench done');
          setTimeout(resolve, 2000);
        }),
    ),
  );
  clients = [];
  return { closed: true };
}

const handlers = {
  http: runHttp,
  'chat-connect': chatConnect,
  'chat-run': chatRun,
  'chat-reconnect': chatReconnect,
  'chat-close': chatClose,
};

process.on('message', async (cmd) => {
  if (cmd.type === 'exit') process.exit(0);
  try {
    const result = await handlers[cmd.type](cmd);
    send({ id: cmd.id, type: 'result', result });
  } catch (err) {
    send({ id: cmd.id, type: 'error', error: String(err?.stack ?? err) });
  }
});
send({ type: 'ready' });
