/** D1 access for tests: direct reads, a binding that counts round trips, and one held to production's limits. */
import { env } from 'cloudflare:test';

/** Counts rows of a table matching a WHERE clause (a direct read, e.g. for "nothing written" checks). */
export async function countRows(table: string, where = '1=1', ...params: unknown[]) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row!.n;
}

/**
 * A D1 binding that counts round trips (one per statement run alone, one per batch), sessions
 * included, over the test database: `const DB = countingD1(); await api(path, { env: { DB } }); DB.trips`.
 */
export function countingD1(real: D1Database = env.DB) {
  const counter = { trips: 0, statements: 0 };
  const realOf = new WeakMap<object, D1PreparedStatement>();
  const trip = () => {
    counter.trips++;
    counter.statements++;
  };
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const wrapper = {
      bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values)),
      first: (col?: string) => {
        trip();
        return col === undefined ? stmt.first() : stmt.first(col);
      },
      all: () => {
        trip();
        return stmt.all();
      },
      run: () => {
        trip();
        return stmt.run();
      },
      raw: (options?: { columnNames?: boolean }) => {
        trip();
        return options?.columnNames ? stmt.raw({ columnNames: true }) : stmt.raw();
      },
    };
    realOf.set(wrapper, stmt);
    // A partial D1PreparedStatement: the methods the Worker calls.
    return wrapper as unknown as D1PreparedStatement;
  };
  const wrapSession = (session: D1DatabaseSession | D1Database) => ({
    prepare: (query: string) => wrapStatement(session.prepare(query)),
    batch: (stmts: D1PreparedStatement[]) => {
      counter.trips++;
      counter.statements += stmts.length;
      return session.batch(stmts.map((s) => realOf.get(s) ?? s));
    },
    getBookmark: () => ('getBookmark' in session ? session.getBookmark() : null),
  });
  const db = {
    ...wrapSession(real),
    exec: (query: string) => real.exec(query),
    withSession: (constraint?: string) => wrapSession(real.withSession(constraint)),
    get trips() {
      return counter.trips;
    },
    get statements() {
      return counter.statements;
    },
    reset() {
      counter.trips = 0;
      counter.statements = 0;
    },
  };
  // A partial D1Database (no dump()), with the counters.
  return db as unknown as D1Database & { readonly trips: number; readonly statements: number; reset(): void };
}

/** D1's maximum LIKE or GLOB pattern length, in bytes (developers.cloudflare.com/d1/platform/limits/). */
export const D1_LIKE_PATTERN_BYTES = 50;

const encoder = new TextEncoder();

/** Positions (among the statement's `?` placeholders) of the parameters used as LIKE/GLOB patterns. */
function patternSlots(sql: string): number[] {
  const slots: number[] = [];
  const re = /\b(?:LIKE|GLOB)\s+\?/gi;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    const upTo = sql.slice(0, m.index + m[0].length);
    slots.push((upTo.match(/\?/g) ?? []).length - 1);
  }
  return slots;
}

function checkPatterns(sql: string, params: unknown[]) {
  for (const slot of patternSlots(sql)) {
    const value = params[slot];
    if (typeof value === 'string' && encoder.encode(value).length > D1_LIKE_PATTERN_BYTES)
      throw new Error('D1_ERROR: LIKE or GLOB pattern too complex: SQLITE_ERROR');
  }
}

/**
 * Wraps a D1 binding so that every statement is held to production D1's LIKE pattern limit. Local
 * D1 raises "LIKE or GLOB pattern too complex" only when a pattern over 50 bytes is compared with a
 * row, so a search over an empty list passes locally and fails in production as soon as the table
 * has a row; this binding checks every bound LIKE/GLOB pattern before the statement runs. (The
 * 100-bound-parameter limit is enforced by local D1 already.)
 */
export function productionLimitsD1(d1: D1Database = env.DB): D1Database {
  const inner = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = {
      bind: (...params: unknown[]) => {
        checkPatterns(sql, params);
        return wrap(stmt.bind(...params), sql);
      },
      all: (...a: []) => stmt.all(...a),
      raw: (...a: []) => stmt.raw(...a),
      first: (...a: []) => stmt.first(...a),
      run: (...a: []) => stmt.run(...a),
      // A partial D1PreparedStatement: the methods the Worker calls.
    } as unknown as D1PreparedStatement;
    inner.set(proxy, stmt);
    return proxy;
  };
  return {
    prepare: (sql: string) => wrap(d1.prepare(sql), sql),
    batch: (list: D1PreparedStatement[]) => d1.batch(list.map((s) => inner.get(s) ?? s)),
    exec: (sql: string) => d1.exec(sql),
    dump: () => d1.dump(),
    withSession: (...a: unknown[]) => (d1 as unknown as { withSession: (...x: unknown[]) => unknown }).withSession(...a),
  } as unknown as D1Database;
}
