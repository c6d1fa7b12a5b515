import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { isoMicros } from '../../src/db/columns';
import { storedTables } from '../helpers/storage';

/**
 * The tables the queue consumer writes, by their time column. A message a file before this one sent
 * is delivered up to the queue's `max_batch_timeout` (1 s) later, possibly after test/setup.ts
 * emptied storage for this file: such a row (a verification email in the dev mailbox) is newer than
 * the emptying. A row older than it is a leftover.
 */
const DELIVERED: Record<string, string> = { dev_mailbox: 'created_at', notifications: 'created_at', dead_letters: 'received_at' };

/**
 * The files share one isolate (vitest.config.ts), so storage outlives a file unless test/setup.ts
 * empties it: this file runs after others in the suite and must still find nothing of theirs.
 */
describe('each test file starts from empty storage', () => {
  it('no row in any table, no KV key and no stored file before the file writes anything', async () => {
    const tables = await storedTables();
    expect(tables).toEqual(expect.arrayContaining(['users', 'leads', 'bookings']));
    const emptiedAt = isoMicros((globalThis as { storageEmptiedAt?: number }).storageEmptiedAt ?? Date.now());
    const counts = await env.DB.batch(
      tables.map((t) =>
        DELIVERED[t]
          ? env.DB.prepare(`SELECT count(*) AS n FROM "${t}" WHERE "${DELIVERED[t]}" < ?`).bind(emptiedAt)
          : env.DB.prepare(`SELECT count(*) AS n FROM "${t}"`),
      ),
    );
    const nonEmpty = tables.filter((_, i) => (counts[i].results[0] as { n: number }).n > 0);
    expect(nonEmpty).toEqual([]);
    expect((await env.KV.list()).keys).toEqual([]);
    expect((await env.FILES.list()).objects).toEqual([]);
  });
});
