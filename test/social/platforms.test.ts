import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let customer: TestUser;

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  customer = await makeUser({ role: 'Customer' });
});

describe('social platform profiles', () => {
  it('creates, lists, retrieves, updates and deletes a profile (last_synced with six fractional digits as the original prints it; we printed three)', async () => {
    const res = await api('/api/social/platforms/', { token: staff.token, body: { platform: 'youtube' } });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ platform: 'youtube', followers: 0, posts_made: 0, last_synced: null });
    const id = res.json.id;
    const list = await api('/api/social/platforms/', { token: staff.token });
    expectStatus(list, 200);
    expect(list.json.results.map((r: any) => r.id)).toContain(id);
    expectStatus(await api(`/api/social/platforms/${id}/`, { token: staff.token }), 200);
    const put = await api(`/api/social/platforms/${id}/`, {
      method: 'PUT',
      token: staff.token,
      body: { platform: 'youtube', followers: 1200, last_synced: '2030-01-01T12:00:00+02:00' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ followers: 1200, last_synced: '2030-01-01T10:00:00.000000Z' });
    const patch = await api(`/api/social/platforms/${id}/`, { method: 'PATCH', token: staff.token, body: { posts_made: 7 } });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ followers: 1200, posts_made: 7 });
    expectStatus(await api(`/api/social/platforms/${id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/social/platforms/${id}/`, { token: staff.token }), 404);
  });

  it('allows one profile per platform', async () => {
    expectStatus(await api('/api/social/platforms/', { token: staff.token, body: { platform: 'linkedin' } }), 201);
    const dup = await api('/api/social/platforms/', { token: staff.token, body: { platform: 'linkedin' } });
    expectStatus(dup, 400);
    expect(dup.json).toEqual({ platform: ['social platform profile with this platform already exists.'] });
  });

  it('orders by followers', async () => {
    const a = await api('/api/social/platforms/', { token: staff.token, body: { platform: 'facebook', followers: 50 } });
    const b = await api('/api/social/platforms/', { token: staff.token, body: { platform: 'instagram', followers: 500 } });
    const res = await api('/api/social/platforms/?ordering=-followers&page_size=100', { token: staff.token });
    const ids = res.json.results.map((r: any) => r.id);
    expect(ids.indexOf(b.json.id)).toBeLessThan(ids.indexOf(a.json.id));
  });

  it('rejects invalid input', async () => {
    const missing = await api('/api/social/platforms/', { token: staff.token, body: {} });
    expectStatus(missing, 400);
    expect(missing.json.platform).toBeDefined();
    const bad = await api('/api/social/platforms/', {
      token: staff.token,
      body: { platform: 'myspace', followers: -3, last_synced: 'yesterday' },
    });
    expectStatus(bad, 400);
    expect(Object.keys(bad.json).sort()).toEqual(['followers', 'last_synced', 'platform']);
    const ok = await api('/api/social/platforms/', { token: staff.token, body: { platform: 'x' } });
    expectStatus(ok, 201);
    expectStatus(await api(`/api/social/platforms/${ok.json.id}/`, { method: 'PUT', token: staff.token, body: {} }), 400);
    expectStatus(
      await api(`/api/social/platforms/${ok.json.id}/`, { method: 'PATCH', token: staff.token, body: { posts_made: 'x' } }),
      400,
    );
  });

  it('refuses customers and anonymous callers on every operation', async () => {
    const p = await api('/api/social/platforms/', { token: staff.token, body: { platform: 'tiktok' } });
    expectStatus(p, 201);
    const id = p.json.id;
    const ops: [string, string][] = [
      ['GET', '/api/social/platforms/'],
      ['POST', '/api/social/platforms/'],
      ['GET', `/api/social/platforms/${id}/`],
      ['PUT', `/api/social/platforms/${id}/`],
      ['PATCH', `/api/social/platforms/${id}/`],
      ['DELETE', `/api/social/platforms/${id}/`],
    ];
    for (const [method, path] of ops) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { platform: 'tiktok', followers: 9 };
      expectStatus(await api(path, { method, token: customer.token, body }), 403);
      expectStatus(await api(path, { method, body }), 401);
    }
    expect((await api(`/api/social/platforms/${id}/`, { token: staff.token })).json.followers).toBe(0);
  });
});
