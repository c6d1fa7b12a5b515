/**
 * D1 round trips of every accounts operation over populated data (issue 16): each GET one round
 * trip (authorization included) whatever the page size, each write at most two. Users carry their
 * profiles, staff roles their tags, virtual assistants their role and org names.
 */
import { env } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, Budget, expectStatus, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let staff: TestUser;
let admin: TestUser;
const tags: number[] = [];
const ids: Record<string, number[]> = { branches: [], departments: [], designations: [], 'staff-roles': [] };

const post = async (token: string, path: string, body: Record<string, unknown>) => {
  const res = await api(path, { token, body });
  expectStatus(res, 201);
  return res.json;
};

beforeAll(async () => {
  [staff, admin] = await Promise.all([makeUser({ role: 'Staff' }), makeUser({ role: 'Admin' })]);
  for (const name of ['vip', 'ops', 'field'])
    tags.push(
      (await env.DB.prepare('INSERT INTO user_tags (name) VALUES (?) RETURNING id').bind(name).first<{ id: number }>())!.id,
    );
  for (let i = 0; i < 4; i++) {
    for (const kind of ['branches', 'departments', 'designations'])
      ids[kind].push((await post(staff.token, `/api/accounts/${kind}/`, { name: `${kind} ${i}` })).id);
    const role = await post(staff.token, '/api/accounts/staff-roles/', { title: `Role ${i}`, tags, is_virtual: true });
    ids['staff-roles'].push(role.id);
    await post(staff.token, '/api/accounts/staff-profiles/', {
      name: `Assistant ${i}`,
      role: role.id,
      department: ids.departments[i],
      designation: ids.designations[i],
      branch: ids.branches[i],
    });
    const customer = await makeUser({ role: 'Admin' });
    await post(staff.token, '/api/accounts/customer-profiles/', { user: customer.id });
  }
}, 120_000);

afterAll(() => budget.print('accounts'));

describe('accounts: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    for (const kind of ['branches', 'departments', 'designations', 'staff-roles', 'staff-profiles', 'customer-profiles'])
      await budget.pages(`accounts_${kind.replace('-', '_')}_list`, `/api/accounts/${kind}/`, staff.token);
    await budget.pages('accounts_users_list_list', '/api/accounts/users-list/', staff.token);
    await budget.pages('accounts_users_list_list', '/api/accounts/users-list/?search=user', admin.token);
    const small = await budget.call('accounts_virtual_assistants_list', '/api/accounts/virtual-assistants/?page_size=2');
    const large = await budget.call('accounts_virtual_assistants_list', '/api/accounts/virtual-assistants/?page_size=20');
    expect(large.trips).toBe(small.trips);
    expect(large.json.results.length).toBeGreaterThan(2);
    await budget.pages('accounts_virtual_assistants_list', '/api/accounts/virtual-assistants/', staff.token);
  });

  it('retrieves cost one round trip', async () => {
    for (const kind of ['branches', 'departments', 'designations', 'staff-roles'])
      await budget.call(`accounts_${kind.replace('-', '_')}_retrieve`, `/api/accounts/${kind}/${ids[kind][0]}/`, {
        token: staff.token,
      });
    const profiles = (await api('/api/accounts/staff-profiles/', { token: staff.token })).json.results;
    await budget.call('accounts_staff_profiles_retrieve', `/api/accounts/staff-profiles/${profiles[0].id}/`, {
      token: staff.token,
    });
    const customers = (await api('/api/accounts/customer-profiles/', { token: staff.token })).json.results;
    await budget.call('accounts_customer_profiles_retrieve', `/api/accounts/customer-profiles/${customers[0].id}/`, {
      token: staff.token,
    });
    const user = await budget.call('accounts_users_list_retrieve', `/api/accounts/users-list/${staff.id}/`, {
      token: staff.token,
    });
    expect(user.json.staff_profile, user.text).not.toBeNull();
  });

  it('writes cost at most two round trips', async () => {
    const t = staff.token;
    for (const kind of ['branches', 'departments', 'designations']) {
      const op = `accounts_${kind}`;
      const made = await budget.call(`${op}_create`, `/api/accounts/${kind}/`, { token: t, body: { name: `new ${kind}` } });
      const at = `/api/accounts/${kind}/${made.json.id}/`;
      await budget.call(`${op}_update`, at, { token: t, method: 'PUT', body: { name: `put ${kind}` } });
      await budget.call(`${op}_partial_update`, at, { token: t, method: 'PATCH', body: { name: `patch ${kind}` } });
      await budget.call(`${op}_destroy`, at, { token: admin.token, method: 'DELETE' });
    }
    const role = await budget.call('accounts_staff_roles_create', '/api/accounts/staff-roles/', {
      token: t,
      body: { title: 'Round trips', tags },
    });
    const roleAt = `/api/accounts/staff-roles/${role.json.id}/`;
    await budget.call('accounts_staff_roles_update', roleAt, { token: t, method: 'PUT', body: { title: 'RT', tags: [tags[0]] } });
    await budget.call('accounts_staff_roles_partial_update', roleAt, { token: t, method: 'PATCH', body: { tags: [] } });

    const profile = await budget.call('accounts_staff_profiles_create', '/api/accounts/staff-profiles/', {
      token: t,
      body: { name: 'RT', role: role.json.id, department: ids.departments[0], branch: ids.branches[0] },
    });
    const profileAt = `/api/accounts/staff-profiles/${profile.json.id}/`;
    await budget.call('accounts_staff_profiles_update', profileAt, { token: t, method: 'PUT', body: { name: 'RT2' } });
    await budget.call('accounts_staff_profiles_partial_update', profileAt, {
      token: t,
      method: 'PATCH',
      body: { designation: ids.designations[0] },
    });
    await budget.call('accounts_staff_profiles_destroy', profileAt, { token: t, method: 'DELETE' });
    await budget.call('accounts_staff_roles_destroy', roleAt, { token: admin.token, method: 'DELETE' });

    const someone = await makeUser({ role: 'Admin' });
    const customer = await budget.call('accounts_customer_profiles_create', '/api/accounts/customer-profiles/', {
      token: t,
      body: { user: someone.id },
    });
    const customerAt = `/api/accounts/customer-profiles/${customer.json.id}/`;
    await budget.call('accounts_customer_profiles_update', customerAt, { token: t, method: 'PUT', body: { user: someone.id } });
    await budget.call('accounts_customer_profiles_partial_update', customerAt, {
      token: t,
      method: 'PATCH',
      body: { referred_by: null },
    });
    await budget.call('accounts_customer_profiles_destroy', customerAt, { token: t, method: 'DELETE' });
  });

  it('every documented accounts operation was measured', async () => {
    expect(await budget.uncovered('/api/accounts/')).toEqual([]);
  });
});
