/**
 * The resource kit. A Tamiti resource is declared once (table, zod schemas, permissions, search,
 * ordering, filters, hooks) and `mountResource` produces list / create / retrieve / update /
 * partial_update / destroy with their OpenAPI definitions, DRF pagination, soft delete and errors.
 * Modules write only their special behaviour, as hooks or as ordinary routes beside the resource.
 *
 * Conventions the kit relies on:
 * - table keys are the wire field names (snake_case; a foreign key `party` may live in `party_id`);
 * - every table has an integer `id` primary key;
 * - every multi-row write runs as one `db.batch` (D1 runs a batch as one transaction).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, asc, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { DrizzleD1Database } from 'drizzle-orm/d1';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv, AuthUser } from '../env';
import { nowIso } from '../db/columns';
import { currentUser, requireAuth } from '../middleware/auth';
import { drf } from './errors';
import { pageParams, pageRequest, paginate, paginated } from './pagination';
import { bearer, drfErrors, jsonBody, jsonResponse } from './router';

export type Action = 'list' | 'create' | 'retrieve' | 'update' | 'partial_update' | 'destroy';
export type Row = Record<string, unknown> & { id: number };
export type Db = DrizzleD1Database<Record<string, never>>;
export type Stmt = BatchItem<'sqlite'>;
// biome-ignore lint/suspicious/noExplicitAny: generic over any table/schema/hook; the concrete types are checked at the call sites
type AnyTable = SQLiteTable & Record<string, any>;
// biome-ignore lint/suspicious/noExplicitAny: generic over any table/schema/hook; the concrete types are checked at the call sites
type AnyObject = z.ZodObject<any>;

/**
 * The id of a row written earlier in the same batch, found by its uuid: lets one `db.batch`
 * insert a row and the rows that point at it (D1 runs the batch as one transaction).
 */
export const idByUuid = (table: AnyTable, uuid: string) =>
  sql<number>`(select ${table.id} from ${table} where ${table.uuid} = ${uuid})`;

/** What hooks receive: the request context, the db handle and the caller. */
export interface Kit {
  c: Context<AppEnv>;
  db: Db;
  user: AuthUser;
}

/** A list filter: `?name=value` mapped onto a column. */
export interface Filter {
  column: SQLiteColumn | SQL;
  /** exact (default), icontains, gte/lte (compare), date_gte/date_lte (whole UTC days on a datetime). */
  op?: 'exact' | 'icontains' | 'gte' | 'lte' | 'date_gte' | 'date_lte';
  type?: 'int' | 'str' | 'bool' | 'date' | 'datetime';
  description?: string;
}

export interface WriteEvent {
  action: 'create' | 'update' | 'destroy';
  /** The values written (create/update) including server-set fields and the row's uuid. */
  values: Record<string, unknown>;
  /** The row before the write (update/destroy). */
  existing?: Row;
  /** The row after the write (create/update), read back inside the same batch. */
  row?: Row;
}

export interface ResourceDef {
  /** Path under /api with the trailing slash, e.g. `/field/leads/`. */
  path: string;
  /** operationId prefix as in the reference, e.g. `field_leads`. */
  operationId: string;
  tag: string;
  /** Model name used in 404 messages (`No Lead matches the given query.`). */
  model: string;
  table: AnyTable;
  schemas: { read: AnyObject; write: AnyObject; patch: AnyObject; page?: z.ZodType; pageName?: string };
  /** Input keys the server ignores (read-only in the contract). */
  readOnly?: readonly string[];
  actions?: Action[];
  /** Columns searched by `?search=` (icontains, terms AND-ed, columns OR-ed). */
  search?: (SQLiteColumn | SQL)[];
  /** `?ordering=` keys; `-key` for descending. */
  ordering?: Record<string, SQLiteColumn | SQL>;
  /** Default ordering, e.g. `['-created_at', '-id']`; `id` is always the final tie-breaker. */
  defaultOrdering?: string[];
  filters?: Record<string, Filter>;
  /** Row visibility: rows outside it are 404 on detail routes and absent from lists. */
  scope?: (k: Kit) => SQL | undefined;
  /** DELETE sets is_deleted/deleted_at and lists hide deleted rows. */
  softDelete?: boolean;
  /** `any` lets Customers in; by default only Staff and Admin reach business resources. */
  audience?: 'staff' | 'any';
  /** Foreign keys checked before writing: field -> table (400 "Invalid pk" when missing). */
  foreignKeys?: Record<string, AnyTable>;
  /** Unique columns -> message for the 400 when violated. */
  uniques?: Record<string, string>;
  /** Object/function-level permission: false is a 403. */
  can?: (k: Kit, action: Action, row?: Row) => boolean | Promise<boolean>;
  /** Server-set fields and cross-field checks; returns the values to write. */
  prepare?: (
    k: Kit,
    input: Record<string, unknown>,
    existing?: Row,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Statements that run in the same batch as the write (all or nothing). */
  sideEffects?: (k: Kit, ev: WriteEvent) => Stmt[] | Promise<Stmt[]>;
  /** After the batch committed: publish events. */
  after?: (k: Kit, ev: WriteEvent) => void | Promise<void>;
  /** Adds computed and nested fields to rows with a bounded number of queries (no query per row). */
  expand?: (k: Kit, rows: Row[]) => Promise<Record<string, unknown>[]> | Record<string, unknown>[];
}

const DEFAULT_ACTIONS: Action[] = ['list', 'create', 'retrieve', 'update', 'partial_update', 'destroy'];

/** The kit context of a request on a protected route; enforces the audience rule. */
export function kitOf(c: Context<AppEnv>, audience: 'staff' | 'any' = 'staff'): Kit {
  const user = currentUser(c);
  if (audience === 'staff' && user.role === 'Customer') throw drf.forbidden();
  return { c, db: c.get('db'), user };
}

/** Middleware form of the audience rule, run before validation. */
export function audienceGuard(audience: 'staff' | 'any'): MiddlewareHandler<AppEnv> {
  return async function audienceGuard(c, next) {
    if (audience === 'staff' && c.get('user')?.role === 'Customer') throw drf.forbidden();
    await next();
  };
}

/** Builds `WHERE` for the visible rows of a resource. */
function visible(def: ResourceDef, k: Kit): SQL | undefined {
  const parts: (SQL | undefined)[] = [def.scope?.(k)];
  if (def.softDelete) parts.push(eq(def.table.is_deleted, false));
  return and(...parts.filter(Boolean));
}

/** Parses a path id; a malformed id is the same 404 as a missing row. */
export function parseId(raw: string, model: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > Number.MAX_SAFE_INTEGER) throw drf.notFound(`No ${model} matches the given query.`);
  return Number(raw);
}

/** Loads one visible row or throws the DRF 404. */
export async function getVisible(def: ResourceDef, k: Kit, id: number): Promise<Row> {
  const [row] = await k.db
    .select()
    .from(def.table)
    .where(and(eq(def.table.id, id), visible(def, k)))
    .limit(1);
  if (!row) throw drf.notFound(`No ${def.model} matches the given query.`);
  return row as Row;
}

/**
 * Case-insensitive "contains" without LIKE: D1 refuses LIKE/GLOB patterns over 50 bytes (a 500 for
 * a 49-character search term), `instr` has no pattern and no such limit; `%` and `_` are plain text.
 */
const contains = (col: SQLiteColumn | SQL, term: string) => sql`instr(lower(${col}), lower(${term})) > 0`;

/** `?search=` over columns: whitespace/comma separated terms AND-ed, each OR-ed over the columns. */
export function searchWhere(columns: (SQLiteColumn | SQL)[], term: string | undefined): SQL | undefined {
  const terms = (term ?? '')
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean)
    .slice(0, 10);
  if (!terms.length || !columns.length) return undefined;
  return and(...terms.map((t) => or(...columns.map((col) => contains(col, t)))));
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

/** Applies declared filters; a malformed value is a 400 naming the parameter. */
export function filterWhere(
  filters: Record<string, Filter> | undefined,
  query: Record<string, string | undefined>,
): SQL | undefined {
  if (!filters) return undefined;
  const parts: SQL[] = [];
  for (const [name, f] of Object.entries(filters)) {
    const raw = query[name];
    if (raw === undefined || raw === '') continue;
    const type = f.type ?? 'str';
    let value: string | number | boolean = raw;
    if (type === 'int') {
      if (!/^-?\d+$/.test(raw)) throw drf.field(name, 'Enter a number.');
      value = Number(raw);
    } else if (type === 'bool') {
      if (BOOL_TRUE.has(raw)) value = true;
      else if (BOOL_FALSE.has(raw)) value = false;
      else continue; // django-filter ignores other values
    } else if (type === 'date') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) throw drf.field(name, 'Enter a valid date.');
    } else if (type === 'datetime') {
      if (Number.isNaN(Date.parse(raw))) throw drf.field(name, 'Enter a valid date/time.');
      value = new Date(raw).toISOString();
    }
    const col = f.column;
    switch (f.op ?? 'exact') {
      case 'icontains':
        parts.push(contains(col, String(value)));
        break;
      case 'gte':
        parts.push(sql`${col} >= ${value}`);
        break;
      case 'lte':
        parts.push(sql`${col} <= ${value}`);
        break;
      case 'date_gte':
        parts.push(sql`${col} >= ${`${value}T00:00:00.000Z`}`);
        break;
      case 'date_lte':
        parts.push(sql`${col} <= ${`${value}T23:59:59.999Z`}`);
        break;
      default:
        parts.push(sql`${col} = ${typeof value === 'boolean' ? (value ? 1 : 0) : value}`);
    }
  }
  return parts.length ? and(...parts) : undefined;
}

/** Picks the fields of a read schema from a row (never leaks internal columns). */
export function pick(schema: AnyObject, row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema.shape)) out[key] = row[key] === undefined ? null : row[key];
  return out;
}

/** Serialises rows through the resource's expand hook and read schema. */
export async function serialize(def: ResourceDef, k: Kit, rows: Row[]) {
  const expanded = def.expand ? await def.expand(k, rows) : rows;
  return expanded.map((r) => pick(def.schemas.read, r));
}

/** Maps D1 constraint errors to DRF 400s; rethrows anything else. */
export function constraintError(err: unknown, def: Pick<ResourceDef, 'model' | 'uniques' | 'table'>): never {
  const msg = String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? '');
  const unique = /UNIQUE constraint failed: (?:index '([^']+)'|([\w.]+)(?:, [\w.]+)*)/.exec(msg);
  if (unique) {
    const column = unique[2]?.split('.').pop() ?? unique[1] ?? 'non_field_errors';
    const field = Object.keys(def.table).find((k) => (def.table[k] as { name?: string })?.name === column) ?? column;
    const message = def.uniques?.[field] ?? `${def.model.toLowerCase()} with this ${field.replace(/_/g, ' ')} already exists.`;
    throw drf.field(field, message);
  }
  if (/FOREIGN KEY constraint failed/.test(msg)) throw drf.nonField('A referenced object does not exist.');
  if (/CHECK constraint failed/.test(msg)) throw drf.nonField('A value is out of range.');
  throw err;
}

/** Checks that referenced rows exist, in one round trip; 400 with DRF's "Invalid pk" message. */
export async function checkForeignKeys(db: Db, fks: Record<string, AnyTable> | undefined, values: Record<string, unknown>) {
  if (!fks) return;
  const checks = Object.entries(fks).filter(([field]) => values[field] !== undefined && values[field] !== null);
  if (!checks.length) return;
  const queries = checks.map(([field, table]) =>
    db
      .select({ id: table.id })
      .from(table)
      .where(eq(table.id, values[field] as number))
      .limit(1),
  );
  const results = (await db.batch(queries as unknown as [Stmt, ...Stmt[]])) as unknown as unknown[][];
  const errors: Record<string, string[]> = {};
  checks.forEach(([field], i) => {
    if (!results[i].length) errors[field] = [`Invalid pk "${values[field]}" - object does not exist.`];
  });
  if (Object.keys(errors).length) throw drf.fields(errors);
}

/** Drops read-only and unknown keys from validated input. */
function writable(def: ResourceDef, input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const ro = new Set(def.readOnly ?? []);
  for (const [key, value] of Object.entries(input)) {
    if (ro.has(key) || value === undefined) continue;
    if (!(key in def.table)) continue;
    out[key] = value;
  }
  return out;
}

async function batch(db: Db, stmts: Stmt[]): Promise<unknown[]> {
  if (!stmts.length) return [];
  return (await db.batch(stmts as [Stmt, ...Stmt[]])) as unknown[];
}

/** Creates a row (and its side effects) atomically; returns the stored row. */
export async function createRow(def: ResourceDef, k: Kit, input: Record<string, unknown>): Promise<Row> {
  let values = writable(def, input);
  if (def.prepare) values = await def.prepare(k, values);
  await checkForeignKeys(k.db, def.foreignKeys, values);
  if ('uuid' in def.table && !values.uuid) values.uuid = crypto.randomUUID();
  const ev: WriteEvent = { action: 'create', values };
  const extra = def.sideEffects ? await def.sideEffects(k, ev) : [];
  let results: unknown[];
  try {
    results = await batch(k.db, [
      k.db.insert(def.table).values(values).returning({ id: def.table.id }) as unknown as Stmt,
      ...extra,
    ]);
  } catch (err) {
    constraintError(err, def);
  }
  const id = (results[0] as { id: number }[])[0].id;
  const [row] = await k.db.select().from(def.table).where(eq(def.table.id, id)).limit(1);
  ev.row = row as Row;
  await def.after?.(k, ev);
  return row as Row;
}

/** Updates a row (and its side effects) atomically; returns the stored row. */
export async function updateRow(def: ResourceDef, k: Kit, existing: Row, input: Record<string, unknown>): Promise<Row> {
  let values = writable(def, input);
  if (def.prepare) values = await def.prepare(k, values, existing);
  await checkForeignKeys(k.db, def.foreignKeys, values);
  if ('updated_at' in def.table) values.updated_at = nowIso();
  const ev: WriteEvent = { action: 'update', values: { ...values, uuid: existing.uuid }, existing };
  const extra = def.sideEffects ? await def.sideEffects(k, ev) : [];
  const stmts: Stmt[] = [];
  if (Object.keys(values).length)
    stmts.push(k.db.update(def.table).set(values).where(eq(def.table.id, existing.id)) as unknown as Stmt);
  try {
    await batch(k.db, [...stmts, ...extra]);
  } catch (err) {
    constraintError(err, def);
  }
  const [row] = await k.db.select().from(def.table).where(eq(def.table.id, existing.id)).limit(1);
  ev.row = row as Row;
  await def.after?.(k, ev);
  return row as Row;
}

/** Deletes (or soft-deletes) a row with its side effects, atomically. */
export async function destroyRow(def: ResourceDef, k: Kit, existing: Row): Promise<void> {
  const ev: WriteEvent = { action: 'destroy', values: {}, existing };
  const extra = def.sideEffects ? await def.sideEffects(k, ev) : [];
  const main = def.softDelete
    ? k.db.update(def.table).set({ is_deleted: true, deleted_at: nowIso() }).where(eq(def.table.id, existing.id))
    : k.db.delete(def.table).where(eq(def.table.id, existing.id));
  try {
    await batch(k.db, [...extra, main as unknown as Stmt]);
  } catch (err) {
    constraintError(err, def);
  }
  await def.after?.(k, ev);
}

/** Lists visible rows with search, filters, ordering and pagination: count and page in one round trip. */
export async function listRows(def: ResourceDef, k: Kit, extraWhere?: SQL) {
  const query = k.c.req.query();
  const page = pageRequest(query);
  const where = and(
    ...[visible(def, k), extraWhere, searchWhere(def.search ?? [], query.search), filterWhere(def.filters, query)].filter(
      Boolean,
    ),
  );
  const order = orderBy(def.ordering, query.ordering, def.defaultOrdering ?? ['id'], def.table.id);
  const [[{ total }], rows] = (await k.db.batch([
    k.db.select({ total: count() }).from(def.table).where(where),
    k.db
      .select()
      .from(def.table)
      .where(where)
      .orderBy(...order)
      .limit(page.pageSize)
      .offset(page.offset),
  ])) as unknown as [[{ total: number }], Row[]];
  return paginate(k.c.req.url, page, total, await serialize(def, k, rows));
}

/** Documented query parameters of a list route. */
function listQuery(def: ResourceDef) {
  const shape: Record<string, z.ZodType> = { ...pageParams };
  if (def.search?.length) shape.search = z.string().optional().openapi({ description: 'A search term.' });
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
      .openapi({ type, description: f.description, format: f.type === 'date' ? 'date' : undefined });
  }
  return z.object(shape);
}

const idParam = (model: string) =>
  z.object({
    id: z.string().openapi({
      param: { name: 'id', in: 'path' },
      type: 'integer',
      description: `A unique integer value identifying this ${model.toLowerCase()}.`,
    }),
  });

/** Mounts the resource's routes on a router (paths are absolute under /api). */
export function mountResource(app: OpenAPIHono<AppEnv>, def: ResourceDef) {
  const actions = def.actions ?? DEFAULT_ACTIONS;
  const base = `/api${def.path}`;
  const detail = `${base}{id}/`;
  const tags = [def.tag];
  const audience = def.audience ?? 'staff';
  const page = def.schemas.page ?? paginated(def.schemas.read, def.schemas.pageName ?? `Paginated${def.model}List`);
  const guard = async (k: Kit, action: Action, row?: Row) => {
    if (def.can && !(await def.can(k, action, row))) throw drf.forbidden();
  };
  // Authentication, then the audience rule, both before body validation: a Customer gets 403, not 400.
  const auth: MiddlewareHandler<AppEnv>[] = [requireAuth(), audienceGuard(audience)];

  if (actions.includes('list')) {
    const route = createRoute({
      method: 'get',
      path: base,
      operationId: `${def.operationId}_list`,
      tags,
      security: bearer,
      middleware: auth,
      request: { query: listQuery(def) },
      responses: { 200: jsonResponse(page, ''), ...drfErrors },
    });
    app.openapi(route, async (c) => {
      const k = kitOf(c, audience);
      await guard(k, 'list');
      return c.json((await listRows(def, k)) as never, 200);
    });
  }

  if (actions.includes('create')) {
    const route = createRoute({
      method: 'post',
      path: base,
      operationId: `${def.operationId}_create`,
      tags,
      security: bearer,
      middleware: auth,
      request: { body: jsonBody(def.schemas.write) },
      responses: { 201: jsonResponse(def.schemas.read, ''), ...drfErrors },
    });
    app.openapi(route, async (c) => {
      const k = kitOf(c, audience);
      await guard(k, 'create');
      const row = await createRow(def, k, c.req.valid('json') as Record<string, unknown>);
      const [body] = await serialize(def, k, [row]);
      return c.json(body as never, 201);
    });
  }

  if (actions.includes('retrieve')) {
    const route = createRoute({
      method: 'get',
      path: detail,
      operationId: `${def.operationId}_retrieve`,
      tags,
      security: bearer,
      middleware: auth,
      request: { params: idParam(def.model) },
      responses: { 200: jsonResponse(def.schemas.read, ''), ...drfErrors },
    });
    app.openapi(route, async (c) => {
      const k = kitOf(c, audience);
      const row = await getVisible(def, k, parseId(c.req.param('id') ?? '', def.model));
      await guard(k, 'retrieve', row);
      const [body] = await serialize(def, k, [row]);
      return c.json(body as never, 200);
    });
  }

  for (const [action, method, schema] of [
    ['update', 'put', def.schemas.write],
    ['partial_update', 'patch', def.schemas.patch],
  ] as const) {
    if (!actions.includes(action)) continue;
    const route = createRoute({
      method,
      path: detail,
      operationId: `${def.operationId}_${action}`,
      tags,
      security: bearer,
      middleware: auth,
      request: { params: idParam(def.model), body: jsonBody(schema) },
      responses: { 200: jsonResponse(def.schemas.read, ''), ...drfErrors },
    });
    app.openapi(route, async (c) => {
      const k = kitOf(c, audience);
      const existing = await getVisible(def, k, parseId(c.req.param('id') ?? '', def.model));
      await guard(k, action, existing);
      const row = await updateRow(def, k, existing, c.req.valid('json') as Record<string, unknown>);
      const [body] = await serialize(def, k, [row]);
      return c.json(body as never, 200);
    });
  }

  if (actions.includes('destroy')) {
    const route = createRoute({
      method: 'delete',
      path: detail,
      operationId: `${def.operationId}_destroy`,
      tags,
      security: bearer,
      middleware: auth,
      request: { params: idParam(def.model) },
      responses: { 204: { description: 'No response body' }, ...drfErrors },
    });
    app.openapi(route, async (c) => {
      const k = kitOf(c, audience);
      const existing = await getVisible(def, k, parseId(c.req.param('id') ?? '', def.model));
      await guard(k, 'destroy', existing);
      await destroyRow(def, k, existing);
      return c.body(null, 204);
    });
  }
  return app;
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
  const map = new Map<number, T[]>();
  if (!parentIds.length) return map;
  const rows = (await db
    .select()
    .from(table)
    .where(and(inArray(fk, [...new Set(parentIds)]), where))
    .orderBy(...order)) as T[];
  const key = Object.keys(table).find((k) => table[k] === fk) ?? '';
  for (const row of rows) {
    const pid = row[key] as number;
    if (!map.has(pid)) map.set(pid, []);
    map.get(pid)!.push(row);
  }
  return map;
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
