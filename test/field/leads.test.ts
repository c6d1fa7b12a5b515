import { beforeAll, describe, expect, it } from 'vitest';
import { createLead, createZone, mark } from '../helpers/field';
import { waitForEvents } from '../helpers/notifications';
import { api, day, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  [staff, admin, customer] = await Promise.all([makeUser(), makeUser({ role: 'Admin' }), makeUser({ role: 'Customer' })]);
});

describe('leads: create / retrieve / update / delete', () => {
  it('creates a lead with defaults and a computed score, and retrieves it', async () => {
    const zone = await createZone(staff.token);
    const res = await api('/api/field/leads/', {
      token: staff.token,
      body: {
        business_name: 'Acme',
        contact_phone: '0700',
        contact_email: '',
        zone: zone.id,
        lead_score: 99,
        id: 5000,
        tags: '#vip',
      },
    });
    expectStatus(res, 201);
    const lead = res.json;
    expect(lead).toMatchObject({
      business_name: 'Acme',
      contact_name: '',
      contact_email: null,
      stage: 'prospect',
      source: '',
      priority: 'medium',
      products_discussed: [],
      follow_up_date: null,
      documents: null,
      tags: '#vip',
      zone: zone.id,
      assigned_rep: null,
      actions: [],
      is_deleted: false,
      deleted_at: null,
    });
    expect(lead.id).not.toBe(5000);
    expect(lead.lead_score).toBe(15); // medium priority, prospect, nothing else: lead_score is not client-writable
    expect(typeof lead.uuid).toBe('string');
    const got = await api(`/api/field/leads/${lead.id}/`, { token: staff.token });
    expectStatus(got, 200);
    expect(got.json).toEqual(lead);
  });

  it('PUT replaces the writable fields; PATCH changes only what is sent', async () => {
    const lead = await createLead(staff.token, { contact_name: 'Ann', notes: 'n1' });
    const put = await api(`/api/field/leads/${lead.id}/`, {
      method: 'PUT',
      token: staff.token,
      body: { business_name: 'Renamed', contact_phone: '0799', stage: 'qualified', products_discussed: ['pos'] },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({
      business_name: 'Renamed',
      contact_phone: '0799',
      stage: 'qualified',
      products_discussed: ['pos'],
    });
    const patch = await api(`/api/field/leads/${lead.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { priority: 'critical' },
    });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ business_name: 'Renamed', stage: 'qualified', priority: 'critical' });
    expect(patch.json.updated_at >= lead.updated_at).toBe(true);
  });

  it('soft-deletes: 204, then 404 and hidden from lists; is_deleted is not client-writable (original bug)', async () => {
    const m = mark('del');
    const lead = await createLead(staff.token, { business_name: m });
    const sneaky = await api(`/api/field/leads/${lead.id}/`, { method: 'PATCH', token: staff.token, body: { is_deleted: true } });
    expectStatus(sneaky, 200);
    expect(sneaky.json.is_deleted).toBe(false);
    const del = await api(`/api/field/leads/${lead.id}/`, { method: 'DELETE', token: staff.token });
    expectStatus(del, 204);
    expect(del.text).toBe('');
    expectStatus(await api(`/api/field/leads/${lead.id}/`, { token: staff.token }), 404);
    const list = await api(`/api/field/leads/?search=${m}`, { token: staff.token });
    expect(list.json.count).toBe(0);
    expectStatus(await api(`/api/field/leads/${lead.id}/`, { method: 'DELETE', token: staff.token }), 404);
  });

  it('404s with the DRF message for unknown and malformed ids', async () => {
    const res = await api('/api/field/leads/99999999/', { token: staff.token });
    expectStatus(res, 404);
    expect(res.json).toEqual({ detail: 'No Lead matches the given query.' });
    expectStatus(await api('/api/field/leads/abc/', { token: staff.token }), 404);
  });
});

describe('leads: validation', () => {
  it('requires business_name and contact_phone', async () => {
    const res = await api('/api/field/leads/', { token: staff.token, body: {} });
    expectStatus(res, 400);
    expect(res.json.business_name).toEqual(['This field is required.']);
    expect(res.json.contact_phone).toEqual(['This field is required.']);
  });

  it('rejects bad enums, email, date and too-long strings', async () => {
    const res = await api('/api/field/leads/', {
      token: staff.token,
      body: {
        business_name: 'x'.repeat(256),
        contact_phone: '1',
        stage: 'done',
        priority: 'urgent',
        source: 'tv',
        contact_email: 'nope',
        follow_up_date: '2025-13-01',
      },
    });
    expectStatus(res, 400);
    for (const f of ['business_name', 'stage', 'priority', 'source', 'contact_email', 'follow_up_date'])
      expect(res.json, f).toHaveProperty(f);
  });

  it('rejects unknown zone / rep ids and a deleted zone with "Invalid pk"', async () => {
    const res = await api('/api/field/leads/', {
      token: staff.token,
      body: { business_name: 'b', contact_phone: '1', zone: 99999999, assigned_rep: 99999999 },
    });
    expectStatus(res, 400);
    expect(res.json.zone).toEqual(['Invalid pk "99999999" - object does not exist.']);
    const zone = await createZone(staff.token);
    expectStatus(await api(`/api/field/zones/${zone.id}/`, { method: 'DELETE', token: staff.token }), 204);
    const again = await api('/api/field/leads/', {
      token: staff.token,
      body: { business_name: 'b', contact_phone: '1', zone: zone.id },
    });
    expectStatus(again, 400);
    expect(again.json.zone).toEqual([`Invalid pk "${zone.id}" - object does not exist.`]);
  });

  it('rejects a null products_discussed with 400 (not a 500)', async () => {
    const res = await api('/api/field/leads/', {
      token: staff.token,
      body: { business_name: 'b', contact_phone: '1', products_discussed: null },
    });
    expectStatus(res, 400);
    expect(res.json.products_discussed).toEqual(['This field may not be null.']);
  });
});

describe('leads: list', () => {
  it('searches business_name, contact_name and contact_phone (terms AND-ed)', async () => {
    const m = mark('srch');
    const a = await createLead(staff.token, { business_name: `${m} Bakery` });
    const b = await createLead(staff.token, { contact_name: `${m} Jane`, business_name: 'Other' });
    const c = await createLead(staff.token, { contact_phone: `${m}123` });
    await createLead(staff.token, { notes: m });
    const res = await api(`/api/field/leads/?search=${m.toUpperCase()}`, { token: staff.token });
    expectStatus(res, 200);
    expect(res.json.results.map((r: { id: number }) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    const both = await api(`/api/field/leads/?search=${m}+bakery`, { token: staff.token });
    expect(both.json.results.map((r: { id: number }) => r.id)).toEqual([a.id]);
  });

  it('orders by -created_at,-id by default, and pages with count/next/previous', async () => {
    const zone = await createZone(staff.token);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createLead(staff.token, { zone: zone.id })).id);
    const p1 = await api(`/api/field/leads/?zone=${zone.id}&page_size=2`, { token: staff.token });
    expectStatus(p1, 200);
    expect(p1.json.count).toBe(3);
    expect(p1.json.results.map((r: { id: number }) => r.id)).toEqual([ids[2], ids[1]]);
    expect(p1.json.previous).toBeNull();
    expect(p1.json.next).toContain('page=2');
    const p2 = await api(`/api/field/leads/?zone=${zone.id}&page_size=2&page=2`, { token: staff.token });
    expect(p2.json.results.map((r: { id: number }) => r.id)).toEqual([ids[0]]);
    expect(p2.json.next).toBeNull();
    expect(p2.json.previous).not.toBeNull();
    expectStatus(await api(`/api/field/leads/?zone=${zone.id}&page_size=2&page=3`, { token: staff.token }), 404);
  });

  it('orders priority by rank low < medium < high < critical, not alphabetically (deliberate fix)', async () => {
    const zone = await createZone(staff.token);
    const byPriority: Record<string, number> = {};
    for (const p of ['high', 'low', 'critical', 'medium'])
      byPriority[p] = (await createLead(staff.token, { zone: zone.id, priority: p })).id;
    const asc = await api(`/api/field/leads/?zone=${zone.id}&ordering=priority`, { token: staff.token });
    expect(asc.json.results.map((r: { priority: string }) => r.priority)).toEqual(['low', 'medium', 'high', 'critical']);
    const desc = await api(`/api/field/leads/?zone=${zone.id}&ordering=-priority`, { token: staff.token });
    expect(desc.json.results.map((r: { id: number }) => r.id)).toEqual([
      byPriority.critical,
      byPriority.high,
      byPriority.medium,
      byPriority.low,
    ]);
  });

  it('orders by lead_score and follow_up_date; unknown ordering keys are ignored', async () => {
    const zone = await createZone(staff.token);
    const low = await createLead(staff.token, { zone: zone.id, priority: 'low', follow_up_date: day(40) });
    const high = await createLead(staff.token, { zone: zone.id, priority: 'critical', follow_up_date: day(2) });
    const mid = await createLead(staff.token, { zone: zone.id, priority: 'medium', follow_up_date: day(10) });
    const byScore = await api(`/api/field/leads/?zone=${zone.id}&ordering=-lead_score`, { token: staff.token });
    expect(byScore.json.results.map((r: { id: number }) => r.id)).toEqual([high.id, mid.id, low.id]);
    const byDate = await api(`/api/field/leads/?zone=${zone.id}&ordering=follow_up_date`, { token: staff.token });
    expect(byDate.json.results.map((r: { id: number }) => r.id)).toEqual([high.id, mid.id, low.id]);
    const bogus = await api(`/api/field/leads/?zone=${zone.id}&ordering=nonsense`, { token: staff.token });
    expectStatus(bogus, 200);
    expect(bogus.json.results.map((r: { id: number }) => r.id)).toEqual([mid.id, high.id, low.id]);
  });

  it('filters by stage, priority, source, zone and assigned_rep', async () => {
    const zone = await createZone(staff.token);
    const rep = await makeUser();
    const a = await createLead(staff.token, {
      zone: zone.id,
      stage: 'won',
      priority: 'low',
      source: 'referral',
      assigned_rep: rep.id,
    });
    const b = await createLead(staff.token, { zone: zone.id, stage: 'lost', priority: 'high', source: 'digital' });
    const q = (s: string) =>
      api(`/api/field/leads/?zone=${zone.id}&${s}`, { token: staff.token }).then((r) =>
        r.json.results.map((x: { id: number }) => x.id),
      );
    expect(await q('stage=won')).toEqual([a.id]);
    expect(await q('priority=high')).toEqual([b.id]);
    expect(await q('source=referral')).toEqual([a.id]);
    expect(await q(`assigned_rep=${rep.id}`)).toEqual([a.id]);
    expect((await q('')).sort()).toEqual([a.id, b.id].sort());
    const bad = await api('/api/field/leads/?zone=abc', { token: staff.token });
    expectStatus(bad, 400);
    expect(bad.json).toHaveProperty('zone');
  });
});

describe('leads: hot', () => {
  it('returns a bare array of live leads with priority high/critical or a score >= 80', async () => {
    const high = await createLead(staff.token, { priority: 'high' });
    const critical = await createLead(staff.token, { priority: 'critical' });
    const cold = await createLead(staff.token, { priority: 'low' });
    // medium (15) + won (30) + follow-up this week (15) + 4 actions (20) = 80: hot by score alone
    const scored = await createLead(staff.token, { priority: 'medium', stage: 'won', follow_up_date: day(1) });
    for (let i = 0; i < 4; i++)
      expectStatus(await api('/api/field/actions/', { token: staff.token, body: { lead: scored.id, type: 'call' } }), 201);
    const gone = await createLead(staff.token, { priority: 'critical' });
    expectStatus(await api(`/api/field/leads/${gone.id}/`, { method: 'DELETE', token: staff.token }), 204);
    const res = await api('/api/field/leads/hot/', { token: staff.token });
    expectStatus(res, 200);
    expect(Array.isArray(res.json)).toBe(true);
    const ids = res.json.map((r: { id: number }) => r.id);
    expect(ids).toEqual(expect.arrayContaining([high.id, critical.id, scored.id]));
    expect(ids).not.toContain(cold.id);
    expect(ids).not.toContain(gone.id);
    const s = res.json.find((r: { id: number }) => r.id === scored.id);
    expect(s.lead_score).toBe(80);
    expect(s.actions).toHaveLength(4);
  });

  it('is refused to customers and anonymous callers', async () => {
    expectStatus(await api('/api/field/leads/hot/', { token: customer.token }), 403);
    expectStatus(await api('/api/field/leads/hot/'), 401);
  });
});

describe('leads: permissions', () => {
  it('refuses customers on every lead route (403) and anonymous callers (401)', async () => {
    const lead = await createLead(staff.token);
    for (const [method, path] of [
      ['GET', '/api/field/leads/'],
      ['POST', '/api/field/leads/'],
      ['GET', `/api/field/leads/${lead.id}/`],
      ['PUT', `/api/field/leads/${lead.id}/`],
      ['PATCH', `/api/field/leads/${lead.id}/`],
      ['DELETE', `/api/field/leads/${lead.id}/`],
    ]) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { business_name: 'x', contact_phone: '1' };
      expectStatus(await api(path, { method, token: customer.token, body }), 403);
      expectStatus(await api(path, { method, body }), 401);
    }
  });

  it('lets any staff member and admins edit and delete any lead (global, as the original)', async () => {
    const lead = await createLead(staff.token);
    const other = await makeUser();
    expectStatus(await api(`/api/field/leads/${lead.id}/`, { method: 'PATCH', token: other.token, body: { notes: 'x' } }), 200);
    expectStatus(await api(`/api/field/leads/${lead.id}/`, { method: 'DELETE', token: admin.token }), 204);
  });
});

describe('leads: assignment notifications', () => {
  it('notifies the rep when a lead is created for them and when it is reassigned', async () => {
    const rep1 = await makeUser();
    const rep2 = await makeUser();
    const lead = await createLead(staff.token, { assigned_rep: rep1.id });
    const n = (await waitForEvents({ recipient_id: rep1.id, verb: 'assigned you a lead', target_id: lead.id }))[0];
    expect(n).toMatchObject({ actor_id: staff.id, url: `/field/leads/${lead.id}/`, target_type: 'lead' });
    await api(`/api/field/leads/${lead.id}/`, { method: 'PATCH', token: admin.token, body: { assigned_rep: rep2.id } });
    const n2 = (await waitForEvents({ recipient_id: rep2.id, verb: 'assigned you a lead', target_id: lead.id }))[0];
    expect(n2.actor_id).toBe(admin.id);
  });
});
