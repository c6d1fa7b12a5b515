import { beforeAll, describe, expect, it } from 'vitest';
import { createLead } from '../helpers/field';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let other: TestUser;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  [staff, other, admin, customer] = await Promise.all([
    makeUser(),
    makeUser(),
    makeUser({ role: 'Admin' }),
    makeUser({ role: 'Customer' }),
  ]);
});

const addAction = async (token: string, body: Record<string, unknown>) => {
  const res = await api('/api/field/actions/', { token, body: { type: 'call', ...body } });
  expectStatus(res, 201);
  return res.json;
};

describe('lead actions', () => {
  it('creates with created_by = caller (client value ignored) and date defaulting to now; nests in the lead', async () => {
    const lead = await createLead(staff.token);
    const before = new Date(Date.now() - 1000).toISOString();
    const res = await api('/api/field/actions/', {
      token: staff.token,
      body: {
        lead: lead.id,
        type: 'demo',
        notes: 'went well',
        outcome: 'ok',
        next_follow_up: '2030-01-02',
        created_by: other.id,
      },
    });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      lead: lead.id,
      type: 'demo',
      notes: 'went well',
      outcome: 'ok',
      next_follow_up: '2030-01-02',
      created_by: staff.id,
    });
    expect(res.json.date >= before).toBe(true);
    expect((await api(`/api/field/actions/${res.json.id}/`, { token: staff.token })).json).toEqual(res.json);
    const l = (await api(`/api/field/leads/${lead.id}/`, { token: staff.token })).json;
    expect(l.actions).toEqual([res.json]);
    expect(l.follow_up_date).toBeNull(); // next_follow_up does not propagate, as the original
  });

  it('validates type, lead and dates', async () => {
    const res = await api('/api/field/actions/', { token: staff.token, body: { type: 'email', next_follow_up: 'soon' } });
    expectStatus(res, 400);
    expect(res.json).toHaveProperty('type');
    expect(res.json.lead).toEqual(['This field is required.']);
    expect(res.json).toHaveProperty('next_follow_up');
    const missing = await api('/api/field/actions/', { token: staff.token, body: { type: 'call', lead: 99999999 } });
    expectStatus(missing, 400);
    expect(missing.json.lead).toEqual(['Invalid pk "99999999" - object does not exist.']);
    const lead = await createLead(staff.token);
    await api(`/api/field/leads/${lead.id}/`, { method: 'DELETE', token: staff.token });
    const deleted = await api('/api/field/actions/', { token: staff.token, body: { type: 'call', lead: lead.id } });
    expect(deleted.json.lead).toEqual([`Invalid pk "${lead.id}" - object does not exist.`]);
  });

  it('lists by id, filters by ?lead= (the original ignored it) and pages', async () => {
    const lead = await createLead(staff.token);
    const a = await addAction(staff.token, { lead: lead.id });
    const b = await addAction(other.token, { lead: lead.id, type: 'meeting' });
    await addAction(staff.token, { lead: (await createLead(staff.token)).id });
    const res = await api(`/api/field/actions/?lead=${lead.id}`, { token: staff.token });
    expectStatus(res, 200);
    expect(res.json.count).toBe(2);
    expect(res.json.results.map((r: { id: number }) => r.id)).toEqual([a.id, b.id]);
    const page = await api(`/api/field/actions/?lead=${lead.id}&page_size=1&page=2`, { token: staff.token });
    expect(page.json.results.map((r: { id: number }) => r.id)).toEqual([b.id]);
  });

  it('hides actions of deleted leads', async () => {
    const lead = await createLead(staff.token);
    const a = await addAction(staff.token, { lead: lead.id });
    await api(`/api/field/leads/${lead.id}/`, { method: 'DELETE', token: staff.token });
    expectStatus(await api(`/api/field/actions/${a.id}/`, { token: staff.token }), 404);
    expect((await api(`/api/field/actions/?lead=${lead.id}`, { token: staff.token })).json.count).toBe(0);
  });

  it('lets the author update (PUT, PATCH) and delete; a deleted action leaves the lead', async () => {
    const lead = await createLead(staff.token);
    const a = await addAction(staff.token, { lead: lead.id });
    const put = await api(`/api/field/actions/${a.id}/`, {
      method: 'PUT',
      token: staff.token,
      body: { lead: lead.id, type: 'install', notes: 'n' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ type: 'install', notes: 'n', created_by: staff.id });
    const patch = await api(`/api/field/actions/${a.id}/`, { method: 'PATCH', token: staff.token, body: { outcome: 'done' } });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ type: 'install', outcome: 'done' });
    expectStatus(await api(`/api/field/actions/${a.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/field/actions/${a.id}/`, { token: staff.token }), 404);
    expect((await api(`/api/field/leads/${lead.id}/`, { token: staff.token })).json.actions).toEqual([]);
  });

  it("refuses other staff editing or deleting someone else's action (403); admins may", async () => {
    const lead = await createLead(staff.token);
    const a = await addAction(staff.token, { lead: lead.id });
    expectStatus(await api(`/api/field/actions/${a.id}/`, { token: other.token }), 200);
    expectStatus(await api(`/api/field/actions/${a.id}/`, { method: 'PATCH', token: other.token, body: { notes: 'x' } }), 403);
    expectStatus(
      await api(`/api/field/actions/${a.id}/`, { method: 'PUT', token: other.token, body: { lead: lead.id, type: 'call' } }),
      403,
    );
    expectStatus(await api(`/api/field/actions/${a.id}/`, { method: 'DELETE', token: other.token }), 403);
    expectStatus(
      await api(`/api/field/actions/${a.id}/`, { method: 'PATCH', token: admin.token, body: { notes: 'fixed' } }),
      200,
    );
    expectStatus(await api(`/api/field/actions/${a.id}/`, { method: 'DELETE', token: admin.token }), 204);
  });

  it('refuses customers (403) and anonymous callers (401)', async () => {
    const lead = await createLead(staff.token);
    expectStatus(await api('/api/field/actions/', { token: customer.token }), 403);
    expectStatus(await api('/api/field/actions/', { token: customer.token, body: { lead: lead.id, type: 'call' } }), 403);
    expectStatus(await api('/api/field/actions/'), 401);
  });
});
