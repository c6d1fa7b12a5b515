/**
 * Statements built once per isolate. drizzle builds a query's SQL text anew for every request, and
 * for a list page that costs about as much CPU as the rest of the request together (measured with
 * `npm run bench -- --profile=leads_list`: half a millisecond for the count, the page and the ids
 * of the page's children). The SQL text of a list depends only on its shape (table, where clause,
 * ordering), so the kit builds each shape once with drizzle and afterwards only splices in the
 * request's where clause and values:
 *
 * - `compile(build)` builds a statement with `WHERE_MARK` standing for the where clause and
 *   `sql.placeholder(name)` for per-request values (limit, offset);
 * - `bind(where, values)` is the statement for one request, as drizzle SQL (e.g. a subquery);
 * - `query(where, values)` is its text and parameters, and `rawStmt(db, query, map)` runs them in
 *   `db.batch` as they are (drizzle neither rebuilds the text nor maps the rows);
 * - `rowsOf(table, rows)` maps rows read this way as drizzle would (column keys, decoders);
 * - `subquery(query)` is a compiled subquery (a list page's ids) as drizzle SQL that also carries its
 *   text, so the statements built around it (`childrenStmt`, the children of a page) are compiled
 *   too and take the text as it is: drizzle would otherwise flatten the subquery's SQL again.
 *
 * The lists use these pieces directly: `rowsOf` maps a page's rows faster than drizzle does. Every
 * other statement built once per shape goes through `statement` (the kit's writes and row reads,
 * `insertStmt`, `updateStmt`, `deleteStmt`, `rowStmt`, `idsSubquery`, and the fixed statements of
 * the bookings, tasks and workspace routes), whose rows drizzle's own prepared query maps.
 */
import {
  and,
  Column,
  entityKind,
  fillPlaceholders,
  getTableColumns,
  getTableName,
  Param,
  SQL,
  type SQLChunk,
  StringChunk,
  sql,
} from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { SQLiteAsyncDialect, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { type AnyTable, clientOf, type Db, type Stmt } from './index';

/** Stands for the where clause in a compiled statement (never part of SQL drizzle builds). */
export const WHERE_MARK = sql.raw('/*where*/');
const MARK_TEXT = '/*where*/';

const dialect = new SQLiteAsyncDialect();

/** A where clause of one request: its text (the shape) and its text pieces around its values. */
export interface Where {
  sql: string;
  pieces: string[];
  params: unknown[];
}

/**
 * A where clause as text and values (`1` when there is none); undefined when its text holds a `?`
 * that is not a parameter (the caller then builds the statement per request).
 */
export function whereQuery(where: SQL | undefined): Where | undefined {
  const q = where ? dialect.sqlToQuery(where) : { sql: '1', params: [] };
  const pieces = q.sql.split('?');
  return pieces.length - 1 === q.params.length ? { sql: q.sql, pieces, params: q.params } : undefined;
}

/** Text pieces with their parameters between them, as drizzle SQL chunks (`pieces` is one longer). */
function pushPieces(chunks: SQLChunk[], pieces: string[], params: unknown[]) {
  pieces.forEach((piece, i) => {
    chunks.push(new StringChunk(piece));
    if (i < params.length) chunks.push(new Param(params[i]));
  });
}

/** A statement built once: its text split at the where marks and at its own parameters. */
export class Compiled {
  private constructor(
    /** Per part (between where marks): its text pieces around its own parameters. */
    private readonly pieces: string[][],
    /** Per part: its own parameters (values, or placeholders filled per request). */
    private readonly params: unknown[][],
  ) {}

  /**
   * Builds a statement with `WHERE_MARK` for the where clause; undefined when its text cannot be
   * split safely (a `?` that is not a parameter), so the caller builds per request instead.
   */
  static of(query: { sql: string; params: unknown[] }): Compiled | undefined {
    const pieces = query.sql.split(MARK_TEXT).map((part) => part.split('?'));
    const params: unknown[][] = [];
    let at = 0;
    for (const part of pieces) {
      params.push(query.params.slice(at, at + part.length - 1));
      at += part.length - 1;
    }
    return at === query.params.length ? new Compiled(pieces, params) : undefined;
  }

  /** The statement for one request: the where clause at every mark, placeholders filled. */
  bind(where: Where, values: Record<string, unknown> = {}): SQL {
    const chunks: SQLChunk[] = [];
    this.pieces.forEach((part, i) => {
      if (i > 0) pushPieces(chunks, where.pieces, where.params);
      pushPieces(chunks, part, fillPlaceholders(this.params[i], values));
    });
    return new SQL(chunks);
  }

  /** The statement for one request as text and parameters (what `bind` gives, without drizzle). */
  query(where: Where, values: Record<string, unknown> = {}): { sql: string; params: unknown[] } {
    let text = '';
    const params: unknown[] = [];
    this.pieces.forEach((part, i) => {
      if (i > 0) {
        text += where.sql;
        params.push(...where.params);
      }
      text += part.join('?');
      params.push(...fillPlaceholders(this.params[i], values));
    });
    return { sql: text, params };
  }
}

/**
 * A statement drizzle's `db.batch` runs as given: the shape drizzle's own prepared queries have in
 * a batch (`_prepare`, `getQuery`, `stmt`, `mapResult`), with D1's result handed to `map`.
 */
export class RawStatement<T> {
  /** What makes it a `Stmt` for drizzle's types (`RunnableQuery`): its dialect and result type. */
  declare readonly _: { readonly dialect: 'sqlite'; readonly result: T };
  constructor(
    private readonly client: D1Database,
    private readonly built: { sql: string; params: unknown[] },
    private readonly map: (result: D1Result<Record<string, unknown>>) => T,
  ) {}
  _prepare() {
    return this;
  }
  getQuery() {
    return this.built;
  }
  get stmt() {
    return this.client.prepare(this.built.sql);
  }
  mapResult(result: D1Result<Record<string, unknown>>) {
    return this.map(result);
  }
}

/** A statement for `db.batch` from text and parameters; its result is `map(rows)`. */
export function rawStmt<T>(db: Db, built: { sql: string; params: unknown[] }, map: (rows: Record<string, unknown>[]) => T): Stmt {
  return new RawStatement(clientOf(db), built, (result) => map(result.results));
}

/** What drizzle's query builders have and its types leave out: the prepared query a batch runs. */
interface Preparable {
  _prepare(): Prepared;
}
interface Prepared {
  getQuery(): { sql: string; params: unknown[] };
  /** The rows (or D1's result, for a write without `returning`) as drizzle hands them back from a batch. */
  mapResult(result: unknown, isFromBatch: true): unknown;
}

/** drizzle over no database: `statement` builds statements on it once (and the start-up warm-up, core/warm-up.ts); it never runs one. */
let offline: Db | undefined;
export const offlineDb = () => {
  offline ??= drizzle({ prepare: () => ({}) } as unknown as D1Database) as unknown as Db;
  return offline;
};

/** The statements of `statement` by shape, per isolate: their text cut at their values, and drizzle's own mapping. */
const statements = new Map<string, { compiled: Compiled | undefined; prepared: Prepared }>();

/**
 * A statement of a fixed shape, built by drizzle once per isolate under `key` and afterwards only
 * given the request's values: `build` makes it on drizzle over no database, with
 * `sql.placeholder(name)` for each of `values` and `where` (its second argument) where the
 * request's where clause goes. The where clause is built by drizzle for each request and its text
 * is part of the shape. The text and parameters are those drizzle builds for the request, and its
 * rows are mapped by drizzle's own prepared query (same keys, same decoders). A shape whose text
 * cannot be cut safely (a `?` that is not a parameter) is built for each request instead.
 */
export function statement<B>(
  db: Db,
  key: string,
  build: (q: Db, where: SQL) => B,
  values: Record<string, unknown> = {},
  where?: SQL,
): RawStatement<ResultOf<B>> {
  const clause = where ? whereQuery(where) : NO_WHERE;
  const shape = where && clause ? `${key}\u0000${clause.sql}` : key;
  let entry = clause ? statements.get(shape) : undefined;
  if (!entry) {
    const prepared = (build(offlineDb(), clause ? WHERE_MARK : (where as SQL)) as Preparable)._prepare();
    entry = { compiled: clause ? Compiled.of(prepared.getQuery()) : undefined, prepared };
    // Shapes come from code and from the request's where text; the bound keeps odd ones from growing it without end.
    if (clause && statements.size < 2000) statements.set(shape, entry);
  }
  const { compiled, prepared } = entry;
  let built: { sql: string; params: unknown[] };
  if (compiled) built = compiled.query(clause as Where, values);
  else {
    const query = prepared.getQuery();
    built = { sql: query.sql, params: fillPlaceholders(query.params, values) };
  }
  return new RawStatement(clientOf(db), built, (result) => prepared.mapResult(result, true) as ResultOf<B>);
}

/** What a drizzle statement gives in a batch (its rows, or D1's result for a write). */
export type ResultOf<B> = B extends { _: { result: infer R } } ? R : unknown;

/** Runs one statement (one of `statement`'s, or drizzle's) in a round trip of its own; what it gives in a batch. */
export async function runOne<S extends { _: { result: unknown } }>(db: Db, stmt: S): Promise<ResultOf<S>> {
  const [result] = await db.batch([stmt as unknown as Stmt]);
  return result as ResultOf<S>;
}

/** The where clause of a statement without one. */
const NO_WHERE: Where = { sql: '1', pieces: ['1'], params: [] };

/** Is `value` bound as a parameter by drizzle (not SQL, a column or a placeholder of its own)? */
const isPlain = (value: unknown) => {
  const type = value instanceof Object ? value.constructor : undefined;
  return !type || !(entityKind in type);
};

/** Per table, once per isolate: its name and its columns by key (`writeShape` reads their defaults). */
const writeColumns = new WeakMap<AnyTable, { name: string; columns: [string, SQLiteColumn][] }>();

function columnsOf(table: AnyTable) {
  let found = writeColumns.get(table);
  if (!found) {
    found = { name: getTableName(table), columns: Object.entries(getTableColumns(table)) as [string, SQLiteColumn][] };
    writeColumns.set(table, found);
  }
  return found;
}

/**
 * The values of a one-row insert or an update as `statement` takes them: drizzle's own per-request
 * values filled in (a `$defaultFn` on insert, an `$onUpdateFn` on both, as drizzle would call them),
 * placeholders for the others and the literal null for nulls (drizzle binds a null unencoded); the
 * shape names which columns are set and which are null. Undefined when a value is SQL (built per
 * request by drizzle).
 */
function writeShape(table: AnyTable, input: Record<string, unknown>, insert: boolean) {
  const { name, columns } = columnsOf(table);
  const marks: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  let shape = name;
  for (const [key, column] of columns) {
    let value = input[key];
    if (value === undefined) {
      // A constant default, or none (null), is the same for every request: drizzle writes it into the shape.
      if (insert && column.default == null && column.defaultFn) value = column.defaultFn();
      else if (column.onUpdateFn && (!insert || column.default == null)) value = column.onUpdateFn();
      if (value === undefined) continue;
    }
    if (!isPlain(value)) return undefined;
    shape += value === null ? `,${key}=null` : `,${key}`;
    marks[key] = value === null ? null : sql.placeholder(key);
    if (value !== null) values[key] = value;
  }
  return { shape, marks, values };
}

/** `insert into table ...` of one row, compiled once per shape (which columns are set, which null). */
export function insertStmt(db: Db, table: AnyTable, input: Record<string, unknown>): Stmt {
  const row = writeShape(table, input, true);
  if (!row) return db.insert(table).values(input);
  return statement(db, `insert\u0000${row.shape}`, (q) => q.insert(table).values(row.marks), row.values);
}

/** `update table set ... where <where>`, compiled once per shape (the columns set, the where clause's text). */
export function updateStmt(db: Db, table: AnyTable, set: Record<string, unknown>, where: SQL): Stmt {
  const row = writeShape(table, set, false);
  if (!row) return db.update(table).set(set).where(where);
  return statement(db, `update\u0000${row.shape}`, (q, w) => q.update(table).set(row.marks).where(w), row.values, where);
}

/** `delete from table where <where>`, compiled once per where shape. */
export function deleteStmt(db: Db, table: AnyTable, where: SQL): Stmt {
  return statement(db, `delete\u0000${columnsOf(table).name}`, (q, w) => q.delete(table).where(w), {}, where);
}

/** `select * from table where <where> limit 1` (drizzle's mapping), compiled once per where shape. */
export function rowStmt(db: Db, table: AnyTable, where: SQL): Stmt {
  return statement(db, `row\u0000${columnsOf(table).name}`, (q, w) => q.select().from(table).where(w).limit(1), {}, where);
}

/** `(select id from table where <where>)` compiled once per where shape, as a subquery `childrenStmt` compiles around. */
export function idsSubquery(db: Db, table: AnyTable, where: SQL): SQL {
  const ids = statement(
    db,
    `ids\u0000${columnsOf(table).name}`,
    (q, w) => q.select({ id: table.id }).from(table).where(w),
    {},
    where,
  );
  return subquery(ids.getQuery()) ?? sql`(select ${table.id} from ${table} where ${where})`;
}

/** Compiled statements by shape, per isolate (shapes are few: resources × orderings × where texts). */
const cache = new Map<string, Compiled | null>();

/** The statement of a shape, built on first use; undefined when it must be built per request. */
export function compiled(key: string, build: () => { sql: string; params: unknown[] }): Compiled | undefined {
  let found = cache.get(key);
  if (found === undefined) {
    found = Compiled.of(build()) ?? null;
    // A list's shapes come from its code and query parameters; the bound keeps hostile queries
    // (every ordering permutation) from growing the map without end.
    if (cache.size < 2000) cache.set(key, found);
  }
  return found ?? undefined;
}

/**
 * An object with `keys` in order, all null, for rows to start as copies of (`rowsOf`, and `pick` in
 * core/resource.ts): filling a copy stores into fields it already has.
 */
export const blankRow = (keys: string[]): Record<string, null> => Object.fromEntries(keys.map((key) => [key, null]));

/**
 * How `rowsOf` reads a table: per column its key, its name in SQL and its decoder (none where
 * drizzle's is the identity), and an object with every key in order (all null) that each row starts
 * as a copy of: filling it stores into fields it already has, where adding fields one by one under
 * varying names is V8's slow path (a list page does it thousands of times).
 */
interface RowReader {
  columns: [key: string, name: string, decode: ((value: unknown) => unknown) | undefined][];
  blank: Record<string, null>;
}
const readers = new WeakMap<AnyTable, RowReader>();

function readerOf(table: AnyTable): RowReader {
  let reader = readers.get(table);
  if (!reader) {
    const columns = Object.entries(getTableColumns(table)).map(([key, column]): RowReader['columns'][number] => {
      const c = column as SQLiteColumn;
      const identity = c.mapFromDriverValue === Column.prototype.mapFromDriverValue;
      return [key, c.name, identity ? undefined : (value) => c.mapFromDriverValue(value)];
    });
    reader = { columns, blank: blankRow(columns.map(([key]) => key)) };
    readers.set(table, reader);
  }
  return reader;
}

/** The keys of a table's rows (`rowsOf`, drizzle's `select()`), in order. */
export const rowKeys = (table: AnyTable): string[] => readerOf(table).columns.map(([key]) => key);

/** Rows of `select <every column> from table` as drizzle maps them: table keys, column decoders. */
export function rowsOf(table: AnyTable, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const { columns, blank } = readerOf(table);
  return rows.map((raw) => {
    const out: Record<string, unknown> = { ...blank };
    for (const [key, name, decode] of columns) {
      const value = raw[name];
      if (value !== null && value !== undefined) out[key] = decode ? decode(value) : value;
    }
    return out;
  });
}

/** The text of subqueries built by `subquery` (drizzle SQL objects are not extensible by type). */
const subqueryTexts = new WeakMap<SQL, { sql: string; params: unknown[] }>();

/**
 * A compiled statement as a parenthesised subquery: drizzle SQL (for statements drizzle builds) that
 * also carries its text and parameters (for statements compiled around it, `childrenQuery`).
 */
export function subquery(query: { sql: string; params: unknown[] }): SQL | undefined {
  const pieces = query.sql.split('?');
  if (pieces.length - 1 !== query.params.length) return undefined;
  const chunks: SQLChunk[] = [new StringChunk('(')];
  pushPieces(chunks, pieces, query.params);
  chunks.push(new StringChunk(')'));
  const out = new SQL(chunks);
  subqueryTexts.set(out, { sql: `(${query.sql})`, params: query.params });
  return out;
}

/**
 * `select * from table where fk in <parents> [and where] order by <order>` compiled once per shape,
 * for parents given by `subquery` (undefined otherwise: the caller builds it with drizzle). The
 * shape's key holds the where clause's and the order's text and values, which are the caller's.
 */
export function childrenQuery(db: Db, table: AnyTable, fk: SQLiteColumn, parents: SQL, where: SQL | undefined, order: SQL[]) {
  const ids = subqueryTexts.get(parents);
  if (!ids) return undefined;
  const w = where ? dialect.sqlToQuery(where) : undefined;
  const o = dialect.sqlToQuery(sql.join(order, sql`, `));
  const key = [
    'children',
    getTableName(table),
    fk.name,
    w?.sql ?? '',
    JSON.stringify(w?.params ?? []),
    o.sql,
    JSON.stringify(o.params),
  ].join('\u0000');
  const built = compiled(key, () =>
    db
      .select()
      .from(table)
      .where(and(sql`${fk} in ${WHERE_MARK}`, where))
      .orderBy(...order)
      .toSQL(),
  );
  return built && rawStmt(db, built.query({ sql: ids.sql, pieces: [], params: ids.params }), (rows) => rowsOf(table, rows));
}
