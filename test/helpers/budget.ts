/**
 * Round-trip budgets (issue 16): calls operations through a D1 binding that counts round trips
 * (`countingD1`) and asserts each stays within its budget — a GET one round trip, authorization
 * included; a write two (the checks that must precede it, then one batch) — unless the test names an
 * exception and its reason. `pages()` checks that a page of 2 costs what a page of 20 costs, and
 * `uncovered()` lists the documented operations of a module the test never called.
 */
import { expect } from 'vitest';
import { countingD1 } from './db';
import { api, type ApiOptions } from './http';

interface Row {
  operation: string;
  request: string;
  trips: number;
  budget: number;
  reason?: string;
}

/** The operationIds the served OpenAPI document lists under a path prefix (e.g. `/api/field/`). */
export async function documentedOperations(pathPrefix: string): Promise<string[]> {
  const doc = (await api('/api/schema/')).json as { paths: Record<string, Record<string, { operationId: string }>> };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith(pathPrefix))
    .flatMap(([, item]) => Object.values(item).map((op) => op.operationId));
}

export class Budget {
  readonly rows: Row[] = [];

  /**
   * Calls `path` as `operation` with a counting D1 binding; asserts the status (2xx unless
   * `status` is given) and the round trips (GET 1, writes 2, or `max` with its `reason`).
   */
  async call(
    operation: string,
    path: string,
    opts: ApiOptions & { status?: number; max?: number; reason?: string } = {},
  ): Promise<{ status: number; json: any; text: string; trips: number }> {
    const DB = countingD1();
    const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
    const res = await api(path, { ...opts, env: { ...opts.env, DB } });
    const budget = opts.max ?? (method === 'GET' ? 1 : 2);
    if (opts.max !== undefined && opts.max > (method === 'GET' ? 1 : 2))
      expect(opts.reason, `${operation}: an exception to the budget needs its reason`).toBeTruthy();
    if (opts.status !== undefined) expect(res.status, `${operation} ${method} ${path}: ${res.text}`).toBe(opts.status);
    else expect(res.status, `${operation} ${method} ${path}: ${res.text}`).toBeLessThan(300);
    this.rows.push({ operation, request: `${method} ${path}`, trips: DB.trips, budget, reason: opts.reason });
    expect(
      DB.trips,
      `${operation} ${method} ${path}: ${DB.trips} D1 round trips, budget ${budget}; ${res.text.slice(0, 300)}`,
    ).toBeLessThanOrEqual(budget);
    // `max: 0` (with its reason) is a route that never reaches D1; every other one does, authorization included.
    if (opts.max === 0) expect(opts.reason, `${operation}: a route without D1 needs its reason`).toBeTruthy();
    else expect(DB.trips, `${operation}: it did reach D1 (authorization rides the first round trip)`).toBeGreaterThan(0);
    return { ...res, trips: DB.trips };
  }

  /** A list at page sizes 2 and 20: one round trip each, the same for both, and the larger page fuller. */
  async pages(operation: string, path: string, token: string) {
    const join = path.includes('?') ? '&' : '?';
    const small = await this.call(operation, `${path}${join}page_size=2`, { token });
    const large = await this.call(operation, `${path}${join}page_size=20`, { token });
    expect(small.json.results, `${operation}: a populated list (${small.text.slice(0, 200)})`).toHaveLength(2);
    expect(large.json.results.length, `${operation}: the page of 20 holds more rows`).toBeGreaterThan(2);
    expect(large.trips, `${operation}: a page of 20 costs what a page of 2 costs`).toBe(small.trips);
  }

  /** The documented operations under `pathPrefix` this budget never called. */
  async uncovered(pathPrefix: string): Promise<string[]> {
    const called = new Set(this.rows.map((r) => r.operation));
    return (await documentedOperations(pathPrefix)).filter((op) => !called.has(op));
  }

  /** The table of what each operation cost, for the test output. */
  print(title: string) {
    const width = Math.max(...this.rows.map((r) => r.operation.length));
    const lines = this.rows.map(
      (r) =>
        `${r.operation.padEnd(width)}  ${String(r.trips).padStart(2)} / ${r.budget}  ${r.request}${r.reason ? `  (${r.reason})` : ''}`,
    );
    console.log(`${title}: D1 round trips per operation (measured / budget)\n  ${lines.join('\n  ')}`);
  }
}
