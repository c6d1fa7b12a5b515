import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  [staff, admin, customer] = await Promise.all([makeUser(), makeUser({ role: 'Admin' }), makeUser({ role: 'Customer' })]);
});

const base = '/api/accounts/staff-profiles/';
const create = async (body: Record<string, unknown>, token = staff.token) => {
  const res = await api(base, { token, body });
  expectStatus(res, 201);
  return res.json;
};

describe('staff profiles', () => {
  it('creates a virtual-assistant profile (no user); created_by defaults to the caller (the original left it null)', async () => {
    const role = (await api('/api/accounts/staff-roles/', { token: staff.token, body: { title: 'VA', is_virtual: true } })).json;
    const dep = (await api('/api/accounts/departments/', { token: staff.token, body: { name: 'Digital' } })).json;
    const p = await create({ name: 'Tami', role: role.id, department: dep.id });
    expect(p).toMatchObject({
      name: 'Tami',
      user: null,
      role: role.id,
      department: dep.id,
      designation: null,
      branch: null,
      assigned_to: null,
      created_by: staff.id,
    });
    expect((await api(`${base}${p.id}/`, { token: staff.token })).json).toEqual(p);
  });

  it('registration gives a Staff user a profile; one live profile per user (duplicate is 400); PUT and PATCH update', async () => {
    const u = await makeUser();
    const auto = (await api(`/api/accounts/users-list/${u.id}/`, { token: staff.token })).json.staff_profile;
    expect(auto).toMatchObject({ user: u.id, department: null, designation: null, branch: null, role: null, created_by: null });
    const dup = await api(base, { token: staff.token, body: { user: u.id } });
    expectStatus(dup, 400);
    expect(dup.json.user).toEqual(['staff profile with this user already exists.']);
    const put = await api(`${base}${auto.id}/`, {
      method: 'PUT',
      token: staff.token,
      body: { user: u.id, name: 'alias', assigned_to: staff.id },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ user: u.id, name: 'alias', assigned_to: staff.id });
    const patch = await api(`${base}${auto.id}/`, { method: 'PATCH', token: staff.token, body: { name: 'again' } });
    expect(patch.json).toMatchObject({ user: u.id, name: 'again', assigned_to: staff.id });
    expectStatus(await api(`${base}${auto.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`${base}${auto.id}/`, { token: staff.token }), 404);
    expectStatus(await api(base, { token: staff.token, body: { user: u.id } }), 201); // a soft-deleted one no longer blocks
  });

  it('rejects unknown and deleted references', async () => {
    const res = await api(base, { token: staff.token, body: { user: 99999999, department: 99999999 } });
    expectStatus(res, 400);
    expect(res.json.user).toEqual(['Invalid pk "99999999" - object does not exist.']);
    expect(res.json.department).toEqual(['Invalid pk "99999999" - object does not exist.']);
    const role = (await api('/api/accounts/staff-roles/', { token: staff.token, body: { title: 'gone' } })).json;
    await api(`/api/accounts/staff-roles/${role.id}/`, { method: 'DELETE', token: admin.token });
    const gone = await api(base, { token: staff.token, body: { role: role.id } });
    expectStatus(gone, 400);
    expect(gone.json.role).toEqual([`Invalid pk "${role.id}" - object does not exist.`]);
    const bad = await api(base, { token: staff.token, body: { name: 'x'.repeat(256) } });
    expectStatus(bad, 400);
    expect(bad.json).toHaveProperty('name');
  });

  it('lists by id, paginated', async () => {
    const a = await create({ name: 'a' });
    const b = await create({ name: 'b' });
    const res = await api(`${base}?page_size=100`, { token: staff.token });
    const ids = res.json.results.map((r: { id: number }) => r.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => x - y));
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    const p = await api(`${base}?page_size=1`, { token: staff.token });
    expect(p.json.results).toHaveLength(1);
    expect(p.json.next).toContain('page=2');
  });

  it('refuses customers (403) and anonymous callers (401)', async () => {
    const p = await create({ name: 'x' });
    expectStatus(await api(base, { token: customer.token }), 403);
    expectStatus(await api(`${base}${p.id}/`, { token: customer.token }), 403);
    expectStatus(await api(`${base}${p.id}/`, { method: 'DELETE', token: customer.token }), 403);
    expectStatus(await api(base), 401);
  });
});
