/**
 * D1 round trips of every field operation over populated data (issue 16): each GET one round trip
 * (authorization included) whatever the page or data size, each write at most two. Leads carry
 * actions and visits carry linked leads, so nested data is part of what is measured.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLead, createVisit, createZone, mark } from '../helpers/field';
import { api, Budget, day, expectStatus, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let staff: TestUser;
let admin: TestUser;
let zoneId: number;
const leadIds: number[] = [];
const visitIds: number[] = [];

beforeAll(async () => {
  [staff, admin] = await Promise.all([makeUser({ role: 'Staff' }), makeUser({ role: 'Admin' })]);
  zoneId = (await createZone(staff.token)).id;
  for (let i = 0; i < 24; i++) {
    const lead = await createLead(staff.token, {
      zone: zoneId,
      assigned_rep: staff.id,
      priority: i % 2 ? 'high' : 'low',
      follow_up_date: day(3),
    });
    leadIds.push(lead.id);
    for (let a = 0; a < 3; a++) {
      expectStatus(await api('/api/field/actions/', { token: staff.token, body: { lead: lead.id, type: 'call' } }), 201);
    }
  }
  for (let i = 0; i < 24; i++) {
    const visit = await createVisit(staff.token, { zone: zoneId, add_as_lead: true });
    visitIds.push(visit.id);
    if (i < 12)
      expectStatus(await api(`/api/field/visits/${visit.id}/convert_to_lead/`, { method: 'POST', token: staff.token }), 200);
  }
  for (let i = 0; i < 4; i++) await createZone(staff.token);
}, 120_000);

afterAll(() => budget.print('field'));

describe('field: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    const t = staff.token;
    await budget.pages('field_leads_list', '/api/field/leads/', t);
    await budget.pages('field_leads_list', `/api/field/leads/?zone=${zoneId}&ordering=-lead_score`, t);
    await budget.pages('field_leads_list', '/api/field/leads/?search=biz', t);
    await budget.pages('field_leads_list', `/api/field/leads/?search=${encodeURIComponent('07 biz')}`, t);
    await budget.pages('field_visits_list', '/api/field/visits/', t);
    await budget.pages('field_visits_list', `/api/field/visits/?zone=${zoneId}&search=Kampala`, t);
    await budget.pages('field_actions_list', '/api/field/actions/', t);
    await budget.pages('field_actions_list', `/api/field/actions/?lead=${leadIds[0]}`, t);
    await budget.pages('field_zones_list', '/api/field/zones/', t);
    const hot = await budget.call('field_leads_hot_retrieve', '/api/field/leads/hot/', { token: t });
    expect(hot.json.length, 'hot leads listed').toBeGreaterThanOrEqual(12);
    expect(hot.json[0].actions, 'hot leads carry their actions').toHaveLength(3);
  });

  it('retrieves cost one round trip, nested data included', async () => {
    const t = staff.token;
    const lead = await budget.call('field_leads_retrieve', `/api/field/leads/${leadIds[0]}/`, { token: t });
    expect(lead.json.actions).toHaveLength(3);
    const visit = await budget.call('field_visits_retrieve', `/api/field/visits/${visitIds[0]}/`, { token: t });
    expect(visit.json.linked_lead?.id, visit.text).toBeTypeOf('number');
    const actions = (await api(`/api/field/actions/?lead=${leadIds[0]}`, { token: t })).json.results;
    await budget.call('field_actions_retrieve', `/api/field/actions/${actions[0].id}/`, { token: t });
    await budget.call('field_zones_retrieve', `/api/field/zones/${zoneId}/`, { token: t });
    // A miss is one round trip too.
    await budget.call('field_leads_retrieve', '/api/field/leads/999999/', { token: t, status: 404 });
  });

  it('writes cost at most two round trips: the checks, then one batch', async () => {
    const t = staff.token;
    const zone = await budget.call('field_zones_create', '/api/field/zones/', { token: t, body: { name: mark('z') } });
    await budget.call('field_zones_update', `/api/field/zones/${zone.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { name: mark('z') },
    });
    await budget.call('field_zones_partial_update', `/api/field/zones/${zone.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { region: 'North' },
    });

    const lead = await budget.call('field_leads_create', '/api/field/leads/', {
      token: t,
      body: { business_name: mark('rt'), contact_phone: '0700', zone: zone.json.id, assigned_rep: admin.id },
    });
    await budget.call('field_leads_update', `/api/field/leads/${lead.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { business_name: mark('rt'), contact_phone: '0701', zone: zone.json.id, assigned_rep: staff.id },
    });
    await budget.call('field_leads_partial_update', `/api/field/leads/${lead.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { stage: 'won' },
    });

    const action = await budget.call('field_actions_create', '/api/field/actions/', {
      token: t,
      body: { lead: lead.json.id, type: 'demo' },
    });
    await budget.call('field_actions_update', `/api/field/actions/${action.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { lead: leadIds[1], type: 'call' },
    });
    await budget.call('field_actions_partial_update', `/api/field/actions/${action.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { notes: 'n' },
    });

    const visit = await budget.call('field_visits_create', '/api/field/visits/', {
      token: t,
      body: { location: 'Gulu', business_name: mark('v'), contact_phone: '0711', add_as_lead: true, rep: admin.id },
    });
    await budget.call('field_visits_update', `/api/field/visits/${visit.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { location: 'Lira', business_name: mark('v'), contact_phone: '0712', add_as_lead: true, rep: admin.id },
    });
    await budget.call('field_visits_partial_update', `/api/field/visits/${visit.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { visit_outcome: 'interested' },
    });
    const converted = await budget.call(
      'field_visits_convert_to_lead_create',
      `/api/field/visits/${visit.json.id}/convert_to_lead/`,
      {
        token: t,
        method: 'POST',
      },
    );
    expect(converted.json.linked).toBe(true);
    await budget.call('field_visits_convert_to_lead_create', `/api/field/visits/${visit.json.id}/convert_to_lead/`, {
      token: t,
      method: 'POST',
      max: 1,
    });

    await budget.call('field_actions_destroy', `/api/field/actions/${action.json.id}/`, { token: t, method: 'DELETE' });
    await budget.call('field_visits_destroy', `/api/field/visits/${visit.json.id}/`, { token: t, method: 'DELETE' });
    await budget.call('field_leads_destroy', `/api/field/leads/${lead.json.id}/`, { token: t, method: 'DELETE' });
    await budget.call('field_zones_destroy', `/api/field/zones/${zone.json.id}/`, { token: t, method: 'DELETE' });
    // Refused writes stay within the budget too.
    await budget.call('field_leads_create', '/api/field/leads/', {
      token: t,
      body: { business_name: 'x', contact_phone: '0', zone: 999999, assigned_rep: 999999 },
      status: 400,
    });
  });

  it('every documented field operation was measured', async () => {
    expect(await budget.uncovered('/api/field/')).toEqual([]);
  });
});
