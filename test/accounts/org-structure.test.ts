import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  [staff, admin, customer] = await Promise.all([makeUser(), makeUser({ role: 'Admin' }), makeUser({ role: 'Customer' })]);
});

for (const resource of ['departments', 'designations', 'branches']) {
  const base = `/api/accounts/${resource}/`;
  describe(resource, () => {
    it('creates, retrieves, updates (PUT/PATCH) with id + name only', async () => {
      const res = await api(base, { token: staff.token, body: { name: 'Finance', id: 777 } });
      expectStatus(res, 201);
      expect(Object.keys(res.json).sort()).toEqual(['id', 'name']);
      expect(res.json.name).toBe('Finance');
      const id = res.json.id;
      expect((await api(`${base}${id}/`, { token: staff.token })).json).toEqual(res.json);
      const put = await api(`${base}${id}/`, { method: 'PUT', token: staff.token, body: { name: 'Sales' } });
      expectStatus(put, 200);
      expect(put.json).toEqual({ id, name: 'Sales' });
      const patch = await api(`${base}${id}/`, { method: 'PATCH', token: staff.token, body: { name: 'Field Operations' } });
      expect(patch.json).toEqual({ id, name: 'Field Operations' });
    });

    it('lists paginated by id', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await api(base, { token: staff.token, body: { name: `N${i}` } })).json.id);
      const all = await api(`${base}?page_size=100`, { token: staff.token });
      expectStatus(all, 200);
      const listed = all.json.results.map((r: { id: number }) => r.id);
      expect(listed).toEqual([...listed].sort((a: number, b: number) => a - b));
      expect(listed).toEqual(expect.arrayContaining(ids));
      const p = await api(`${base}?page_size=1&page=2`, { token: staff.token });
      expect(p.json.results).toHaveLength(1);
      expect(p.json.count).toBe(all.json.count);
      expectStatus(await api(`${base}?page=9999`, { token: staff.token }), 404);
    });

    it('validates name', async () => {
      const res = await api(base, { token: staff.token, body: {} });
      expectStatus(res, 400);
      expect(res.json.name).toEqual(['This field is required.']);
      const long = await api(base, { token: staff.token, body: { name: 'x'.repeat(101) } });
      expectStatus(long, 400);
      expect(long.json).toHaveProperty('name');
    });

    it('only Admins delete (deliberate: the original let anyone); staff get 403', async () => {
      const id = (await api(base, { token: staff.token, body: { name: 'Temp' } })).json.id;
      expectStatus(await api(`${base}${id}/`, { method: 'DELETE', token: staff.token }), 403);
      expectStatus(await api(`${base}${id}/`, { method: 'DELETE', token: admin.token }), 204);
      expectStatus(await api(`${base}${id}/`, { token: staff.token }), 404);
    });

    it('refuses customers (403) and anonymous callers (401)', async () => {
      expectStatus(await api(base, { token: customer.token }), 403);
      expectStatus(await api(base, { token: customer.token, body: { name: 'x' } }), 403);
      expectStatus(await api(base), 401);
    });
  });
}

describe('deleting org structure', () => {
  it('sets the staff profiles’ department, designation and branch to null', async () => {
    const dep = (await api('/api/accounts/departments/', { token: staff.token, body: { name: 'D' } })).json;
    const des = (await api('/api/accounts/designations/', { token: staff.token, body: { name: 'E' } })).json;
    const br = (await api('/api/accounts/branches/', { token: staff.token, body: { name: 'B' } })).json;
    const profile = await api('/api/accounts/staff-profiles/', {
      token: staff.token,
      body: { name: 'alias', department: dep.id, designation: des.id, branch: br.id },
    });
    expectStatus(profile, 201);
    for (const [r, id] of [
      ['departments', dep.id],
      ['designations', des.id],
      ['branches', br.id],
    ])
      expectStatus(await api(`/api/accounts/${r}/${id}/`, { method: 'DELETE', token: admin.token }), 204);
    const after = await api(`/api/accounts/staff-profiles/${profile.json.id}/`, { token: staff.token });
    expect(after.json).toMatchObject({ department: null, designation: null, branch: null });
  });
});
