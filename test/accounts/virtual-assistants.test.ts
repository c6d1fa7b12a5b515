import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;
beforeAll(async () => {
  [staff, admin] = await Promise.all([makeUser(), makeUser({ role: 'Admin' })]);
});

const post = async (path: string, body: Record<string, unknown>) => {
  const res = await api(path, { token: staff.token, body });
  expectStatus(res, 201);
  return res.json;
};

describe('virtual-assistants (public)', () => {
  it('lists profiles of live virtual roles with role/department/designation/branch, without a token', async () => {
    const role = await post('/api/accounts/staff-roles/', {
      title: 'Brand Mascot',
      is_virtual: true,
      dashboard_url: 'https://x.test/m',
    });
    const plain = await post('/api/accounts/staff-roles/', { title: 'Clerk' });
    const dep = await post('/api/accounts/departments/', { name: 'Digital' });
    const des = await post('/api/accounts/designations/', { name: 'Mascot' });
    const br = await post('/api/accounts/branches/', { name: 'Head Office' });
    const tami = await post('/api/accounts/staff-profiles/', {
      name: 'Tami',
      role: role.id,
      department: dep.id,
      designation: des.id,
      branch: br.id,
    });
    const bare = await post('/api/accounts/staff-profiles/', { name: 'Bare', role: role.id });
    const clerk = await post('/api/accounts/staff-profiles/', { name: 'Clerk', role: plain.id });
    const res = await api('/api/accounts/virtual-assistants/?page_size=100');
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ previous: null });
    const items = res.json.results;
    expect(items.find((i: { id: number }) => i.id === tami.id)).toEqual({
      id: tami.id,
      name: 'Tami',
      role: { id: role.id, dashboard_url: 'https://x.test/m', title: 'Brand Mascot' },
      department: 'Digital',
      designation: 'Mascot',
      branch: 'Head Office',
    });
    expect(items.find((i: { id: number }) => i.id === bare.id)).toMatchObject({
      department: null,
      designation: null,
      branch: null,
    });
    expect(items.map((i: { id: number }) => i.id)).not.toContain(clerk.id);
  });

  it('hides deleted profiles and profiles of deleted roles', async () => {
    const role = await post('/api/accounts/staff-roles/', { title: 'Head of Finance', is_virtual: true });
    const p = await post('/api/accounts/staff-profiles/', { name: 'Fin', role: role.id });
    const role2 = await post('/api/accounts/staff-roles/', { title: 'Head Media', is_virtual: true });
    const p2 = await post('/api/accounts/staff-profiles/', { name: 'Media', role: role2.id });
    await api(`/api/accounts/staff-profiles/${p.id}/`, { method: 'DELETE', token: staff.token });
    await api(`/api/accounts/staff-roles/${role2.id}/`, { method: 'DELETE', token: admin.token });
    const ids = (await api('/api/accounts/virtual-assistants/?page_size=100')).json.results.map((i: { id: number }) => i.id);
    expect(ids).not.toContain(p.id);
    expect(ids).not.toContain(p2.id);
  });

  it('orders by id by default and by ?ordering=name / -created_at; pages', async () => {
    const role = await post('/api/accounts/staff-roles/', { title: 'PM', is_virtual: true });
    const z = await post('/api/accounts/staff-profiles/', { name: 'zz-last', role: role.id });
    const a = await post('/api/accounts/staff-profiles/', { name: 'aa-first', role: role.id });
    const byId = (await api('/api/accounts/virtual-assistants/?page_size=100')).json.results.map((i: { id: number }) => i.id);
    expect(byId).toEqual([...byId].sort((x: number, y: number) => x - y));
    const byName = (await api('/api/accounts/virtual-assistants/?page_size=100&ordering=name')).json.results.map(
      (i: { name: string }) => i.name,
    );
    expect(byName).toEqual([...byName].sort());
    expect(byName.indexOf('aa-first')).toBeLessThan(byName.indexOf('zz-last'));
    const newest = (await api('/api/accounts/virtual-assistants/?ordering=-created_at')).json.results[0].id;
    expect(newest).toBe(a.id);
    expect(z.id).toBeLessThan(a.id);
    const p1 = await api('/api/accounts/virtual-assistants/?page_size=1');
    expect(p1.json.results).toHaveLength(1);
    expect(p1.json.next).toContain('page=2');
  });

  it('ignores a bad token on this public route', async () => {
    expectStatus(await api('/api/accounts/virtual-assistants/', { token: 'garbage' }), 200);
  });
});
