/**
 * The bench's D1 wrapper (bench/lib/d1-instrument.js, bench only) records the statements a request
 * sends: the first-request phase replays them through Miniflare's own binding to warm the local
 * database before a Worker's first request (bench/lib/cold.mjs), so the judged figure is the
 * Worker's own CPU. A recording that lost statements or their values would leave the database
 * cold without a word; this test drives the product's users/me through the wrapper.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript of the bench, without types.
import { instrument } from '../../bench/lib/d1-instrument.js';
import worker from '../../src/index';
import { api, type FetchWorker } from '../helpers/http';
import { makeUser } from '../helpers/users';

interface Recorded {
  sql: string;
  params: unknown[];
}

const wrapped = instrument(worker) as FetchWorker;
const call = (path: string, token?: string) => api(path, { token, worker: wrapped, env: { LOG_EVENTS: 'off' } });

describe('bench D1 instrument', () => {
  it('records the statements of the requests between /__bench/record and /__bench/recorded, with their values', async () => {
    const user = await makeUser({ role: 'Staff' });
    await call('/__bench/record');
    const res = await call('/api/users/me/', user.token);
    expect(res.status).toBe(200);
    const { statements } = (await call('/__bench/recorded')).json as { statements: Recorded[] };
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.every((s) => /^\s*(select|with)\b/i.test(s.sql))).toBe(true);
    // The values travel with them: the caller's id is bound, and the statements run again as recorded.
    expect(statements.some((s) => s.params.includes(user.id))).toBe(true);
    const replayed = await env.DB.batch(statements.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
    expect(replayed.some((r) => r.results.length > 0)).toBe(true);
    // Recording stops with /__bench/recorded.
    await call('/api/users/me/', user.token);
    expect(((await call('/__bench/recorded')).json as { statements: Recorded[] }).statements).toEqual([]);
  });
});
