import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { storedTables } from '../helpers/storage';

/**
 * The files share one isolate (vitest.config.ts), so storage outlives a file unless test/setup.ts
 * empties it: this file runs after others in the suite and must still find nothing of theirs.
 */
describe('each test file starts from empty storage', () => {
  it('no row in any table, no KV key and no stored file before the file writes anything', async () => {
    const tables = await storedTables();
    expect(tables).toEqual(expect.arrayContaining(['users', 'leads', 'bookings']));
    const counts = await env.DB.batch(tables.map((t) => env.DB.prepare(`SELECT count(*) AS n FROM "${t}"`)));
    const nonEmpty = tables.filter((_, i) => (counts[i].results[0] as { n: number }).n > 0);
    expect(nonEmpty).toEqual([]);
    expect((await env.KV.list()).keys).toEqual([]);
    expect((await env.FILES.list()).objects).toEqual([]);
  });
});
