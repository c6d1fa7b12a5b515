/**
 * Reference checks for soft-deletable targets: a soft-deleted row is as absent as a deleted one,
 * so it cannot be referenced (the kit's `foreignKeys` check only sees hard deletes).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { drf } from '../../core/errors';
import type { Db, Stmt } from '../../core/resource';

// biome-ignore lint/suspicious/noExplicitAny: generic over any table/schema/hook; the concrete types are checked at the call sites
type SoftTable = SQLiteTable & Record<string, any>;

/** DRF's message for a missing primary key. */
export const invalidPk = (value: unknown) => `Invalid pk "${value}" - object does not exist.`;

/** Checks that each referenced id (field -> table) exists and is not soft-deleted, in one round trip. */
export async function checkLiveRefs(db: Db, refs: Record<string, SoftTable>, values: Record<string, unknown>) {
  const checks = Object.entries(refs).filter(([field]) => typeof values[field] === 'number');
  if (!checks.length) return;
  const queries = checks.map(([field, table]) =>
    db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.id, values[field] as number), eq(table.is_deleted, false)))
      .limit(1),
  );
  const results = (await db.batch(queries as unknown as [Stmt, ...Stmt[]])) as unknown as unknown[][];
  const errors: Record<string, string[]> = {};
  checks.forEach(([field], i) => {
    if (!results[i].length) errors[field] = [invalidPk(values[field])];
  });
  if (Object.keys(errors).length) throw drf.fields(errors);
}

/** Checks a list of ids against a table; the first missing one is reported as DRF does for many=True. */
export async function checkIdList(db: Db, field: string, table: SoftTable, ids: number[]) {
  const wanted = [...new Set(ids)];
  if (!wanted.length) return;
  const found = new Set(
    (await db.select({ id: table.id }).from(table).where(inArray(table.id, wanted))).map((r) => r.id as number),
  );
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw drf.fields({ [field]: [invalidPk(missing)] });
}
