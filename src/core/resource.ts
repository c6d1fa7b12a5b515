/**
 * The resource kit. A Tamiti resource is declared once (table, zod schemas, permissions, search,
 * ordering, filters, hooks) and `mountResource` produces list / create / retrieve / update /
 * partial_update / destroy with their OpenAPI definitions, DRF pagination, soft delete and errors,
 * plus the list views and nested paths the declaration asks for. Each action is a route (from the
 * route kit) and a handler; a declaration may replace one action's handler (`override`) while
 * keeping its route, guard and docs.
 *
 * Round trips (see db/session.ts: the caller's authorization rides the first one):
 * - list and retrieve are one batch: count, page and what `expansion` loads for the page;
 * - writes are at most two: the checks that must precede the write (existing row, references,
 *   `checks`), then one batch with the write, its side effects, the read-back and the expansion.
 *
 * Conventions the kit relies on:
 * - table keys are the wire field names (snake_case; a foreign key `party` may live in `party_id`);
 * - every table has an integer `id` primary key;
 * - every multi-row write runs as one `db.batch` (D1 runs a batch as one transaction).
 */
import { idParam } from './router';
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, getTableColumns, getTableName, inArray, is, or, type SQL, sql } from 'drizzle-orm';
import { type SelectedFields, type SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Context } from 'hono';
import { type AnyTable, type Db, runBatch, type Stmt } from '../db';
import {
  blankRow,
  compiled,
  deleteStmt,
  idsSubquery,
  insertStmt,
  rawStmt,
  rowKeys,
  rowStmt,
  rowsOf,
  runOne,
  statement,
  subquery,
  updateStmt,
  WHERE_MARK,
  whereQuery,
} from '../db/compiled';
import { isoMicros, nowIso } from '../db/columns';
import type { AppEnv, Bindings } from '../env';
import { currentUser } from '../middleware/auth';
import { constraintViolation, drf, type FieldErrors } from './errors';
import {
  discardUploads,
  type FileField,
  fileDeleteEvent,
  ownFileUrls,
  presentFileFields,
  releasedKeys,
  storeUploadsFor,
} from './files';
import { utcMicros } from './fields';
import type { OutboundEvent } from './events';
import { pageParams, pageRequest, paginate, paginated } from './pagination';
import { describedMount } from '../openapi/describe';
import { route } from './route';
import type { Actor, AuthedScope } from './scope';

export { byId, childrenOf, idByUuid } from '../db';
export type { Db, Stmt } from '../db';

export type Action = 'list' | 'create' | 'retrieve' | 'update' | 'partial_update' | 'destroy';
/** A row of a table typed loosely: what the kit itself handles, whatever the resource. */
export type Row = Record<string, unknown> & { id: number };
/**
 * A row of a resource's table as drizzle reads it (`typeof table.$inferSelect`), what the hooks of a
 * `ResourceDef<typeof table>` receive; `Row` for a table typed loosely (`ResourceDef` alone).
 */
export type RowOf<T extends AnyTable> = AnyTable extends T ? Row : T['$inferSelect'];
// biome-ignore lint/suspicious/noExplicitAny: any object schema; resources declare concrete ones
type AnyObject = z.ZodObject<any>;

/** What hooks receive: the request scope, its db handle and the caller. */
export interface Kit {
  s: AuthedScope;
  db: Db;
  user: Actor;
  env: Bindings;
  /** The Hono context, for the few custom routes that still need it (cookies, raw body). */
  c: Context<AppEnv>;
}

/** What an `after` hook returns: events to publish, or nothing. */
// biome-ignore lint/suspicious/noConfusingVoidType: hooks that publish nothing simply return
type AfterResult = OutboundEvent[] | undefined | void;

/** A list filter: `?name=value` mapped onto a column. */
export interface Filter {
  column: SQLiteColumn | SQL;
  /** exact (default), icontains, gte/lte (compare), date_gte/date_lte (whole UTC days on a datetime). */
  op?: 'exact' | 'icontains' | 'gte' | 'lte' | 'date_gte' | 'date_lte';
  type?: 'int' | 'str' | 'bool' | 'date' | 'datetime';
  /** Allowed values (a 400 naming the parameter otherwise), as django-filter's ChoiceFilter. */
  choices?: readonly string[];
  /**
   * The table an id filter points into (django-filter's ModelChoiceFilter): an id that matches no
   * row is a 400 naming the parameter. Checked by a statement in the list's own round trip.
   */
  table?: AnyTable;
  description?: string;
}

/** What every write event carries. */
interface WriteBase {
  /** The values written (create/update) including server-set fields and the row's uuid. */
  values: Record<string, unknown>;
  /** The validated input as the client sent it (before `prepare`). */
  input?: Record<string, unknown>;
  /**
   * What the statements `sideEffects` returned gave back, in their order (rows for a SELECT or a
   * `.returning()`, D1's result otherwise): lets `after` read data fetched in the write's own
   * batch (who to notify, which milestones were claimed) instead of querying again.
   */
  effects?: unknown[];
}

/**
 * A write as hooks see it: `existing` is the row before the write (update, destroy), `row` the row
 * after it (create, update), read back inside the same batch once it ran.
 */
export type WriteEvent<R = Row> =
  | (WriteBase & { action: 'create'; existing?: undefined; row?: R })
  | (WriteBase & { action: 'update'; existing: R; row?: R })
  | (WriteBase & { action: 'destroy'; existing: R; row?: undefined });

/** The write a check guards. On update the row is loaded in the same round trip (see `Check.verify`). */
export interface WriteTarget {
  action: 'create' | 'update';
  /** The row's id (update). */
  id?: number;
}

/** A referenced table: `live` refuses soft-deleted rows; `many` checks a list of ids. */
export interface ForeignKey {
  table: AnyTable;
  live?: boolean;
  many?: boolean;
}

/**
 * A check that must pass before a write: a statement in the first round trip and what to make of its
 * rows. `R` is the row of the resource written (`verify`'s `existing`).
 */
export interface Check<R = Row> {
  stmt: Stmt;
  /**
   * Field errors when the check fails (merged with the other checks' errors). `existing` is the row
   * being updated or deleted, loaded in the same round trip (undefined on create). A failure that is
   * not a field error may be thrown as an `ApiError`.
   */
  verify(rows: Record<string, unknown>[], existing?: R): FieldErrors | undefined;
}

/**
 * Related data for rows, loaded in the same round trip as the rows: `load` returns statements given
 * the rows' ids as a subquery (a list page) or a list, `attach` adds what they returned (pure).
 */
export interface Expansion<R = Row> {
  load(k: Kit, ids: SQL): Stmt[];
  attach(k: Kit, rows: R[], loaded: unknown[][]): Record<string, unknown>[];
}

/** A list view declared with its resource, e.g. `hot/` (a bare array) or `unpaid/`. */
export interface View {
  /** Path segment after the resource path, with its trailing slash. */
  path: string;
  operationId: string;
  summary?: string;
  description?: string;
  /** The view's rows; may throw a 400 for a bad `query` value. */
  where: (k: Kit, query: Record<string, string | undefined>) => SQL | undefined;
  /** Fixed order (default: the resource's default ordering). */
  order?: SQL[];
  /** `page` (DRF envelope, default) or `array` (every row, bare, as the original's custom actions). */
  shape?: 'page' | 'array';
  /** Query parameters of an `array` view (a `page` view documents the list's own). */
  query?: AnyObject;
  /** The documented description of the success response. */
  responseDescription?: string;
}

/** The parent of a nested resource: `/projects/{project_id}/members/`. */
export interface Parent {
  param: string;
  /** The column holding the parent id (set on create, filtered on list). */
  column: SQLiteColumn;
  /** The parent's visibility: a statement returning a row when the caller may see the parent. */
  visible: (k: Kit, parentId: number) => Stmt;
  model: string;
}

/** What an overriding handler receives. */
export interface ActionCall {
  k: Kit;
  /** The detail id (detail routes). */
  id?: number;
  parentId?: number;
  query: Record<string, string | undefined>;
  body?: Record<string, unknown>;
}

/**
 * A resource declared with the kit. Declared as `ResourceDef<typeof table>`, its hooks receive the
 * table's rows typed (`R`, i.e. `RowOf<T>`). The hooks are methods: a typed declaration is still a
 * `ResourceDef` (TypeScript compares method parameters both ways), which the kit handles whatever
 * its table. (`R` is a parameter of its own, not `RowOf<T>` inline: a conditional type over `T`
 * would make `ResourceDef` invariant in `T`.)
 */
export interface ResourceDef<T extends AnyTable = AnyTable, R = RowOf<T>> {
  /** Path under /api with the trailing slash, e.g. `/field/leads/` or `/projects/{project_id}/members/`. */
  path: string;
  /** operationId prefix as in the reference, e.g. `field_leads`. */
  operationId: string;
  tag: string;
  /** Model name used in 404 messages (`No Lead matches the given query.`). */
  model: string;
  table: T;
  schemas: {
    read: AnyObject;
    write: AnyObject;
    patch: AnyObject;
    /** List items, when they differ from `read`. */
    item?: AnyObject;
    /** The create/update response, when it differs from `read`. */
    written?: AnyObject;
    page?: z.ZodType;
    pageName?: string;
  };
  /** Input keys the server ignores (read-only in the contract); soft-delete markers always are. */
  readOnly?: readonly string[];
  actions?: Action[];
  /**
   * Columns searched by `?search=` (substring, case-insensitive; terms AND-ed, columns OR-ed), or a
   * function of the caller choosing them (e.g. contact columns for Admins only).
   */
  search?: (SQLiteColumn | SQL)[] | ((k: Kit) => (SQLiteColumn | SQL)[]);
  /** The documented description of `?search=` (default "A search term."). */
  searchDescription?: string;
  /**
   * An FTS5 table with the trigram tokenizer indexing the `search` columns (in that order, rowid =
   * the row's id), kept by triggers in the migration (see `searchWhere`): terms of three characters
   * or more are found through it instead of reading every row; shorter terms fall back to `instr`.
   */
  searchIndex?: string;
  /** `?ordering=` keys; `-key` for descending. */
  ordering?: Record<string, SQLiteColumn | SQL>;
  /** Default ordering, e.g. `['-created_at', '-id']`; `id` is always the final tie-breaker. */
  defaultOrdering?: string[];
  filters?: Record<string, Filter>;
  /** Row visibility: rows outside it are 404 on detail routes and absent from lists. */
  scope?: (k: Kit) => SQL | undefined;
  /** DELETE sets is_deleted/deleted_at and lists hide deleted rows. */
  softDelete?: boolean;
  /** `any` lets Customers in; `public` needs no token; by default only Staff and Admin reach business resources. */
  audience?: 'staff' | 'any' | 'public';
  /** References checked before writing: field -> table (400 "Invalid pk" when missing). */
  foreignKeys?: Record<string, AnyTable | ForeignKey>;
  /** Unique columns -> message for the 400 when violated. */
  uniques?: Record<string, string>;
  /** Failed constraints (a fragment of D1's message, e.g. a CHECK's name) -> the field errors to answer. */
  constraints?: Record<string, FieldErrors>;
  /** Object/function-level permission: false is a 403. */
  can?(k: Kit, action: Action, row?: R): boolean | Promise<boolean>;
  /**
   * Checks that run in the first round trip of a create or update, beside the reference checks.
   * `existing` is always undefined here: on update the row is loaded in that same round trip and
   * handed to each check's `verify`; `target` says which write it is (and the row's id).
   */
  checks?(k: Kit, values: Record<string, unknown>, existing: undefined, target: WriteTarget): Check<R>[];
  /** Checks that must pass before a delete (e.g. no dependent rows), run in its first round trip with the row. */
  destroyChecks?(k: Kit, id: number): Check<R>[];
  /** Server-set fields and cross-field checks; returns the values to write. */
  prepare?(k: Kit, input: Record<string, unknown>, existing?: R): Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Statements that run in the same batch as the write (all or nothing). */
  sideEffects?(k: Kit, ev: WriteEvent<R>): Stmt[] | Promise<Stmt[]>;
  /** After the batch committed: the events to publish (or publish them itself). */
  after?(k: Kit, ev: WriteEvent<R>): AfterResult | Promise<AfterResult>;
  /** Related and computed fields, loaded in the rows' own round trip. */
  expansion?: Expansion<R>;
  /** Adds computed and nested fields with extra queries (a round trip of its own: prefer `expansion`). */
  expand?: (k: Kit, rows: Row[]) => Promise<Record<string, unknown>[]> | Record<string, unknown>[];
  views?: View[];
  parent?: Parent;
  /**
   * File fields (core/files.ts): create and update accept a multipart file part or a URL string per
   * field; an upload is checked (type from its bytes, size) and stored before the write, the row
   * keeps its key, responses show a signed absolute URL, and an object the row lets go (replaced,
   * cleared, row deleted) or whose write failed is removed.
   */
  files?: Record<string, FileField>;
  /** Replaces an action's handler, keeping its route, guard and docs; returns the response body. */
  override?: Partial<Record<Action, (call: ActionCall) => Promise<Record<string, unknown>>>>;
}

/** The caller of a public resource who sent no token: matches no one's rows. */
const ANONYMOUS: Actor = { id: 0, uuid: '', role: 'Customer' };

const DEFAULT_ACTIONS: Action[] = ['list', 'create', 'retrieve', 'update', 'partial_update', 'destroy'];
const SOFT_DELETE_MARKERS = ['is_deleted', 'deleted_at'];

/** The kit context of a request on a protected route; enforces the audience rule. */
export function kitOf(c: Context<AppEnv>, audience: 'staff' | 'any' | 'public' = 'staff'): Kit {
  const user = audience === 'public' ? (c.get('scope').actor ?? ANONYMOUS) : currentUser(c);
  if (audience === 'staff' && user.role === 'Customer') throw drf.forbidden();
  const s = c.get('scope') as AuthedScope;
  return { s, db: s.db, user, env: s.env, c };
}

/** `is_deleted = false` of each soft-deleting resource, built once per isolate (it never varies). */
const liveOf = new WeakMap<ResourceDef, SQL>();

/** Builds `WHERE` for the visible rows of a resource. */
function visible(def: ResourceDef, k: Kit): SQL | undefined {
  const parts: (SQL | undefined)[] = [def.scope?.(k)];
  if (def.softDelete) {
    let live = liveOf.get(def);
    if (!live) {
      live = eq(def.table.is_deleted, false);
      liveOf.set(def, live);
    }
    parts.push(live);
  }
  return and(...parts.filter(Boolean));
}

/** Parses a path id; a malformed id is the same 404 as a missing row. */
export function parseId(raw: string, model: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > Number.MAX_SAFE_INTEGER) throw drf.notFound(`No ${model} matches the given query.`);
  return Number(raw);
}

const notFound = (def: ResourceDef) => drf.notFound(`No ${def.model} matches the given query.`);

/** The statement selecting one visible row. */
function visibleRow(def: ResourceDef, k: Kit, id: number) {
  return rowStmt(k.db, def.table, and(eq(def.table.id, id), visible(def, k)) as SQL);
}

/** Loads one visible row or throws the DRF 404. */
export async function getVisible(def: ResourceDef, k: Kit, id: number): Promise<Row> {
  const [row] = (await runOne(k.db, visibleRow(def, k, id))) as Row[];
  if (!row) throw notFound(def);
  return row;
}

/**
 * Case-insensitive "contains" without LIKE: D1 refuses LIKE/GLOB patterns over 50 bytes (a 500 for
 * a 49-character search term), `instr` has no pattern and no such limit; `%` and `_` are plain text.
 */
const contains = (col: SQLiteColumn | SQL, term: string) => sql`instr(lower(${col}), lower(${term})) > 0`;

/** An FTS5 table with the trigram tokenizer over a table's search columns (rowid = `id`). */
export interface SearchIndex {
  table: string;
  id: SQLiteColumn;
}

/** The shortest term a trigram index can find: shorter ones have no trigram and match nothing in it. */
const TRIGRAM = 3;

/** An FTS5 phrase matching `term` literally: quotes doubled, every other character plain text. */
const phrase = (term: string) => `"${term.replaceAll('"', '""')}"`;

/**
 * The two parts of a `?search=` over columns (whitespace/comma separated terms AND-ed, each OR-ed
 * over the columns): with a trigram `index` over those columns, the terms of three characters or
 * more are one MATCH on it (each a phrase, i.e. a substring of one column, Unicode case folded),
 * which finds the matching rows through the index (`indexed`); the other terms, and every term
 * without an index, are `instr` tests on the rows (`scanned`).
 */
export function searchParts(
  columns: (SQLiteColumn | SQL)[],
  term: string | undefined,
  index?: SearchIndex,
): { indexed?: SQL; scanned?: SQL; join?: SearchJoin } {
  const terms = (term ?? '')
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 10);
  if (!terms.length || !columns.length) return {};
  const long = index ? terms.filter((t) => [...t].length >= TRIGRAM) : [];
  const short = terms.filter((t) => !long.includes(t));
  const scanned = short.length ? and(...short.map((t) => or(...columns.map((col) => contains(col, t))))) : undefined;
  if (!index || !long.length) return { scanned };
  const fts = sql.identifier(index.table);
  const match = sql`${fts} match ${long.map(phrase).join(' AND ')}`;
  return {
    indexed: sql`${index.id} in (select rowid from ${fts} where ${match})`,
    scanned,
    join: { source: sql`${fts}`, on: sql`${fts}.rowid = ${index.id}`, match },
  };
}

/** The index side of a search as a join: `from t join <fts> on <fts>.rowid = t.id where <match>`. */
export interface SearchJoin {
  source: SQL;
  on: SQL;
  match: SQL;
}

/** `?search=` over columns as one condition (see `searchParts`). */
export function searchWhere(columns: (SQLiteColumn | SQL)[], term: string | undefined, index?: SearchIndex): SQL | undefined {
  const { indexed, scanned } = searchParts(columns, term, index);
  return indexed && scanned ? and(indexed, scanned) : (indexed ?? scanned);
}

/** The search of a resource's list for this caller. */
function resourceSearch(def: ResourceDef, k: Kit, term: string | undefined) {
  const columns = typeof def.search === 'function' ? def.search(k) : (def.search ?? []);
  const index = def.searchIndex && Array.isArray(def.search) ? { table: def.searchIndex, id: def.table.id } : undefined;
  return searchParts(columns, term, index);
}

/**
 * A list's WHERE. When a search index finds the rows (`match`, on the joined index), every other
 * condition is wrapped in `likely()`, which SQLite evaluates as the condition itself but cannot
 * serve from an index: the plan then starts from the index's matches (a rowid lookup each) instead
 * of walking, say, every live row of the `is_deleted` index and testing each against the matches
 * (measured over 10,000 leads: 10,001 rows read for a one-lead search, against 2; see
 * test/field/search-index.test.ts).
 */
function listWhere(conditions: (SQL | undefined)[], match: SQL | undefined): SQL | undefined {
  const rest = and(...conditions.filter(Boolean));
  if (!match) return rest;
  return rest ? and(match, sql`likely(${rest})`) : match;
}

/** An ordering key's column: own keys only (`?ordering=constructor` must not find `Object.prototype`'s). */
const columnOf = (ordering: Record<string, SQLiteColumn | SQL> | undefined, name: string) =>
  ordering && Object.hasOwn(ordering, name) ? ordering[name] : undefined;

/** `?ordering=a,-b`: unknown keys are ignored (as DRF does); `id` breaks ties. */
export function orderBy(
  ordering: Record<string, SQLiteColumn | SQL> | undefined,
  raw: string | undefined,
  fallback: string[],
  idColumn: SQLiteColumn,
): SQL[] {
  const wanted = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && columnOf(ordering, s.replace(/^-/, '')) !== undefined);
  const keys = wanted.length ? wanted : fallback;
  const out: SQL[] = [];
  for (const key of keys) {
    const name = key.replace(/^-/, '');
    const col = name === 'id' ? idColumn : columnOf(ordering, name);
    if (col) out.push(key.startsWith('-') ? desc(col) : asc(col));
  }
  if (!keys.some((k) => k.replace(/^-/, '') === 'id')) out.push(asc(idColumn));
  return out;
}

const BOOL_TRUE = new Set(['true', 'True', '1']);
const BOOL_FALSE = new Set(['false', 'False', '0']);

/**
 * Applies declared filters. Malformed values are a 400 naming each parameter (all of them at once,
 * as django-filter reports them).
 */
export function filterWhere(
  filters: Record<string, Filter> | undefined,
  query: Record<string, string | undefined>,
): SQL | undefined {
  const { where, errors } = filterParts(filters, query);
  if (errors) throw drf.fields(errors);
  return where;
}

/**
 * A filter's value read from its query parameter: `{ value }`, `{ error }` (the message of a
 * malformed value), or undefined when django-filter would ignore it (a boolean it does not know).
 */
function filterValue(f: Filter, raw: string): { value: string | number | boolean } | { error: string } | undefined {
  if (f.choices && !f.choices.includes(raw))
    return { error: `Select a valid choice. ${raw} is not one of the available choices.` };
  switch (f.type ?? 'str') {
    case 'int':
      return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? { value: Number(raw) } : { error: 'Enter a number.' };
    case 'bool':
      if (BOOL_TRUE.has(raw)) return { value: true };
      return BOOL_FALSE.has(raw) ? { value: false } : undefined;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw))
        ? { value: raw }
        : { error: 'Enter a valid date.' };
    case 'datetime': {
      const utc = Number.isNaN(Date.parse(raw)) ? undefined : (utcMicros(raw) ?? isoMicros(Date.parse(raw)));
      return utc === undefined ? { error: 'Enter a valid date/time.' } : { value: utc };
    }
    default:
      return { value: raw };
  }
}

/** A filter's condition on its column for a parsed value. */
function filterCondition(f: Filter, value: string | number | boolean): SQL {
  const col = f.column;
  switch (f.op ?? 'exact') {
    case 'icontains':
      return contains(col, String(value));
    case 'gte':
      return sql`${col} >= ${value}`;
    case 'lte':
      return sql`${col} <= ${value}`;
    case 'date_gte':
      return sql`${col} >= ${`${value}T00:00:00.000000Z`}`;
    case 'date_lte':
      return sql`${col} <= ${`${value}T23:59:59.999999Z`}`;
    default:
      return sql`${col} = ${typeof value === 'boolean' ? (value ? 1 : 0) : value}`;
  }
}

/** The condition of the declared filters, and the errors of malformed values (undefined when none). */
function filterParts(
  filters: Record<string, Filter> | undefined,
  query: Record<string, string | undefined>,
): { where?: SQL; errors?: FieldErrors } {
  if (!filters) return {};
  const parts: SQL[] = [];
  const errors: FieldErrors = {};
  for (const [name, f] of Object.entries(filters)) {
    const raw = query[name];
    if (raw === undefined || raw === '') continue;
    const parsed = filterValue(f, raw);
    if (parsed && 'error' in parsed) errors[name] = [parsed.error];
    else if (parsed) parts.push(filterCondition(f, parsed.value));
  }
  return { where: parts.length ? and(...parts) : undefined, errors: Object.keys(errors).length ? errors : undefined };
}

/**
 * The checks of id filters that point into a table (`Filter.table`): a statement each, to run in
 * the list's own round trip; an id matching no row is "Select a valid choice." as django-filter says.
 */
function filterChecks(db: Db, filters: Record<string, Filter> | undefined, query: Record<string, string | undefined>): Check[] {
  const checks: Check[] = [];
  for (const [name, f] of Object.entries(filters ?? {})) {
    const raw = query[name];
    if (!f.table || raw === undefined || !/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) continue;
    checks.push({
      stmt: db
        .select({ id: f.table.id })
        .from(f.table)
        .where(eq(f.table.id, Number(raw)))
        .limit(1),
      verify: (rows) =>
        rows.length ? undefined : { [name]: ['Select a valid choice. That choice is not one of the available choices.'] },
    });
  }
  return checks;
}

/** Throws the merged field errors of checks whose statements ran (their results in order). */
function verifyChecks(checks: Check[], results: unknown[], existing?: Row) {
  const errors: FieldErrors = {};
  checks.forEach((check, i) => {
    Object.assign(errors, check.verify(results[i] as Record<string, unknown>[], existing));
  });
  if (Object.keys(errors).length) throw drf.fields(errors);
}

/** Per read schema, once per isolate: its field names, and an object with those fields in order (all null) to copy. */
const fieldsOf = new WeakMap<AnyObject, { keys: string[]; blank: Record<string, null> }>();

function fieldsFor(schema: AnyObject) {
  let fields = fieldsOf.get(schema);
  if (!fields) {
    const keys = Object.keys(schema.shape);
    fields = { keys, blank: blankRow(keys) };
    fieldsOf.set(schema, fields);
  }
  return fields;
}

/** Picks the fields of a read schema from a row (never leaks internal columns), into a copy of the schema's `blankRow`. */
export function pick(schema: AnyObject, row: Record<string, unknown>): Record<string, unknown> {
  const fields = fieldsFor(schema);
  const out: Record<string, unknown> = { ...fields.blank };
  for (const key of fields.keys) {
    const value = row[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Per read schema and table: whether the schema's fields are the table's columns, in the same order. */
const tableShaped = new WeakMap<AnyObject, WeakMap<AnyTable, boolean>>();

/**
 * Rows read from `table` (every column, in order: `rowsOf`, drizzle's `select()`), in a read schema's
 * shape: the rows themselves when the schema's fields are exactly the table's columns in order (a
 * `pick` would copy each unchanged), else a `pick` of each. Only for rows as read, nothing added.
 */
export function readAs(schema: AnyObject, table: AnyTable, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  let byTable = tableShaped.get(schema);
  if (!byTable) {
    byTable = new WeakMap();
    tableShaped.set(schema, byTable);
  }
  let same = byTable.get(table);
  if (same === undefined) {
    const { keys } = fieldsFor(schema);
    const columns = rowKeys(table);
    same = keys.length === columns.length && keys.every((key, i) => key === columns[i]);
    byTable.set(table, same);
  }
  return same ? rows : rows.map((row) => pick(schema, row));
}

/**
 * `pick` typed by the schema, for a handler that returns a row in a documented shape: the row's
 * values are the stored ones the schema describes (the caller vouches for the row's table).
 */
export function pickAs<S extends AnyObject>(schema: S, row: Record<string, unknown>): z.input<S> {
  return pick(schema, row) as z.input<S>;
}

/**
 * Adds what the expansion loaded (or, for legacy `expand`, loads it now) and picks the schema's fields.
 * `asRead`: the rows are the table's as read (`readAs` may pass them on unchanged).
 */
async function present(def: ResourceDef, k: Kit, rows: Row[], loaded: unknown[][], schema: AnyObject, asRead = false) {
  let out: Record<string, unknown>[] = rows;
  if (def.expansion) out = def.expansion.attach(k, rows, loaded);
  if (def.expand) out = await def.expand(k, out as Row[]);
  const picked = asRead && out === rows ? readAs(schema, def.table, rows) : out.map((r) => pick(schema, r));
  return def.files ? presentFileFields(k.env, new URL(k.s.url).origin, def.files, picked) : picked;
}

/** Serialises rows through the resource's expansion and read schema (loads the expansion itself). */
export async function serialize(def: ResourceDef, k: Kit, rows: Row[], schema: AnyObject = def.schemas.read) {
  const loads =
    def.expansion && rows.length
      ? def.expansion.load(
          k,
          sql`(${sql.join(
            rows.map((r) => sql`${r.id}`),
            sql`, `,
          )})`,
        )
      : [];
  const loaded = (await runBatch(k.db, loads)) as unknown[][];
  return present(def, k, rows, loaded, schema);
}

/** Maps D1 constraint errors to DRF 400s; rethrows anything else. */
export function constraintError(err: unknown, def: Pick<ResourceDef, 'model' | 'uniques' | 'table' | 'constraints'>): never {
  const v = constraintViolation(err);
  if (!v) throw err;
  for (const [fragment, errors] of Object.entries(def.constraints ?? {})) if (v.text.includes(fragment)) throw drf.fields(errors);
  if (v.kind === 'unique') {
    const column = v.columns[0] ?? 'non_field_errors';
    const field = Object.keys(def.table).find((k) => (def.table[k] as { name?: string })?.name === column) ?? column;
    const message = def.uniques?.[field] ?? `${def.model.toLowerCase()} with this ${field.replace(/_/g, ' ')} already exists.`;
    throw drf.field(field, message);
  }
  if (v.kind === 'foreign_key') throw drf.nonField('A referenced object does not exist.');
  throw drf.nonField('A value is out of range.');
}

const invalidPk = (value: unknown) => `Invalid pk "${value}" - object does not exist.`;

/** The reference checks of a write, as checks for the first round trip. */
export function referenceChecks(db: Db, fks: ResourceDef['foreignKeys'], values: Record<string, unknown>): Check[] {
  const checks: Check[] = [];
  for (const [field, ref] of Object.entries(fks ?? {})) {
    const fk: ForeignKey = is(ref, SQLiteTable) ? { table: ref as AnyTable } : (ref as ForeignKey);
    const value = values[field];
    if (value === undefined || value === null) continue;
    const ids = fk.many ? [...new Set(value as number[])] : [value as number];
    if (!ids.length) continue;
    const live = fk.live && 'is_deleted' in fk.table ? eq(fk.table.is_deleted, false) : undefined;
    checks.push({
      stmt: statement(
        db,
        `references\u0000${getTableName(fk.table)}`,
        (q, where) => q.select({ id: fk.table.id }).from(fk.table).where(where),
        {},
        and(inArray(fk.table.id, ids), live),
      ),
      verify: (rows) => {
        const found = new Set(rows.map((r) => r.id));
        const missing = (fk.many ? (value as number[]) : [value]).find((id) => !found.has(id));
        return missing === undefined ? undefined : { [field]: [invalidPk(missing)] };
      },
    });
  }
  return checks;
}

/** Runs checks as one round trip (with any statements that must come first); throws their field errors together. */
export async function runChecks(db: Db, checks: Check[], first: Stmt[] = []): Promise<unknown[]> {
  const results = await runBatch(db, [...first, ...checks.map((c) => c.stmt)]);
  verifyChecks(checks, results.slice(first.length));
  return results.slice(0, first.length);
}

/** Checks that referenced rows exist, in one round trip; 400 with DRF's "Invalid pk" message. */
export async function checkForeignKeys(db: Db, fks: ResourceDef['foreignKeys'], values: Record<string, unknown>) {
  await runChecks(db, referenceChecks(db, fks, values));
}

/** Drops read-only keys (a client never sets them) from validated input; keeps keys outside the table. */
function withoutReadOnly(def: ResourceDef, input: Record<string, unknown>): Record<string, unknown> {
  const ro = new Set([...(def.readOnly ?? []), ...SOFT_DELETE_MARKERS]);
  return Object.fromEntries(Object.entries(input).filter(([key, value]) => !ro.has(key) && value !== undefined));
}

/** Drops read-only and unknown keys from validated input. */
function writable(def: ResourceDef, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ro = new Set([...(def.readOnly ?? []), ...SOFT_DELETE_MARKERS]);
  for (const [key, value] of Object.entries(input)) {
    if (ro.has(key) || value === undefined) continue;
    if (!(key in def.table)) continue;
    out[key] = value;
  }
  return out;
}

/** Publishes what an `after` hook returned. */
async function afterWrite(def: ResourceDef, k: Kit, ev: WriteEvent) {
  const events = await def.after?.(k, ev);
  if (events?.length) k.s.events.push(...events);
  // The objects the committed write let go are removed by the queue's consumer (retried).
  const released = def.files ? releasedKeys(def.files, ev.existing, ev.action === 'destroy' ? undefined : ev.values) : [];
  if (released.length) k.s.events.push(fileDeleteEvent(released));
}

/** The statement reading back a written row, and the expansion's statements for it. */
function readBack(def: ResourceDef, k: Kit, where: SQL): Stmt[] {
  return [rowStmt(k.db, def.table, where), ...(def.expansion?.load(k, idsSubquery(k.db, def.table, where)) ?? [])];
}

/** Creates a row (and its side effects) atomically; returns the stored row, serialised. */
export async function createRow(def: ResourceDef, k: Kit, input: Record<string, unknown>, schema?: AnyObject) {
  let values = writable(def, input);
  const checks = [
    ...referenceChecks(k.db, def.foreignKeys, withoutReadOnly(def, input)),
    ...(def.checks?.(k, values, undefined, { action: 'create' }) ?? []),
  ];
  if (checks.length) await runChecks(k.db, checks);
  if (def.prepare) values = await def.prepare(k, values);
  const hasUuid = 'uuid' in def.table;
  if (hasUuid && !values.uuid) values.uuid = crypto.randomUUID();
  const ev: WriteEvent = { action: 'create', values, input };
  const extra = def.sideEffects ? await def.sideEffects(k, ev) : [];
  const insert = insertStmt(k.db, def.table, values);
  // Rows with a uuid are read back after the side effects (which may touch them); others right
  // after the insert, by SQLite's last_insert_rowid() (the batch runs on one connection).
  const back = readBack(def, k, hasUuid ? eq(def.table.uuid, values.uuid as string) : sql`${def.table.id} = last_insert_rowid()`);
  const stmts = hasUuid ? [insert, ...extra, ...back] : [insert, ...back, ...extra];
  const results = await writeBatch(def, k.db, stmts);
  const at = hasUuid ? 1 + extra.length : 1;
  const row = (results[at] as Row[])[0];
  const loaded = results.slice(at + 1, at + back.length) as unknown[][];
  ev.row = row;
  ev.effects = hasUuid ? results.slice(1, 1 + extra.length) : results.slice(1 + back.length);
  const [body] = await present(def, k, [row], loaded, schema ?? def.schemas.written ?? def.schemas.read);
  await afterWrite(def, k, ev);
  return body;
}

async function writeBatch(def: ResourceDef, db: Db, stmts: Stmt[]) {
  try {
    return await runBatch(db, stmts);
  } catch (err) {
    constraintError(err, def);
  }
}

/** Updates a row (and its side effects) atomically; returns the stored row, serialised. */
export async function updateRow(def: ResourceDef, k: Kit, existing: Row, input: Record<string, unknown>, schema?: AnyObject) {
  let values = writable(def, input);
  if (def.prepare) values = await def.prepare(k, values, existing);
  if ('updated_at' in def.table) values.updated_at = nowIso();
  const ev: WriteEvent = { action: 'update', values: { ...values, uuid: existing.uuid }, input, existing };
  const extra = def.sideEffects ? await def.sideEffects(k, ev) : [];
  const stmts: Stmt[] = [];
  if (Object.keys(values).length) stmts.push(updateStmt(k.db, def.table, values, eq(def.table.id, existing.id)));
  stmts.push(...extra);
  const back = readBack(def, k, eq(def.table.id, existing.id));
  const results = await writeBatch(def, k.db, [...stmts, ...back]);
  const row = (results[stmts.length] as Row[])[0];
  ev.row = row;
  ev.effects = results.slice(stmts.length - extra.length, stmts.length);
  const [body] = await present(
    def,
    k,
    [row],
    results.slice(stmts.length + 1) as unknown[][],
    schema ?? def.schemas.written ?? def.schemas.read,
  );
  await afterWrite(def, k, ev);
  return body;
}

/** Deletes (or soft-deletes) a row with its side effects, atomically. */
export async function destroyRow(def: ResourceDef, k: Kit, existing: Row): Promise<void> {
  const ev: WriteEvent = { action: 'destroy', values: {}, existing };
  const extra = def.sideEffects ? await def.sideEffects(k, ev) : [];
  const main = def.softDelete
    ? updateStmt(k.db, def.table, { is_deleted: true, deleted_at: nowIso() }, eq(def.table.id, existing.id))
    : deleteStmt(k.db, def.table, eq(def.table.id, existing.id));
  const results = await writeBatch(def, k.db, [...extra, main]);
  ev.effects = results.slice(0, extra.length);
  await afterWrite(def, k, ev);
}

/**
 * The first round trip of a write on an existing row: the row (404 when not visible) and the
 * write's checks, together. As DRF does, the row's permission (`can`, 403) is decided before the
 * checks' errors (400), so a refused caller learns nothing from them.
 */
async function loadForWrite(def: ResourceDef, k: Kit, action: Action, id: number, input?: Record<string, unknown>) {
  const checks = input
    ? [
        ...referenceChecks(k.db, def.foreignKeys, input),
        ...(def.checks?.(k, writable(def, input), undefined, { action: 'update', id }) ?? []),
      ]
    : (def.destroyChecks?.(k, id) ?? []);
  // The row is checked first: a missing row is a 404 even when the input would fail its checks.
  const results = await runBatch(k.db, [visibleRow(def, k, id), ...checks.map((c) => c.stmt)]);
  const row = (results[0] as Row[])[0];
  if (!row) throw notFound(def);
  if (def.can && !(await def.can(k, action, row))) throw drf.forbidden();
  verifyChecks(checks, results.slice(1), row);
  return row;
}

/** Throws the malformed filters' errors together with the id filters' checks (one round trip, no list). */
async function throwFilterErrors(k: Kit, errors: FieldErrors, checks: Check[]): Promise<never> {
  const results = await runBatch(
    k.db,
    checks.map((c) => c.stmt),
  );
  const all: FieldErrors = { ...errors };
  checks.forEach((check, i) => {
    Object.assign(all, check.verify(results[i] as Record<string, unknown>[]));
  });
  throw drf.fields(all);
}

/** What a list page's statements are built from. */
interface ListShape {
  def: ResourceDef;
  k: Kit;
  /** `?ordering=` as sent. */
  ordering: string | undefined;
  where: SQL | undefined;
  /** The search index's join, when the index finds the rows. */
  join: SearchJoin | undefined;
  page: { pageSize: number; offset: number };
}

/** The order of a list page: `?ordering=`, else the resource's default; `id` breaks ties. */
const listOrder = ({ def, ordering }: ListShape) => orderBy(def.ordering, ordering, def.defaultOrdering ?? ['id'], def.table.id);

/** Rows come from the table, joined with its search index when the index finds them. */
function listFrom<F extends SelectedFields>({ def, k, join }: ListShape, fields: F) {
  const q = k.db.select(fields).from(def.table).$dynamic();
  return join ? q.innerJoin(join.source, join.on) : q;
}

/**
 * The count, the page and the page's ids (a subquery for the expansion) of a list, from the
 * statements compiled once per list shape (db/compiled.ts); undefined when the shape cannot be
 * compiled (a search through the index, or a where clause holding a `?` that is not a parameter).
 */
function compiledList(list: ListShape): [Stmt, Stmt, SQL] | undefined {
  const { def, k, page } = list;
  const clause = list.join ? undefined : whereQuery(list.where);
  if (!clause) return undefined;
  const shape = `${def.operationId}\u0000${list.ordering ?? ''}\u0000${clause.sql}`;
  const total = compiled(`count\u0000${shape}`, () => listFrom(list, { total: count() }).where(WHERE_MARK).toSQL());
  const rows = compiled(`page\u0000${shape}`, () =>
    listFrom(list, getTableColumns(def.table))
      .where(WHERE_MARK)
      .orderBy(...listOrder(list))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .toSQL(),
  );
  const ids = compiled(`ids\u0000${shape}`, () =>
    listFrom(list, { id: def.table.id })
      .where(WHERE_MARK)
      .orderBy(...listOrder(list))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .toSQL(),
  );
  if (!total || !rows || !ids) return undefined;
  const values = { limit: page.pageSize, offset: page.offset };
  return [
    rawStmt(k.db, total.query(clause), (r) => [{ total: Number(Object.values(r[0] ?? {})[0] ?? 0) }]),
    rawStmt(k.db, rows.query(clause, values), (r) => rowsOf(def.table, r)),
    subquery(ids.query(clause, values)) ?? sql`(${ids.bind(clause, values)})`,
  ];
}

/** The count, the page and the page's ids of a list, built by drizzle for this request. */
function builtList(list: ListShape): [Stmt, Stmt, SQL] {
  const { def, where, page } = list;
  return [
    listFrom(list, { total: count() }).where(where),
    listFrom(list, getTableColumns(def.table))
      .where(where)
      .orderBy(...listOrder(list))
      .limit(page.pageSize)
      .offset(page.offset),
    sql`(${listFrom(list, { id: def.table.id })
      .where(where)
      .orderBy(...listOrder(list))
      .limit(page.pageSize)
      .offset(page.offset)})`,
  ];
}

/**
 * Lists visible rows with search, filters, ordering and pagination: count, page and expansion in one round trip.
 * Without a search-index join, the count, page and page-ids statements of a list shape (resource,
 * ordering, where text) are built once per isolate (db/compiled.ts): per request only the where
 * clause's values change.
 */
export async function listRows(def: ResourceDef, k: Kit, query: Record<string, string | undefined>, extraWhere?: SQL) {
  const page = pageRequest(query);
  const search = resourceSearch(def, k, query.search);
  const checks = filterChecks(k.db, def.filters, query);
  const filtered = filterParts(def.filters, query);
  if (filtered.errors) return throwFilterErrors(k, filtered.errors, checks);
  const where = listWhere([visible(def, k), extraWhere, search.scanned, filtered.where], search.join?.match);
  const list: ListShape = { def, k, ordering: query.ordering, where, join: search.join, page };
  const [totalStmt, pageRows, ids] = compiledList(list) ?? builtList(list);
  const expansion = def.expansion?.load(k, ids) ?? [];
  const [[{ total }], rows, ...rest] = (await runBatch(k.db, [
    totalStmt,
    pageRows,
    ...expansion,
    ...checks.map((c) => c.stmt),
  ])) as [[{ total: number }], Row[], ...unknown[][]];
  verifyChecks(checks, rest.slice(expansion.length));
  const loaded = rest.slice(0, expansion.length);
  return paginate(k.s.url, page, total, await present(def, k, rows, loaded, def.schemas.item ?? def.schemas.read, true));
}

/** Every visible row of a view, as a bare array, in one round trip. */
async function listAll(def: ResourceDef, k: Kit, view: View, query: Record<string, string | undefined>) {
  const where = and(visible(def, k), view.where(k, query));
  const order = view.order ?? orderBy(def.ordering, undefined, def.defaultOrdering ?? ['id'], def.table.id);
  const ids = sql`(select ${def.table.id} from ${def.table} where ${where ?? sql`1`})`;
  const [rows, ...loaded] = (await runBatch(k.db, [
    k.db
      .select()
      .from(def.table)
      .where(where)
      .orderBy(...order),
    ...(def.expansion?.load(k, ids) ?? []),
  ])) as [Row[], ...unknown[][]];
  return present(def, k, rows, loaded, def.schemas.item ?? def.schemas.read, true);
}

/** Retrieves one visible row with its expansion in one round trip. */
export async function retrieveRow(def: ResourceDef, k: Kit, id: number) {
  const [[row], ...loaded] = (await runBatch(k.db, readBack(def, k, and(eq(def.table.id, id), visible(def, k)) as SQL))) as [
    Row[],
    ...unknown[][],
  ];
  if (!row) throw notFound(def);
  return { row, body: async () => (await present(def, k, [row], loaded, def.schemas.read))[0] };
}

/** DRF's name for a JSON value's type, as its "received <type>" messages print it. */
function pyType(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (Array.isArray(value)) return 'list';
  return value === null ? 'NoneType' : 'dict';
}

/** A value a primary-key field accepts (an integer, or its text), as the `pk()` field coerces it. */
const pkOf = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.0*)?\s*$/.test(value) && Number.isSafeInteger(Math.trunc(Number(value))))
    return Math.trunc(Number(value));
  return undefined;
};

const incorrectPk = (value: unknown) => `Incorrect type. Expected pk value, received ${pyType(value)}.`;

/**
 * Completes the errors of a write body that failed validation as DRF reports them, all at once
 * (issue 20 #11): a reference field holding something that is not a key says so ("Incorrect type.
 * Expected pk value, received str."), and the references of fields that did parse are checked
 * ("Invalid pk ...") in one round trip. Existence is checked only for a caller who may make this
 * write (the parent and, on update, the row visible, `can` allowing it), so a caller who would be
 * refused learns nothing about other rows; otherwise the validation errors go back unchanged.
 */
async function completeInvalidBody(
  def: ResourceDef,
  k: Kit,
  action: 'create' | 'update' | 'partial_update',
  params: Record<string, string>,
  raw: unknown,
  errors: FieldErrors,
): Promise<FieldErrors> {
  if (!def.foreignKeys || !raw || typeof raw !== 'object' || Array.isArray(raw)) return errors;
  const body = raw as Record<string, unknown>;
  const out: FieldErrors = { ...errors };
  const ro = new Set([...(def.readOnly ?? []), ...SOFT_DELETE_MARKERS]);
  const parsed: Record<string, unknown> = {};
  for (const [field, ref] of Object.entries(def.foreignKeys)) {
    const value = body[field];
    if (value === undefined || value === null || ro.has(field)) continue;
    const many = !is(ref, SQLiteTable) && (ref as ForeignKey).many;
    const items = many ? value : [value];
    if (!Array.isArray(items)) continue;
    const bad = items.find((item) => pkOf(item) === undefined);
    if (bad !== undefined) out[field] = [incorrectPk(bad)];
    else if (!(field in errors)) parsed[field] = many ? items.map(pkOf) : pkOf(value);
  }
  const checks = referenceChecks(k.db, def.foreignKeys, parsed);
  if (!checks.length) return out;
  const id = action === 'create' ? undefined : /^\d+$/.test(params.id ?? '') ? Number(params.id) : Number.NaN;
  const parentId = def.parent ? Number(params[def.parent.param]) : undefined;
  if (Number.isNaN(id) || Number.isNaN(parentId) || (parentId !== undefined && !Number.isSafeInteger(parentId))) return out;
  const first: Stmt[] = [];
  if (id !== undefined) first.push(visibleRow(def, k, id));
  if (def.parent && parentId !== undefined) first.push(def.parent.visible(k, parentId));
  if (id === undefined && def.can && !(await def.can(k, 'create'))) return out;
  const results = await runBatch(k.db, [...first, ...checks.map((c) => c.stmt)]);
  if (first.some((_, i) => !(results[i] as unknown[]).length)) return out;
  const row = id === undefined ? undefined : (results[0] as Row[])[0];
  if (row && def.can && !(await def.can(k, action, row))) return out;
  checks.forEach((check, i) => {
    Object.assign(out, check.verify(results[first.length + i] as Record<string, unknown>[]));
  });
  return out;
}

/** Documented query parameters of a list route. */
function listQuery(def: ResourceDef) {
  const shape: Record<string, z.ZodType> = { ...pageParams };
  if (typeof def.search === 'function' || def.search?.length)
    shape.search = z
      .string()
      .optional()
      .openapi({ description: def.searchDescription ?? 'A search term.' });
  if (def.ordering) {
    shape.ordering = z
      .string()
      .optional()
      .openapi({ description: `Which field to use when ordering the results: ${Object.keys(def.ordering).join(', ')}.` });
  }
  for (const [name, f] of Object.entries(def.filters ?? {})) {
    const type = f.type === 'int' ? 'integer' : f.type === 'bool' ? 'boolean' : 'string';
    shape[name] = z
      .string()
      .optional()
      .openapi({ type, description: f.description, format: f.type === 'date' ? 'date' : undefined, enum: f.choices as string[] });
  }
  return z.object(shape);
}

/** Each resource's path parameter schemas, built once: its routes share them (schema construction is a first request's cost). */
const pathParamsOf = new WeakMap<ResourceDef, Partial<Record<'list' | 'detail', AnyObject | undefined>>>();

/** The path parameters of a (possibly nested) resource route. */
function pathParams(def: ResourceDef, detail: boolean) {
  const built = pathParamsOf.get(def) ?? {};
  const kind = detail ? 'detail' : 'list';
  if (!(kind in built)) {
    built[kind] = buildPathParams(def, detail);
    pathParamsOf.set(def, built);
  }
  return built[kind];
}

function buildPathParams(def: ResourceDef, detail: boolean) {
  const shape: Record<string, z.ZodType> = {};
  if (def.parent)
    shape[def.parent.param] = z.string().openapi({ param: { name: def.parent.param, in: 'path' }, type: 'integer' });
  if (detail) Object.assign(shape, idParam(def.model).shape);
  return Object.keys(shape).length ? z.object(shape) : undefined;
}

/** What the routes of one resource share while they are mounted. */
interface Mounting {
  app: OpenAPIHono<AppEnv>;
  def: ResourceDef;
  /** Mounts a route with summaries and descriptions composed from the declaration. */
  mount: ReturnType<typeof describedMount>;
  /** The list path (`/api/field/leads/`) and the detail path (`/api/field/leads/{id}/`). */
  base: string;
  detail: string;
  common: {
    tags: string[];
    family: 'drf';
    auth: 'optional' | 'user';
    audience: 'staff' | undefined;
  };
  /** The list's documented page and the create/update response. */
  page: z.ZodType;
  written: AnyObject;
  /** The kit context of a request, under the resource's audience rule. */
  kit: (c: Context<AppEnv>) => Kit;
}

/** The object-level permission of an action (`can`): a 403 when refused. */
async function guard(def: ResourceDef, k: Kit, action: Action, row?: Row) {
  if (def.can && !(await def.can(k, action, row))) throw drf.forbidden();
}

/**
 * A write with the request's file parts: checked and stored once the row's own checks passed
 * (`existing` loaded), their keys put in the input; removed again when the write fails.
 */
async function withUploads<T>(
  def: ResourceDef,
  k: Kit,
  input: Record<string, unknown>,
  existing: Row | undefined,
  write: () => Promise<T>,
) {
  if (!def.files) return write();
  const errors = ownFileUrls(def.files, input, existing, new URL(k.s.url).origin);
  if (errors) throw drf.fields(errors);
  const { keys, stored } = await storeUploadsFor(k.env, k.c.req.raw, def.files, 'drf');
  Object.assign(input, keys);
  try {
    return await write();
  } catch (err) {
    await discardUploads(k.env, stored);
    throw err;
  }
}

/** The parent id of a nested route (a malformed one is the parent's 404). */
function parentOf(def: ResourceDef, params: Record<string, unknown>) {
  if (!def.parent) return undefined;
  return parseId(String(params[def.parent.param] ?? ''), def.parent.model);
}

/** The rows of one parent, on a nested list. */
const parentWhere = (def: ResourceDef, parentId: number | undefined) =>
  parentId === undefined || !def.parent ? undefined : eq(def.parent.column, parentId);

/** Checks that the parent of a nested route is visible to the caller (its 404 otherwise). */
async function requireParent(def: ResourceDef, k: Kit, parentId: number | undefined) {
  if (parentId === undefined || !def.parent) return;
  const [rows] = (await runBatch(k.db, [def.parent.visible(k, parentId)])) as [unknown[]];
  if (!rows.length) throw drf.notFound(`No ${def.parent.model} matches the given query.`);
}

/** A list view (`hot/`, `unpaid/`): a page of the list, or every row as a bare array. */
function mountView(m: Mounting, view: View) {
  const { def } = m;
  const shape = view.shape ?? 'page';
  m.mount(
    m.app,
    route({
      ...m.common,
      method: 'get',
      path: `${m.base}${view.path}`,
      operationId: view.operationId,
      summary: view.summary,
      description: view.description,
      params: pathParams(def, false),
      query: shape === 'page' ? listQuery(def) : view.query,
      response: shape === 'page' ? m.page : z.array(def.schemas.item ?? def.schemas.read),
      responseDescription: view.responseDescription,
      handler: async ({ c, query }) => {
        const k = m.kit(c);
        await guard(def, k, 'list');
        const q = query as Record<string, string | undefined>;
        if (shape === 'array') return listAll(def, k, view, q);
        return listRows(def, k, q, view.where(k, q));
      },
    }),
  );
}

/** `GET <path>`: a page of the visible rows (of the parent, when nested). */
function mountList(m: Mounting) {
  const { def } = m;
  m.mount(
    m.app,
    route({
      ...m.common,
      method: 'get',
      path: m.base,
      operationId: `${def.operationId}_list`,
      params: pathParams(def, false),
      query: listQuery(def),
      response: m.page,
      handler: async ({ c, params, query }) => {
        const k = m.kit(c);
        await guard(def, k, 'list');
        const parentId = parentOf(def, params);
        if (def.override?.list) return def.override.list({ k, parentId, query: query as Record<string, string> });
        if (parentId !== undefined) await requireParent(def, k, parentId);
        return listRows(def, k, query as Record<string, string>, parentWhere(def, parentId));
      },
    }),
  );
}

/** `POST <path>`: creates a row (under its parent, when nested). */
function mountCreate(m: Mounting) {
  const { def } = m;
  m.mount(
    m.app,
    route({
      ...m.common,
      method: 'post',
      path: m.base,
      operationId: `${def.operationId}_create`,
      params: pathParams(def, false),
      body: def.schemas.write,
      files: def.files,
      status: 201,
      response: m.written,
      invalidBody: ({ c, raw, errors }) => completeInvalidBody(def, m.kit(c), 'create', c.req.param(), raw, errors),
      handler: async ({ c, params, body }) => {
        const k = m.kit(c);
        await guard(def, k, 'create');
        const parentId = parentOf(def, params);
        const input = body as Record<string, unknown>;
        const create = def.override?.create;
        if (create) return withUploads(def, k, input, undefined, () => create({ k, parentId, query: {}, body: input }));
        if (parentId !== undefined && def.parent) {
          await requireParent(def, k, parentId);
          input[keyOfColumn(def, def.parent.column)] = parentId;
        }
        return withUploads(def, k, input, undefined, () => createRow(def, k, input));
      },
    }),
  );
}

/** `GET <path>{id}/`: one visible row (of the parent, when nested). */
function mountRetrieve(m: Mounting) {
  const { def } = m;
  m.mount(
    m.app,
    route({
      ...m.common,
      method: 'get',
      path: m.detail,
      operationId: `${def.operationId}_retrieve`,
      params: pathParams(def, true),
      response: def.schemas.read,
      handler: async ({ c, params }) => {
        const k = m.kit(c);
        const id = parseId(String(params.id ?? ''), def.model);
        const parentId = parentOf(def, params);
        if (def.override?.retrieve) return def.override.retrieve({ k, id, parentId, query: {} });
        const found = await retrieveRow(def, k, id);
        if (parentId !== undefined && def.parent && found.row[keyOfColumn(def, def.parent.column)] !== parentId)
          throw notFound(def);
        await guard(def, k, 'retrieve', found.row);
        return found.body();
      },
    }),
  );
}

/** `PUT` (update, the write schema) or `PATCH` (partial_update, the patch schema) `<path>{id}/`. */
function mountUpdate(m: Mounting, action: 'update' | 'partial_update') {
  const { def } = m;
  m.mount(
    m.app,
    route({
      ...m.common,
      method: action === 'update' ? 'put' : 'patch',
      path: m.detail,
      operationId: `${def.operationId}_${action}`,
      params: pathParams(def, true),
      body: action === 'update' ? def.schemas.write : def.schemas.patch,
      files: def.files,
      response: m.written,
      invalidBody: ({ c, raw, errors }) => completeInvalidBody(def, m.kit(c), action, c.req.param(), raw, errors),
      handler: async ({ c, params, body }) => {
        const k = m.kit(c);
        const id = parseId(String(params.id ?? ''), def.model);
        const input = body as Record<string, unknown>;
        const override = def.override?.[action];
        if (override)
          return withUploads(def, k, input, undefined, () =>
            override({ k, id, parentId: parentOf(def, params), query: {}, body: input }),
          );
        const existing = await loadForWrite(def, k, action, id, withoutReadOnly(def, input));
        return withUploads(def, k, input, existing, () => updateRow(def, k, existing, input));
      },
    }),
  );
}

/** `DELETE <path>{id}/`: deletes (or soft-deletes) a row, 204. */
function mountDestroy(m: Mounting) {
  const { def } = m;
  m.mount(
    m.app,
    route({
      ...m.common,
      method: 'delete',
      path: m.detail,
      operationId: `${def.operationId}_destroy`,
      params: pathParams(def, true),
      status: 204,
      handler: async ({ c, params }) => {
        const k = m.kit(c);
        const id = parseId(String(params.id ?? ''), def.model);
        if (def.override?.destroy) {
          await def.override.destroy({ k, id, parentId: parentOf(def, params), query: {} });
          return undefined;
        }
        const existing = await loadForWrite(def, k, 'destroy', id);
        await destroyRow(def, k, existing);
        return undefined;
      },
    }),
  );
}

type Schemas = ResourceDef['schemas'];
type Bodies = Pick<Schemas, 'write' | 'patch'>;

/**
 * A resource's `schemas` whose request bodies (`write`, `patch`) are built the first time they are
 * read, that is when a write route is mounted: the list's read app (`listOnly`) never builds them.
 * For bodies a module builds itself (a generated contract's are built with their file).
 */
export function bodiesOnFirstUse(schemas: Omit<Schemas, 'write' | 'patch'>, build: () => Bodies): Schemas {
  let built: Bodies | undefined;
  const bodies = () => {
    built ??= build();
    return built;
  };
  return Object.defineProperties(
    { ...schemas },
    {
      write: { get: () => bodies().write, enumerable: true },
      patch: { get: () => bodies().patch, enumerable: true },
    },
  ) as Schemas;
}

/**
 * The resource's list alone, for an area's read app (`AreaSpec.reads`, src/app.ts): its GETs of
 * the list path then build neither the other routes nor its views (a read app serves exactly the
 * list's path). Its list route is the resource's own, described the same.
 */
export const listOnly = <T extends AnyTable>(def: ResourceDef<T>): ResourceDef<T> => ({ ...def, actions: ['list'], views: [] });

/** Mounts the resource's routes on a router (paths are absolute under /api). */
export function mountResource(app: OpenAPIHono<AppEnv>, def: ResourceDef) {
  const actions = def.actions ?? DEFAULT_ACTIONS;
  const base = `/api${def.path}`;
  const audience = def.audience ?? 'staff';
  const m: Mounting = {
    app,
    def,
    mount: describedMount(def),
    base,
    detail: `${base}{id}/`,
    common: {
      tags: [def.tag],
      family: 'drf',
      auth: audience === 'public' ? 'optional' : 'user',
      audience: audience === 'staff' ? 'staff' : undefined,
    },
    page:
      def.schemas.page ?? paginated(def.schemas.item ?? def.schemas.read, def.schemas.pageName ?? `Paginated${def.model}List`),
    written: def.schemas.written ?? def.schemas.read,
    kit: (c) => kitOf(c, audience),
  };
  // Views come first: `hot/` must not be read as an `{id}`.
  for (const view of def.views ?? []) mountView(m, view);
  if (actions.includes('list')) mountList(m);
  if (actions.includes('create')) mountCreate(m);
  if (actions.includes('retrieve')) mountRetrieve(m);
  if (actions.includes('update')) mountUpdate(m, 'update');
  if (actions.includes('partial_update')) mountUpdate(m, 'partial_update');
  if (actions.includes('destroy')) mountDestroy(m);
  return app;
}

/** The key of a column in the resource's table. */
function keyOfColumn(def: ResourceDef, column: SQLiteColumn) {
  return Object.keys(def.table).find((k) => def.table[k] === column) ?? column.name;
}
