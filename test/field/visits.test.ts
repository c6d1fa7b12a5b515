import { beforeAll, describe, expect, it } from 'vitest';
import { createVisit, createZone, mark } from '../helpers/field';
import { waitForEvents } from '../helpers/notifications';
import { api, day, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let customer: TestUser;
beforeAll(async () => {
  [staff, customer] = await Promise.all([makeUser(), makeUser({ role: 'Customer' })]);
});

describe('visits: CRUD', () => {
  it('creates with defaults (rep defaults to the caller; the original left it null) and retrieves', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const res = await api('/api/field/visits/', {
      token: staff.token,
      body: { location: 'Ntinda', business_name: 'Shop', contact_phone: '0700', linked_lead: 5 },
    });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      location: 'Ntinda',
      business_name: 'Shop',
      contact_name: '',
      contact_email: null,
      products_discussed: [],
      visit_outcome: '',
      feedback_notes: '',
      follow_up_type: '',
      follow_up_date: null,
      next_step_agreed: '',
      prompt_given: false,
      customer_agreed_contact: true,
      add_as_lead: false,
      code_verified: false,
      rep: staff.id,
      zone: null,
      linked_lead: null,
      is_deleted: false,
    });
    expect(res.json.date_time >= before).toBe(true);
    const got = await api(`/api/field/visits/${res.json.id}/`, { token: staff.token });
    expectStatus(got, 200);
    expect(got.json).toEqual(res.json);
  });

  it('keeps an explicit rep (null included) and normalises date_time to UTC with six fractional digits, as the original prints it (we printed three)', async () => {
    const rep = await makeUser();
    const v = await createVisit(staff.token, { rep: rep.id, date_time: '2025-03-01T10:00:00+03:00' });
    expect(v.rep).toBe(rep.id);
    expect(v.date_time).toBe('2025-03-01T07:00:00.000000Z');
    const none = await createVisit(staff.token, { rep: null });
    expect(none.rep).toBeNull();
  });

  it('updates with PUT and PATCH, and soft-deletes', async () => {
    const v = await createVisit(staff.token);
    const put = await api(`/api/field/visits/${v.id}/`, {
      method: 'PUT',
      token: staff.token,
      body: { location: 'Jinja', business_name: 'New', contact_phone: '0701', visit_outcome: 'interested' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ location: 'Jinja', business_name: 'New', visit_outcome: 'interested' });
    const patch = await api(`/api/field/visits/${v.id}/`, { method: 'PATCH', token: staff.token, body: { code_verified: true } });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ location: 'Jinja', code_verified: true });
    expectStatus(await api(`/api/field/visits/${v.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expectStatus(await api(`/api/field/visits/${v.id}/`, { token: staff.token }), 404);
  });

  it('validates input', async () => {
    const res = await api('/api/field/visits/', {
      token: staff.token,
      body: { business_name: 'x', visit_outcome: 'maybe', date_time: 'yesterday', rep: 99999999, zone: 99999999 },
    });
    expectStatus(res, 400);
    for (const f of ['location', 'contact_phone', 'visit_outcome', 'date_time']) expect(res.json, f).toHaveProperty(f);
    const fk = await api('/api/field/visits/', {
      token: staff.token,
      body: { location: 'l', business_name: 'b', contact_phone: '1', rep: 99999999 },
    });
    expectStatus(fk, 400);
    expect(fk.json.rep).toEqual(['Invalid pk "99999999" - object does not exist.']);
  });

  it('refuses customers (403) and anonymous callers (401)', async () => {
    const v = await createVisit(staff.token);
    expectStatus(await api('/api/field/visits/', { token: customer.token }), 403);
    expectStatus(await api(`/api/field/visits/${v.id}/`, { token: customer.token }), 403);
    expectStatus(await api(`/api/field/visits/${v.id}/`, { method: 'DELETE', token: customer.token }), 403);
    expectStatus(await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: customer.token }), 403);
    expectStatus(await api('/api/field/visits/'), 401);
  });
});

describe('visits: list', () => {
  it('searches business_name, contact_name, contact_phone and location', async () => {
    const m = mark('vs');
    const a = await createVisit(staff.token, { location: `${m} market` });
    const b = await createVisit(staff.token, { contact_name: m });
    await createVisit(staff.token, { feedback_notes: m });
    const res = await api(`/api/field/visits/?search=${m}`, { token: staff.token });
    expectStatus(res, 200);
    expect(res.json.results.map((r: { id: number }) => r.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('orders by -date_time by default and by ?ordering=date_time; pages', async () => {
    const zone = await createZone(staff.token);
    const mid = await createVisit(staff.token, { zone: zone.id, date_time: '2025-02-01T00:00:00Z' });
    const old = await createVisit(staff.token, { zone: zone.id, date_time: '2025-01-01T00:00:00Z' });
    const recent = await createVisit(staff.token, { zone: zone.id, date_time: '2025-03-01T00:00:00Z' });
    const def = await api(`/api/field/visits/?zone=${zone.id}`, { token: staff.token });
    expect(def.json.results.map((r: { id: number }) => r.id)).toEqual([recent.id, mid.id, old.id]);
    const asc = await api(`/api/field/visits/?zone=${zone.id}&ordering=date_time&page_size=2`, { token: staff.token });
    expect(asc.json.count).toBe(3);
    expect(asc.json.results.map((r: { id: number }) => r.id)).toEqual([old.id, mid.id]);
    expect(asc.json.next).toContain('page=2');
  });

  it('filters by rep, zone and visit_outcome', async () => {
    const zone = await createZone(staff.token);
    const rep = await makeUser();
    const a = await createVisit(staff.token, { zone: zone.id, rep: rep.id, visit_outcome: 'sale_closed' });
    const b = await createVisit(staff.token, { zone: zone.id, visit_outcome: 'no_answer' });
    const q = (s: string) =>
      api(`/api/field/visits/?zone=${zone.id}&${s}`, { token: staff.token }).then((r) =>
        r.json.results.map((x: { id: number }) => x.id),
      );
    expect(await q(`rep=${rep.id}`)).toEqual([a.id]);
    expect(await q('visit_outcome=no_answer')).toEqual([b.id]);
    expect((await q('')).sort()).toEqual([a.id, b.id].sort());
  });
});

describe('visits: convert_to_lead', () => {
  it('creates a lead from the visit, links it, and answers {lead_id, linked}', async () => {
    const zone = await createZone(staff.token);
    const rep = await makeUser();
    const v = await createVisit(staff.token, {
      add_as_lead: true,
      zone: zone.id,
      rep: rep.id,
      contact_name: 'Mary',
      contact_email: 'mary@example.com',
      products_discussed: ['pos', 'website'],
      feedback_notes: 'keen',
      follow_up_type: 'demo',
      follow_up_date: day(3),
    });
    const res = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    expectStatus(res, 200);
    expect(res.json).toEqual({ lead_id: expect.any(Number), linked: true });
    const lead = (await api(`/api/field/leads/${res.json.lead_id}/`, { token: staff.token })).json;
    expect(lead).toMatchObject({
      business_name: v.business_name,
      contact_name: 'Mary',
      contact_phone: v.contact_phone,
      contact_email: 'mary@example.com',
      zone: zone.id,
      assigned_rep: rep.id,
      products_discussed: ['pos', 'website'],
      notes: 'keen',
      follow_up_type: 'demo',
      follow_up_date: day(3),
      source: 'field',
      stage: 'prospect',
      priority: 'medium',
      lead_score: 30, // medium 15 + follow-up this week 15
    });
    const visit = (await api(`/api/field/visits/${v.id}/`, { token: staff.token })).json;
    expect(visit.linked_lead).toMatchObject({ id: lead.id, business_name: v.business_name, actions: [] });
    await waitForEvents({ recipient_id: rep.id, verb: 'assigned you a lead', target_id: lead.id });
  });

  it('is idempotent: a second call returns the same lead and creates nothing', async () => {
    const m = mark('idem');
    const v = await createVisit(staff.token, { add_as_lead: true, business_name: m });
    const first = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    const second = await api(`/api/field/visits/${v.id}/convert_to_lead/`, {
      method: 'POST',
      token: staff.token,
      body: { add_as_lead: false },
    });
    expectStatus(second, 200);
    expect(second.json).toEqual(first.json);
    const leads = await api(`/api/field/leads/?search=${m}`, { token: staff.token });
    expect(leads.json.count).toBe(1);
  });

  it('concurrent calls still produce one lead', async () => {
    const m = mark('race');
    const v = await createVisit(staff.token, { add_as_lead: true, business_name: m });
    const results = await Promise.all(
      [1, 2, 3].map(() => api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token })),
    );
    for (const r of results) expectStatus(r, 200);
    expect(new Set(results.map((r) => r.json.lead_id)).size).toBe(1);
    expect((await api(`/api/field/leads/?search=${m}`, { token: staff.token })).json.count).toBe(1);
  });

  it('without add_as_lead answers {lead_id: null, linked: false} and creates nothing', async () => {
    const m = mark('nolead');
    const v = await createVisit(staff.token, { business_name: m });
    const res = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    expectStatus(res, 200);
    expect(res.json).toEqual({ lead_id: null, linked: false });
    expect((await api(`/api/field/leads/?search=${m}`, { token: staff.token })).json.count).toBe(0);
  });

  it('converts again after the linked lead was deleted (the link is cleared)', async () => {
    const v = await createVisit(staff.token, { add_as_lead: true });
    const first = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    expectStatus(await api(`/api/field/leads/${first.json.lead_id}/`, { method: 'DELETE', token: staff.token }), 204);
    expect((await api(`/api/field/visits/${v.id}/`, { token: staff.token })).json.linked_lead).toBeNull();
    const again = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    expect(again.json.linked).toBe(true);
    expect(again.json.lead_id).not.toBe(first.json.lead_id);
  });

  it('404s for a missing or deleted visit', async () => {
    const res = await api('/api/field/visits/99999999/convert_to_lead/', { method: 'POST', token: staff.token });
    expectStatus(res, 404);
    expect(res.json).toEqual({ detail: 'No Visit matches the given query.' });
    const v = await createVisit(staff.token, { add_as_lead: true });
    await api(`/api/field/visits/${v.id}/`, { method: 'DELETE', token: staff.token });
    expectStatus(await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token }), 404);
  });

  it('nests the linked lead with its actions in visit lists', async () => {
    const v = await createVisit(staff.token, { add_as_lead: true });
    const conv = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    await api('/api/field/actions/', { token: staff.token, body: { lead: conv.json.lead_id, type: 'call' } });
    const list = await api(`/api/field/visits/?search=${v.business_name}`, { token: staff.token });
    expect(list.json.results[0].linked_lead.actions).toHaveLength(1);
    expect(list.json.results[0].linked_lead.lead_score).toBe(20);
  });
});
