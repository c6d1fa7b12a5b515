import { env } from 'cloudflare:test';
import { drizzle } from 'drizzle-orm/d1';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/modules/users/service';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;
beforeAll(async () => {
  [staff, admin] = await Promise.all([makeUser(), makeUser({ role: 'Admin' })]);
});

const base = '/api/accounts/customer-profiles/';

describe('customer profiles', () => {
  it('creates, retrieves, updates and soft-deletes; referred_by points at a referral', async () => {
    const u = await makeUser({ role: 'Admin' });
    const ref = (await env.DB.prepare("INSERT INTO referrals (code, referrer_id, created_at) VALUES ('R1', ?, ?) RETURNING id")
      .bind(staff.id, new Date().toISOString())
      .first<{ id: number }>())!.id;
    const res = await api(base, { token: staff.token, body: { user: u.id, referred_by: ref } });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ user: u.id, referred_by: ref, is_deleted: false, deleted_at: null });
    const id = res.json.id;
    expect((await api(`${base}${id}/`, { token: staff.token })).json).toEqual(res.json);
    const put = await api(`${base}${id}/`, { method: 'PUT', token: staff.token, body: { user: u.id } });
    expectStatus(put, 200);
    expect(put.json.referred_by).toBe(ref); // omitted optional field is kept
    const patch = await api(`${base}${id}/`, { method: 'PATCH', token: staff.token, body: { referred_by: null } });
    expect(patch.json.referred_by).toBeNull();
    expectStatus(await api(`${base}${id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`${base}${id}/`, { token: staff.token }), 404);
  });

  it('validates: user required and unique, references must exist', async () => {
    const missing = await api(base, { token: staff.token, body: {} });
    expectStatus(missing, 400);
    expect(missing.json.user).toEqual(['This field is required.']);
    const bad = await api(base, { token: staff.token, body: { user: 99999999, referred_by: 99999999 } });
    expect(bad.json.user).toEqual(['Invalid pk "99999999" - object does not exist.']);
    expect(bad.json.referred_by).toEqual(['Invalid pk "99999999" - object does not exist.']);
    const u = await makeUser({ role: 'Admin' });
    expectStatus(await api(base, { token: staff.token, body: { user: u.id } }), 201);
    const dup = await api(base, { token: staff.token, body: { user: u.id } });
    expectStatus(dup, 400);
    expect(dup.json.user).toEqual(['customer profile with this user already exists.']);
  });

  it('a customer sees only their own profile and cannot write (403); staff see all', async () => {
    const db = drizzle(env.DB);
    const made = await createUser(db as never, {
      email: `cust${Date.now()}@example.com`,
      password: 'Str0ng!Passw0rd',
      role: 'Customer',
      username: `cust${Date.now()}`,
    });
    const login = await api('/api/users/login/', { body: { username: made.username, password: 'Str0ng!Passw0rd' } });
    expectStatus(login, 200);
    const token = login.json.access;
    const other = await api(base, { token: staff.token, body: { user: (await makeUser({ role: 'Admin' })).id } });
    const mine = await api(base, { token });
    expectStatus(mine, 200);
    expect(mine.json.count).toBe(1);
    expect(mine.json.results[0].user).toBe(made.id);
    const ownId = mine.json.results[0].id;
    expectStatus(await api(`${base}${ownId}/`, { token }), 200);
    expectStatus(await api(`${base}${other.json.id}/`, { token }), 404);
    expectStatus(await api(`${base}${ownId}/`, { method: 'PATCH', token, body: { referred_by: null } }), 403);
    expectStatus(await api(`${base}${ownId}/`, { method: 'DELETE', token }), 403);
    expectStatus(await api(base, { token, body: { user: made.id } }), 403);
    const all = await api(`${base}?page_size=100`, { token: staff.token });
    expect(all.json.count).toBeGreaterThan(1);
    expectStatus(await api(base), 401);
  });

  it('pages by id', async () => {
    for (let i = 0; i < 2; i++) await api(base, { token: admin.token, body: { user: (await makeUser({ role: 'Admin' })).id } });
    const res = await api(`${base}?page_size=1`, { token: admin.token });
    expectStatus(res, 200);
    expect(res.json.results).toHaveLength(1);
    const p2 = await api(`${base}?page_size=1&page=2`, { token: admin.token });
    expect(p2.json.results[0].id).toBeGreaterThan(res.json.results[0].id);
  });

  it('user creation makes a CustomerProfile for a Customer, a StaffProfile for Staff, neither for an Admin', async () => {
    const db = drizzle(env.DB) as never;
    const stamp = Date.now();
    const made = await Promise.all(
      (['Customer', 'Staff', 'Admin'] as const).map((role) =>
        createUser(db, { email: `${role}${stamp}@example.com`, password: 'Str0ng!Passw0rd', role, username: `${role}${stamp}` }),
      ),
    );
    const shapes = await Promise.all(
      made.map((u) => api(`/api/accounts/users-list/${u.id}/`, { token: admin.token }).then((r) => r.json)),
    );
    expect(shapes[0].customer_profile).toMatchObject({ user: made[0].id, referred_by: null });
    expect(shapes[0].staff_profile).toBeNull();
    expect(shapes[1].staff_profile).toMatchObject({ user: made[1].id, department: null, role: null });
    expect(shapes[1].customer_profile).toBeNull();
    expect(shapes[2].staff_profile).toBeNull();
    expect(shapes[2].customer_profile).toBeNull();
  });
});
