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
 */
import {
  and,
  Column,
  fillPlaceholders,
  getTableColumns,
  getTableName,
  Param,
  SQL,
  type SQLChunk,
  StringChunk,
  sql,
} from 'drizzle-orm';
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
 * a batch (`_prepare`, `getQuery`, `stmt`, `mapResult`), with the rows handed to `map`.
 */
class RawStatement<T> {
  /** What makes it a `Stmt` for drizzle's types (`RunnableQuery`): its dialect and result type. */
  declare readonly _: { readonly dialect: 'sqlite'; readonly result: T };
  constructor(
    private readonly client: D1Database,
    private readonly built: { sql: string; params: unknown[] },
    private readonly map: (rows: Record<string, unknown>[]) => T,
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
    return this.map(result.results);
  }
}

/** A statement for `db.batch` from text and parameters; its result is `map(rows)`. */
export function rawStmt<T>(db: Db, built: { sql: string; params: unknown[] }, map: (rows: Record<string, unknown>[]) => T): Stmt {
  return new RawStatement(clientOf(db), built, map);
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
