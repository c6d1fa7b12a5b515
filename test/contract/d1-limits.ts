/**
 * Production D1's limits, enforced whatever the data. Local D1 raises "LIKE or GLOB pattern too
 * complex" only when a pattern over 50 bytes is compared with a row, so a search over an empty list
 * passes locally and fails in production as soon as the table has a row. This binding checks every
 * bound LIKE/GLOB pattern before the statement runs, so the contract suite finds the limit on empty
 * lists too. (The 100-bound-parameter limit is enforced by local D1 already.)
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import type { Bindings } from '../../src/env';
import type { ApiOptions } from '../helpers';

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

function check(sql: string, params: unknown[]) {
  for (const slot of patternSlots(sql)) {
    const value = params[slot];
    if (typeof value === 'string' && encoder.encode(value).length > D1_LIKE_PATTERN_BYTES)
      throw new Error('D1_ERROR: LIKE or GLOB pattern too complex: SQLITE_ERROR');
  }
}

/** Wraps a D1 binding so that every statement is held to production D1's LIKE pattern limit. */
export function productionLimitsD1(d1: D1Database): D1Database {
  const inner = new WeakMap<object, D1PreparedStatement>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const proxy = {
      bind: (...params: unknown[]) => {
        check(sql, params);
        return wrap(stmt.bind(...params), sql);
      },
      all: (...a: []) => stmt.all(...a),
      raw: (...a: []) => stmt.raw(...a),
      first: (...a: []) => stmt.first(...a),
      run: (...a: []) => stmt.run(...a),
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

let ip = 0;

/** `api()` of ../helpers, with the Worker's D1 held to production limits. */
export async function limitedApi(path: string, opts: ApiOptions = {}) {
  const headers: Record<string, string> = { 'cf-connecting-ip': opts.ip ?? `10.250.${(ip >> 8) & 255}.${ip++ & 255}` };
  Object.assign(headers, opts.headers ?? {});
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://api.test${path}`, { method: opts.method ?? (body ? 'POST' : 'GET'), headers, body }),
    { ...(env as Bindings), DB: productionLimitsD1(env.DB) } as never,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}
