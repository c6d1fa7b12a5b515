/**
 * Database helpers shared by every module: the drizzle handle type, batch statements, and the
 * loaders that fetch related rows for a page of parents without a query per row.
 */
import { and, asc, inArray, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { childrenQuery } from './compiled';

/** drizzle over the request's D1 session. */
export type Db = DrizzleD1Database<Record<string, never>>;
/** A statement that can go into `db.batch([...])`. */
export type Stmt = BatchItem<'sqlite'>;
// biome-ignore lint/suspicious/noExplicitAny: any table; callers pass concrete drizzle tables
export type AnyTable = SQLiteTable & Record<string, any>;

/**
 * The D1 client under a drizzle handle (for statements drizzle cannot build, see db/compiled.ts).
 * Every `Db` is made by `drizzle(d1)`, whose type adds `$client`; `Db` names the class alone.
 */
export function clientOf(db: Db): D1Database {
  return (db as Db & { $client: D1Database }).$client;
}

/** Runs statements as one batch (one round trip, one transaction); nothing to run is no round trip. */
export async function runBatch(db: Db, stmts: Stmt[]): Promise<unknown[]> {
  if (!stmts.length) return [];
  return (await db.batch(stmts as [Stmt, ...Stmt[]])) as unknown[];
}

/**
 * The id of a row written earlier in the same batch, found by its uuid: lets one `db.batch`
 * insert a row and the rows that point at it (D1 runs the batch as one transaction).
 */
export const idByUuid = (table: AnyTable, uuid: string) =>
  sql<number>`(select ${table.id} from ${table} where ${table.uuid} = ${uuid})`;

/** Groups rows by the value of one of their keys. */
export function groupBy<T extends Record<string, unknown>>(rows: T[], key: string): Map<unknown, T[]> {
  const map = new Map<unknown, T[]>();
  for (const row of rows) {
    const k = row[key];
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/** The key under which a table exposes a column (`leadActions.lead` → `lead`). */
export function keyOf(table: AnyTable, column: SQLiteColumn): string {
  return Object.keys(table).find((k) => table[k] === column) ?? column.name;
}

/**
 * Child rows of a set of parents, as one statement to put in a batch: `parents` is a list of ids
 * or a subquery selecting them (e.g. the ids of a list page), so children come in the same round
 * trip as the page. Group the result with `groupBy(rows, keyOf(table, fk))`.
 */
export function childrenStmt(
  db: Db,
  table: AnyTable,
  fk: SQLiteColumn,
  parents: number[] | SQL,
  where?: SQL,
  order: SQL[] = [asc(table.id)],
): Stmt {
  // A list page's ids (`subquery`): the statement is compiled once per shape (db/compiled.ts).
  return (
    (Array.isArray(parents) ? undefined : childrenQuery(db, table, fk, parents, where, order)) ??
    childrenSelect(db, table, fk, parents, where, order)
  );
}

/** `childrenStmt` built by drizzle. */
function childrenSelect(
  db: Db,
  table: AnyTable,
  fk: SQLiteColumn,
  parents: number[] | SQL,
  where: SQL | undefined,
  order: SQL[],
) {
  return db
    .select()
    .from(table)
    .where(
      and(Array.isArray(parents) ? inArray(fk, parents.length ? [...new Set(parents)] : [-1]) : sql`${fk} in ${parents}`, where),
    )
    .orderBy(...order);
}

/**
 * Loads child rows for a page of parents in one query and groups them by parent id,
 * e.g. a lead's actions: `await childrenOf(db, leadActions, leadActions.lead, ids)`.
 */
export async function childrenOf<T extends Record<string, unknown>>(
  db: Db,
  table: AnyTable,
  fk: SQLiteColumn,
  parentIds: number[],
  where?: SQL,
  order: SQL[] = [asc(table.id)],
): Promise<Map<number, T[]>> {
  if (!parentIds.length) return new Map();
  const rows = (await childrenSelect(db, table, fk, parentIds, where, order)) as T[];
  return groupBy(rows, keyOf(table, fk)) as Map<number, T[]>;
}

/** Loads rows by id in one query: `byId(db, users, ids)`. */
export async function byId<T extends Record<string, unknown>>(db: Db, table: AnyTable, ids: (number | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((x): x is number => typeof x === 'number'))];
  const map = new Map<number, T>();
  if (!wanted.length) return map;
  const rows = (await db.select().from(table).where(inArray(table.id, wanted))) as T[];
  for (const row of rows) map.set(row.id as number, row);
  return map;
}

/**
 * Rows a set of parents refer to, as one statement for a batch: `select * from target where id in
 * (select fk from parents where id in ids)`, narrowed by `where` (e.g. live rows only). Index the
 * result with `indexById(rows)`.
 */
export function referencedStmt(db: Db, target: AnyTable, parentTable: AnyTable, fk: SQLiteColumn, parents: SQL, where?: SQL) {
  return db
    .select()
    .from(target)
    .where(and(sql`${target.id} in ${referencedIds(parentTable, fk, parents)}`, where));
}

/** The ids a set of parents refer to, as a subquery: `(select fk from parents where id in ids)`. */
export const referencedIds = (parentTable: AnyTable, fk: SQLiteColumn, parents: SQL) =>
  sql`(select ${fk} from ${parentTable} where ${parentTable.id} in ${parents})`;

/** Rows by id. */
export function indexById<T extends { id: unknown }>(rows: T[]): Map<T['id'], T> {
  return new Map(rows.map((r) => [r.id, r]));
}
