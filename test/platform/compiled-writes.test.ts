/**
 * The kit's writes and row reads (insert, update, delete, the row of a detail or a read-back, the
 * reference checks) and the bookings' fixed statements are built once per shape (db/compiled.ts
 * `statement`), then only given each request's values. Each must be the statement drizzle builds
 * for the same values, map its rows as drizzle does, and never freeze a value drizzle computes per
 * row (`$defaultFn`, `$onUpdateFn`) or encode a null.
 */
import { env } from 'cloudflare:test';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { describe, expect, it } from 'vitest';
import { type Db, runBatch } from '../../src/db';
import { deleteStmt, insertStmt, rowStmt, statement, updateStmt } from '../../src/db/compiled';
import { leads } from '../../src/db/schema/field';
import { projects } from '../../src/db/schema/projects';
import { makeUser } from '../helpers';

type Query = { sql: string; params: unknown[] };
/** The text and values of a statement: compiled ones have `getQuery`, drizzle's builders `toSQL`. */
const textOf = (stmt: unknown): Query & { compiled: boolean } => {
  const s = stmt as { getQuery?: () => Query; toSQL?: () => Query };
  return s.getQuery ? { ...s.getQuery(), compiled: true } : { ...(s.toSQL as () => Query)(), compiled: false };
};
const plain = ({ sql, params }: Query) => ({ sql, params });
const db = () => drizzle(env.DB) as unknown as Db;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const lead = (n: number) => ({
  business_name: `Compiled ${n}`,
  contact_phone: `+2547000000${n}`,
  products_discussed: { items: ['desk', n] },
  contact_email: null,
  zone: null,
  is_deleted: false,
});

describe('compiled writes', () => {
  it('an insert is the statement drizzle builds for the same values, compiled once per shape', () => {
    const given = { ...lead(1), uuid: crypto.randomUUID(), created_at: '2030-01-01T00:00:00.000000Z' };
    const withDefaults = { ...given, updated_at: given.created_at };
    const first = textOf(insertStmt(db(), leads, withDefaults));
    const again = textOf(insertStmt(db(), leads, { ...withDefaults, business_name: 'Other' }));
    const reference = textOf(db().insert(leads).values(withDefaults));
    expect(first.compiled, 'the compiled path is taken').toBe(true);
    expect(plain(first)).toEqual(plain(reference));
    // Same shape, its own values.
    expect(again.sql).toBe(first.sql);
    expect(again.params).toContain('Other');
    expect(again.params).not.toContain(given.business_name);
  });

  it("drizzle's per-row defaults are made for each statement, never frozen into the shape", () => {
    const a = textOf(insertStmt(db(), leads, lead(2)));
    const b = textOf(insertStmt(db(), leads, lead(3)));
    expect(a.sql).toBe(b.sql);
    const uuidsA = a.params.filter((p) => typeof p === 'string' && UUID.test(p));
    const uuidsB = b.params.filter((p) => typeof p === 'string' && UUID.test(p));
    expect(uuidsA).toHaveLength(1);
    expect(uuidsB).toHaveLength(1);
    expect(uuidsA[0], 'each insert gets its own uuid').not.toBe(uuidsB[0]);
  });

  it('nulls are stored as NULL (not encoded), JSON and booleans as drizzle encodes them, rows read as drizzle reads them', async () => {
    const uuid = crypto.randomUUID();
    const [inserted, compiledRows, drizzleRows, types] = (await runBatch(db(), [
      insertStmt(db(), leads, { ...lead(4), uuid }),
      rowStmt(db(), leads, eq(leads.uuid, uuid)),
      db().select().from(leads).where(eq(leads.uuid, uuid)).limit(1),
      statement(
        db(),
        'test.types',
        (q) =>
          q
            .select({
              email: sql<string>`typeof(${leads.contact_email})`,
              zone: sql<string>`typeof(${leads.zone})`,
              deleted: sql<string>`typeof(${leads.is_deleted})`,
            })
            .from(leads)
            .where(eq(leads.uuid, sql.placeholder('uuid'))),
        { uuid },
      ),
    ])) as [D1Result, Record<string, unknown>[], Record<string, unknown>[], Record<string, unknown>[]];
    // A write maps to D1's result, as drizzle's does.
    expect(inserted).toMatchObject({ success: true, results: [] });
    expect(inserted.meta.changes).toBeGreaterThanOrEqual(1);
    expect(compiledRows).toEqual(drizzleRows);
    expect(compiledRows[0]).toMatchObject({ products_discussed: { items: ['desk', 4] }, contact_email: null, is_deleted: false });
    expect(types).toEqual([{ email: 'null', zone: 'null', deleted: 'integer' }]);
  });

  it('a null in a column drizzle encodes (money, JSON) is stored as NULL, not as its encoding', async () => {
    const owner = await makeUser();
    const uuid = crypto.randomUUID();
    const values = { name: 'Compiled', start_date: '2030-01-01', due_date: '2030-02-01', created_by: owner.id, uuid };
    const [, types, [row]] = (await runBatch(db(), [
      insertStmt(db(), projects, { ...values, budget: null, estimated_hours: null }),
      statement(
        db(),
        'test.projectTypes',
        (q) =>
          q
            .select({ budget: sql<string>`typeof(${projects.budget})`, tags: projects.tags })
            .from(projects)
            .where(eq(projects.uuid, sql.placeholder('uuid'))),
        { uuid },
      ),
      rowStmt(db(), projects, eq(projects.uuid, uuid)),
    ])) as [unknown, Record<string, unknown>[], Record<string, unknown>[]];
    expect(types).toEqual([{ budget: 'null', tags: [] }]);
    expect(row).toMatchObject({ budget: null, estimated_hours: null, tags: [] });
  });

  it("an update is drizzle's statement, with the $onUpdateFn column set for each request", async () => {
    const uuid = crypto.randomUUID();
    await runBatch(db(), [insertStmt(db(), leads, { ...lead(5), uuid, updated_at: '2000-01-01T00:00:00.000000Z' })]);
    const set = { notes: 'compiled', contact_email: null };
    const where = eq(leads.uuid, uuid);
    const update = textOf(updateStmt(db(), leads, set, where));
    expect(update.compiled).toBe(true);
    const stamp = update.params.find((p) => typeof p === 'string' && p.startsWith('20') && p.endsWith('Z'));
    expect(stamp, 'updated_at is set').toBeDefined();
    const reference = textOf(
      db()
        .update(leads)
        .set({ ...set, updated_at: stamp as string })
        .where(where),
    );
    expect(plain(update)).toEqual(plain(reference));
    const [, [row]] = (await runBatch(db(), [updateStmt(db(), leads, set, where), rowStmt(db(), leads, where)])) as [
      unknown,
      Record<string, unknown>[],
    ];
    expect(row).toMatchObject({ notes: 'compiled', contact_email: null });
    expect(row.updated_at, 'not the frozen first value').not.toBe('2000-01-01T00:00:00.000000Z');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = textOf(updateStmt(db(), leads, set, eq(leads.uuid, crypto.randomUUID())));
    expect(later.sql).toBe(update.sql);
    expect(later.params, 'a later update has its own updated_at').not.toContain(stamp);
  });

  it('a delete and a row read follow their where clause (its text is part of the shape)', async () => {
    const uuid = crypto.randomUUID();
    await runBatch(db(), [insertStmt(db(), leads, { ...lead(6), uuid })]);
    const byUuid = textOf(rowStmt(db(), leads, eq(leads.uuid, uuid)));
    const byId = textOf(rowStmt(db(), leads, eq(leads.id, 1)));
    expect(byUuid.sql).not.toBe(byId.sql);
    expect(plain(byId)).toEqual(plain(textOf(db().select().from(leads).where(eq(leads.id, 1)).limit(1))));
    const del = textOf(deleteStmt(db(), leads, eq(leads.uuid, uuid)));
    expect(plain(del)).toEqual(plain(textOf(db().delete(leads).where(eq(leads.uuid, uuid)))));
    const [, rows] = (await runBatch(db(), [
      deleteStmt(db(), leads, eq(leads.uuid, uuid)),
      rowStmt(db(), leads, eq(leads.uuid, uuid)),
    ])) as [unknown, unknown[]];
    expect(rows).toEqual([]);
  });

  it('what cannot be compiled is built by drizzle for the request: a value that is SQL, a where text holding a literal ?', async () => {
    const values = { ...lead(7), notes: sql`'from SQL'` };
    const built = textOf(insertStmt(db(), leads, values));
    expect(built.compiled).toBe(false);
    const uuid = crypto.randomUUID();
    await runBatch(db(), [insertStmt(db(), leads, { ...lead(8), uuid, notes: 'why?' })]);
    // The where text holds a `?` that is not a parameter: the statement is built for each request, with its own values.
    const odd = (id: string) => sql`${leads.notes} = 'why?' and ${leads.uuid} = ${id}`;
    const [[found], missing] = (await runBatch(db(), [
      rowStmt(db(), leads, odd(uuid)),
      rowStmt(db(), leads, odd(crypto.randomUUID())),
    ])) as [Record<string, unknown>[], unknown[]];
    expect(found).toMatchObject({ uuid, notes: 'why?' });
    expect(missing).toEqual([]);
  });
});
