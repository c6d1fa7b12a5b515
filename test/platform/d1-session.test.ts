/**
 * The request's D1 connection (src/db/session.ts): authorization rides the first round trip,
 * batched joins keep every column, and the session bookmark goes back and forth.
 */
import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { Connection, GuardError, openConnection } from '../../src/db/session';
import { api, countingD1, expectStatus, makeUser } from '../helpers';

const users = sqliteTable('users', { id: integer('id').primaryKey(), username: text('username'), email: text('email') });
const prefs = sqliteTable('user_preferences', { user_id: integer('user_id'), language: text('language') });

describe('the request connection', () => {
  it('keeps both columns of a batched join whose names collide (D1 returns batch rows as objects)', async () => {
    const u = await makeUser();
    const conn = openConnection(env.DB, 'GET');
    const db = drizzle(conn.d1);
    const joined = db
      .select({ a: users.id, b: prefs.user_id, name: users.username, lang: prefs.language })
      .from(users)
      .innerJoin(prefs, eq(prefs.user_id, users.id))
      .where(eq(users.id, u.id));
    const [rows, again] = await db.batch([
      joined,
      db.select({ x: users.id, y: users.username }).from(users).where(eq(users.id, u.id)),
    ]);
    expect(rows).toEqual([{ a: u.id, b: u.id, name: u.username, lang: 'en' }]);
    expect(again).toEqual([{ x: u.id, y: u.username }]);
    expect(conn.roundTrips).toBe(1);
  });

  it('keeps the order of a batched ordered select', async () => {
    for (let i = 0; i < 3; i++) await makeUser();
    const conn = openConnection(env.DB, 'GET');
    const db = drizzle(conn.d1);
    const direct = await env.DB.prepare('select id from users order by username desc').all<{ id: number }>();
    const [rows] = await db.batch([db.select({ id: users.id }).from(users).orderBy(users.username)]);
    expect(rows.map((r) => r.id)).toEqual(direct.results.map((r) => r.id).reverse());
  });

  it('runs the guard in the first round trip and aborts it, writes included, when the guard fails', async () => {
    const u = await makeUser();
    const conn = new Connection(env.DB);
    const db = drizzle(conn.d1);
    conn.armGuard("select json_extract('{}', case when ?1 then '$' else 'auth_guard:token_revoked' end)", [0]);
    await expect(db.update(users).set({ email: 'changed@example.com' }).where(eq(users.id, u.id))).rejects.toSatisfy(
      (err: unknown) => (err as { cause?: unknown }).cause instanceof GuardError || err instanceof GuardError,
    );
    const row = await env.DB.prepare('select email from users where id = ?').bind(u.id).first<{ email: string }>();
    expect(row?.email).toBe(u.email);
    expect(conn.roundTrips).toBe(1);
    // The guard rode once: the next statement runs alone.
    await db.select().from(users).where(eq(users.id, u.id));
    expect(conn.roundTrips).toBe(2);
  });
});

describe('authorization in the first round trip', () => {
  it('answers a protected read in one D1 round trip, the token check included', async () => {
    const u = await makeUser({ role: 'Staff' });
    const zone = await api('/api/field/zones/', { token: u.token, body: { name: `zone-rt-${u.id}` } });
    expectStatus(zone, 201);
    const DB = countingD1();
    const res = await api(`/api/field/zones/${zone.json.id}/`, { token: u.token, env: { ...env, DB } });
    expectStatus(res, 200);
    expect(DB.trips).toBe(1);
    const list = await api('/api/field/zones/', { token: u.token, env: { ...env, DB } });
    expectStatus(list, 200);
    expect(DB.trips).toBe(2);
  });

  it('refuses a deactivated user at once (401) in that same round trip', async () => {
    const u = await makeUser({ role: 'Staff' });
    await env.DB.prepare('update users set is_active = 0 where id = ?').bind(u.id).run();
    const DB = countingD1();
    const res = await api('/api/field/zones/', { token: u.token, env: { ...env, DB } });
    expectStatus(res, 401);
    expect(res.json.detail).toBe('User is inactive');
    expect(DB.trips).toBe(1);
  });

  it('refuses a token whose version was bumped (revocation) at once', async () => {
    const u = await makeUser({ role: 'Staff' });
    await env.DB.prepare('update users set token_version = token_version + 1 where id = ?').bind(u.id).run();
    const res = await api('/api/field/leads/', { token: u.token });
    expectStatus(res, 401);
    expect(res.json.code).toBe('token_not_valid');
  });

  it('writes nothing for a revoked token', async () => {
    const u = await makeUser({ role: 'Staff' });
    await env.DB.prepare('update users set token_version = token_version + 1 where id = ?').bind(u.id).run();
    const res = await api('/api/field/zones/', { token: u.token, body: { name: `zone-revoked-${u.id}` } });
    expectStatus(res, 401);
    const row = await env.DB.prepare('select count(*) as n from zones where name = ?')
      .bind(`zone-revoked-${u.id}`)
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
  });
});

describe('read replicas: the D1 session bookmark', () => {
  it('returns x-d1-bookmark on every response that touched D1, and honours one sent back', async () => {
    const u = await makeUser({ role: 'Staff' });
    const created = await api('/api/field/zones/', { token: u.token, body: { name: `zone-bm-${u.id}` } });
    expectStatus(created, 201);
    const bookmark = created.headers.get('x-d1-bookmark');
    expect(bookmark, 'a write returns its bookmark').toBeTruthy();
    const read = await api(`/api/field/zones/${created.json.id}/`, { token: u.token, headers: { 'x-d1-bookmark': bookmark! } });
    expectStatus(read, 200);
    expect(read.json.name).toBe(`zone-bm-${u.id}`);
    expect(read.headers.get('x-d1-bookmark')).toBeTruthy();
  });

  it('ignores a malformed bookmark instead of failing the request', async () => {
    const u = await makeUser({ role: 'Staff' });
    const read = await api('/api/field/zones/', { token: u.token, headers: { 'x-d1-bookmark': 'not-a-bookmark' } });
    expectStatus(read, 200);
  });
});
