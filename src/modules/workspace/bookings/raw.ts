/**
 * Raw SQL statements that can go into `db.batch([...])`. drizzle 0.45's D1 batch binds each item's
 * parameters on `item._prepare().stmt`, which its raw queries (`db.all(sql)`, `db.run(sql)`) do not
 * have, so a raw query with parameters fails inside a batch ("Cannot read properties of undefined
 * (reading 'bind')"). These helpers give the raw query the prepared statement the batch expects;
 * awaited alone, it runs as usual.
 */
import type { SQL } from 'drizzle-orm';
import { clientOf, type Db } from '../../../db';

/** The raw query with the `stmt` drizzle's batch reads (its types do not declare it). */
function prepareForBatch<Q extends { getQuery(): { sql: string } }>(db: Db, query: Q): Q {
  return Object.assign(query, { stmt: clientOf(db).prepare(query.getQuery().sql) });
}

/** A raw SELECT (or statement with RETURNING) whose rows come back as objects, batchable. */
export const allStmt = <T>(db: Db, query: SQL) => prepareForBatch(db, db.all<T>(query));

/** A raw statement run for its effect, batchable. */
export const runStmt = (db: Db, query: SQL) => prepareForBatch(db, db.run(query));
