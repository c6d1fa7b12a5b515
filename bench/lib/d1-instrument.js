// Bench only: wraps a Worker so that its D1 binding counts round trips and, on request, makes each
// one cost `latencyMs` more (a client far from the D1 primary). The served bundle is never changed:
// bench/run.mjs serves `bench/out/bench-entry.js`, which imports the built Worker and wraps it here.
//
// A round trip is what leaves the Worker for D1: a statement run alone (`first`, `all`, `run`,
// `raw`), a `batch`, or an `exec`. Requests get their own wrapped binding, so `fetch` round trips
// are counted per request; the Durable Objects' and the queue consumer's are counted apart.
//
// Control paths (only on this wrapper): `GET /__bench/stats` answers the counters;
// `GET /__bench/latency?ms=N` sets the added latency per round trip; `GET /__bench/record` starts
// recording the statements requests send (their SQL and bound values) and `GET /__bench/recorded`
// answers them and stops (bench/lib/cold.mjs replays a request's statements to warm the local
// database before a Worker's first request).

const state = { latencyMs: 0, requests: 0, roundTrips: 0, backgroundRoundTrips: 0 };
const REAL = Symbol('real');
/** The statements requests sent since `/__bench/record`, or undefined when not recording. */
let recorded;
const record = (statement) => recorded?.push({ sql: statement.sql, params: statement.params });

const pause = () => (state.latencyMs > 0 ? scheduler.wait(state.latencyMs) : undefined);

class Statement {
  constructor(real, onTrip, sql, params = []) {
    this[REAL] = real;
    this.onTrip = onTrip;
    this.sql = sql;
    this.params = params;
  }
  bind(...values) {
    return new Statement(this[REAL].bind(...values), this.onTrip, this.sql, values);
  }
  trip() {
    this.onTrip();
    record(this);
    return pause();
  }
  async first(...args) {
    await this.trip();
    return this[REAL].first(...args);
  }
  async all(...args) {
    await this.trip();
    return this[REAL].all(...args);
  }
  async run(...args) {
    await this.trip();
    return this[REAL].run(...args);
  }
  async raw(...args) {
    await this.trip();
    return this[REAL].raw(...args);
  }
}

/** A D1 database (or session) whose round trips call `onTrip` and wait `latencyMs` first. */
function wrapD1(db, onTrip) {
  return {
    prepare: (sql) => new Statement(db.prepare(sql), onTrip, sql),
    async batch(statements) {
      onTrip();
      for (const s of statements) if (s instanceof Statement) record(s);
      await pause();
      return db.batch(statements.map((s) => s[REAL] ?? s));
    },
    async exec(sql) {
      onTrip();
      await pause();
      return db.exec(sql);
    },
    dump: () => db.dump(),
    getBookmark: () => db.getBookmark?.() ?? null,
    withSession: (constraint) => wrapD1(db.withSession(constraint), onTrip),
  };
}

const withD1 = (env, onTrip) => (env?.DB ? { ...env, DB: wrapD1(env.DB, onTrip) } : env);
const countRequestTrip = () => {
  state.roundTrips++;
};
const countBackgroundTrip = () => {
  state.backgroundRoundTrips++;
};

/** The wrapped Worker: `fetch` (with the control paths) and `queue`. */
export function instrument(worker) {
  const wrapped = {
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      if (url.pathname === '/__bench/stats') return Response.json(state);
      if (url.pathname === '/__bench/latency') {
        state.latencyMs = Math.max(0, Number(url.searchParams.get('ms')) || 0);
        return Response.json(state);
      }
      if (url.pathname === '/__bench/record') {
        recorded = [];
        return Response.json({ recording: true });
      }
      if (url.pathname === '/__bench/recorded') {
        const statements = recorded ?? [];
        recorded = undefined;
        return Response.json({ statements });
      }
      state.requests++;
      return worker.fetch(request, withD1(env, countRequestTrip), ctx);
    },
  };
  if (worker.queue) wrapped.queue = (batch, env, ctx) => worker.queue(batch, withD1(env, countBackgroundTrip), ctx);
  return wrapped;
}

/** A Durable Object class whose D1 round trips are counted (apart) and delayed like the Worker's. */
export function instrumentClass(Base) {
  return class extends Base {
    constructor(ctx, env) {
      super(ctx, withD1(env, countBackgroundTrip));
    }
  };
}
