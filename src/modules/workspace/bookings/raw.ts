/**
 * Raw SQL statements that can go into `db.batch([...])`. drizzle 0.45's D1 batch binds each item's
 * parameters on `item._prepare().stmt`, which its raw queries (`db.all(sql)`, `db.run(sql)`) do not
 * have, so a raw query with parameters fails inside a batch ("Cannot read properties of undefined
 * (reading 'bind')"). These helpers give the raw query the prepared statement the batch expects;
 * awaited alone, it runs as usual.
 */
import type { SQL } from 'drizzle-orm';
import type { Db } from '../../../db';

function prepareForBatch<Q>(db: Db, query: Q): Q {
  // drizzle's types hide both the raw query's built SQL and the `stmt` its batch reads.
  const raw = query as unknown as { getQuery(): { sql: string }; stmt?: D1PreparedStatement };
  raw.stmt = (db as unknown as { $client: D1Database }).$client.prepare(raw.getQuery().sql);
  return query;
}

/** A raw SELECT (or statement with RETURNING) whose rows come back as objects, batchable. */
export const allStmt = <T>(db: Db, query: SQL) => prepareForBatch(db, db.all<T>(query));

/** A raw statement run for its effect, batchable. */
export const runStmt = (db: Db, query: SQL) => prepareForBatch(db, db.run(query));
