import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;
let customer: TestUser;
let tagA: number;
let tagB: number;
beforeAll(async () => {
  [staff, admin, customer] = await Promise.all([makeUser(), makeUser({ role: 'Admin' }), makeUser({ role: 'Customer' })]);
  // users.Tag has no endpoint: tags are data seeded by operators.
  tagA = (await env.DB.prepare("INSERT INTO user_tags (name) VALUES ('vip') RETURNING id").first<{ id: number }>())!.id;
  tagB = (await env.DB.prepare("INSERT INTO user_tags (name) VALUES ('ops') RETURNING id").first<{ id: number }>())!.id;
});

const base = '/api/accounts/staff-roles/';

describe('staff roles', () => {
  it('creates with defaults and tags, retrieves', async () => {
    const res = await api(base, { token: staff.token, body: { title: 'Mascot', tags: [tagB, tagA, tagA] } });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      title: 'Mascot',
      description: '',
      dashboard_url: null,
      is_virtual: false,
      prompt_context: '',
      tags: [tagA, tagB].sort((a, b) => a - b),
      is_deleted: false,
      deleted_at: null,
    });
    expect(typeof res.json.uuid).toBe('string');
    expect((await api(`${base}${res.json.id}/`, { token: staff.token })).json).toEqual(res.json);
  });

  it('PUT replaces fields and tags; PATCH keeps tags unless sent', async () => {
    const role = (await api(base, { token: staff.token, body: { title: 'PM', tags: [tagA] } })).json;
    const put = await api(`${base}${role.id}/`, {
      method: 'PUT',
      token: staff.token,
      body: {
        title: 'Project Manager',
        is_virtual: true,
        prompt_context: 'Be brief.',
        dashboard_url: 'https://x.test/pm',
        tags: [tagB],
      },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({
      title: 'Project Manager',
      is_virtual: true,
      prompt_context: 'Be brief.',
      dashboard_url: 'https://x.test/pm',
      tags: [tagB],
    });
    const patch = await api(`${base}${role.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { description: 'runs projects' },
    });
    expect(patch.json).toMatchObject({ description: 'runs projects', tags: [tagB] });
    const cleared = await api(`${base}${role.id}/`, { method: 'PATCH', token: staff.token, body: { tags: [] } });
    expect(cleared.json.tags).toEqual([]);
  });

  it('validates title, dashboard_url and tag ids', async () => {
    const res = await api(base, { token: staff.token, body: { dashboard_url: 'not a url', tags: ['x'] } });
    expectStatus(res, 400);
    expect(res.json.title).toEqual(['This field is required.']);
    expect(res.json).toHaveProperty('dashboard_url');
    expect(res.json).toHaveProperty('tags');
    const missing = await api(base, { token: staff.token, body: { title: 't', tags: [tagA, 99999999] } });
    expectStatus(missing, 400);
    expect(missing.json.tags).toEqual(['Invalid pk "99999999" - object does not exist.']);
  });

  it('lists by id with pagination', async () => {
    const a = (await api(base, { token: staff.token, body: { title: 'A' } })).json;
    const b = (await api(base, { token: staff.token, body: { title: 'B', tags: [tagA] } })).json;
    const res = await api(`${base}?page_size=100`, { token: staff.token });
    expectStatus(res, 200);
    const ids = res.json.results.map((r: { id: number }) => r.id);
    expect(ids).toEqual([...ids].sort((x: number, y: number) => x - y));
    expect(res.json.results.find((r: { id: number }) => r.id === b.id).tags).toEqual([tagA]);
    expect(ids).toContain(a.id);
  });

  it('only Admins delete (soft); the role disappears from lists', async () => {
    const role = (await api(base, { token: staff.token, body: { title: 'Temp' } })).json;
    expectStatus(await api(`${base}${role.id}/`, { method: 'DELETE', token: staff.token }), 403);
    expectStatus(await api(`${base}${role.id}/`, { method: 'DELETE', token: admin.token }), 204);
    expectStatus(await api(`${base}${role.id}/`, { token: staff.token }), 404);
    const ids = (await api(`${base}?page_size=100`, { token: staff.token })).json.results.map((r: { id: number }) => r.id);
    expect(ids).not.toContain(role.id);
  });

  it('refuses customers (403) and anonymous callers (401)', async () => {
    expectStatus(await api(base, { token: customer.token }), 403);
    expectStatus(await api(base, { token: customer.token, body: { title: 'x' } }), 403);
    expectStatus(await api(base), 401);
  });
});
