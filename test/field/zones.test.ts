import { beforeAll, describe, expect, it } from 'vitest';
import { createLead, createVisit, createZone, mark } from '../helpers/field';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let customer: TestUser;
beforeAll(async () => {
  [staff, customer] = await Promise.all([makeUser(), makeUser({ role: 'Customer' })]);
});

describe('zones', () => {
  it('creates (created_by defaults to the caller; the original left it null), retrieves, updates', async () => {
    const res = await api('/api/field/zones/', {
      token: staff.token,
      body: { name: 'Central', region: 'Kampala', uuid: 'ignored' },
    });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      name: 'Central',
      region: 'Kampala',
      created_by: staff.id,
      is_deleted: false,
      deleted_at: null,
    });
    expect(res.json.uuid).not.toBe('ignored');
    const id = res.json.id;
    expect((await api(`/api/field/zones/${id}/`, { token: staff.token })).json).toEqual(res.json);
    const put = await api(`/api/field/zones/${id}/`, { method: 'PUT', token: staff.token, body: { name: 'East', region: null } });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ name: 'East', region: null, created_by: staff.id });
    const patch = await api(`/api/field/zones/${id}/`, { method: 'PATCH', token: staff.token, body: { region: 'Mbale' } });
    expect(patch.json).toMatchObject({ name: 'East', region: 'Mbale' });
    const explicit = await createZone(staff.token, { created_by: null });
    expect(explicit.created_by).toBeNull();
  });

  it('validates name and created_by', async () => {
    const res = await api('/api/field/zones/', { token: staff.token, body: { region: 'x'.repeat(101), created_by: 99999999 } });
    expectStatus(res, 400);
    expect(res.json.name).toEqual(['This field is required.']);
    expect(res.json).toHaveProperty('region');
    const fk = await api('/api/field/zones/', { token: staff.token, body: { name: 'n', created_by: 99999999 } });
    expect(fk.json.created_by).toEqual(['Invalid pk "99999999" - object does not exist.']);
  });

  it('searches name and region, pages by id', async () => {
    const m = mark('z');
    const a = await createZone(staff.token, { name: `${m} North` });
    const b = await createZone(staff.token, { name: 'Other', region: `${m}-region` });
    await createZone(staff.token, { name: 'Unrelated' });
    const res = await api(`/api/field/zones/?search=${m}&page_size=1`, { token: staff.token });
    expectStatus(res, 200);
    expect(res.json.count).toBe(2);
    expect(res.json.results.map((r: { id: number }) => r.id)).toEqual([a.id]);
    const p2 = await api(`/api/field/zones/?search=${m}&page_size=1&page=2`, { token: staff.token });
    expect(p2.json.results.map((r: { id: number }) => r.id)).toEqual([b.id]);
  });

  it('soft-deletes; leads and visits in the zone lose the reference', async () => {
    const m = mark('zd');
    const zone = await createZone(staff.token, { name: m });
    const lead = await createLead(staff.token, { zone: zone.id });
    const visit = await createVisit(staff.token, { zone: zone.id });
    expectStatus(await api(`/api/field/zones/${zone.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/field/zones/${zone.id}/`, { token: staff.token }), 404);
    expect((await api(`/api/field/zones/?search=${m}`, { token: staff.token })).json.count).toBe(0);
    expect((await api(`/api/field/leads/${lead.id}/`, { token: staff.token })).json.zone).toBeNull();
    expect((await api(`/api/field/visits/${visit.id}/`, { token: staff.token })).json.zone).toBeNull();
  });

  it('refuses customers (403) and anonymous callers (401)', async () => {
    const zone = await createZone(staff.token);
    expectStatus(await api('/api/field/zones/', { token: customer.token }), 403);
    expectStatus(await api('/api/field/zones/', { token: customer.token, body: { name: 'x' } }), 403);
    expectStatus(await api(`/api/field/zones/${zone.id}/`, { method: 'PATCH', token: customer.token, body: { name: 'x' } }), 403);
    expectStatus(await api(`/api/field/zones/${zone.id}/`, { method: 'DELETE', token: customer.token }), 403);
    expectStatus(await api(`/api/field/zones/${zone.id}/`), 401);
  });
});
