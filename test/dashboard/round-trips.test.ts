/**
 * D1 round trips of every dashboard operation (issue 16): each endpoint is one batch of its
 * figures' aggregates, authorization riding it — one round trip whatever the data size (a user with
 * nothing costs what a user with rows in every module costs). The dashboard has no lists, so there
 * is no page-size comparison; `recent` visits are a LIMIT 5 inside the same batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, Budget, expectStatus, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let busy: TestUser;
let idle: TestUser;

const post = async (path: string, body: Record<string, unknown>) => {
  const res = await api(path, { token: busy.token, body });
  expectStatus(res, 201);
  return res.json;
};

const PATHS: [string, string][] = [
  ['dashboard_kpis_retrieve', '/api/dashboard/kpis/'],
  ['dashboard_summary_projects_retrieve', '/api/dashboard/summary/projects/'],
  ['dashboard_summary_tasks_retrieve', '/api/dashboard/summary/tasks/'],
  ['dashboard_summary_finance_retrieve', '/api/dashboard/summary/finance/'],
  ['dashboard_summary_field_retrieve', '/api/dashboard/summary/field/'],
  ['dashboard_summary_leads_retrieve', '/api/dashboard/summary/leads/'],
  ['dashboard_summary_socials_retrieve', '/api/dashboard/summary/socials/'],
];

beforeAll(async () => {
  busy = await makeUser({ role: 'Staff', prefix: 'dash_rt' });
  idle = await makeUser({ role: 'Staff', prefix: 'dash_rt_idle' });
  const project = await post('/api/projects/', {
    name: 'P',
    status: 'active',
    start_date: '2024-01-01',
    due_date: '2030-12-31',
  });
  for (let i = 0; i < 8; i++) {
    await post('/api/tasks/', { title: `T${i}`, project: project.id, assigned_to: busy.id, due_date: '2020-01-01T00:00:00Z' });
    await post('/api/field/visits/', {
      location: `Loc ${i}`,
      date_time: `2025-0${(i % 9) + 1}-01T10:00:00Z`,
      business_name: 'Shop',
      contact_phone: '+256700000000',
      rep: busy.id,
    });
    await post('/api/field/leads/', {
      business_name: `Biz ${i}`,
      contact_phone: '+256700000001',
      stage: i % 2 ? 'won' : 'lost',
      assigned_rep: busy.id,
    });
    await post('/api/social/posts/', {
      title: `S${i}`,
      content_text: 'c',
      platform: i % 2 ? 'x' : 'facebook',
      assigned_to: busy.id,
      scheduled_for: '2030-01-01T00:00:00Z',
    });
  }
  await post('/api/finance/transactions/', { type: 'income', amount: '10.00', category: 'web_dev' });
  await post('/api/finance/goals/', { title: 'G', target_amount: '100.00', due_date: '2030-01-01', owner: busy.id });
}, 120_000);

afterAll(() => budget.print('dashboard'));

describe('dashboard: D1 round trips per operation', () => {
  it('every endpoint is one round trip, for a user with data as for one without', async () => {
    for (const [operation, path] of PATHS) {
      const full = await budget.call(operation, path, { token: busy.token });
      const empty = await budget.call(operation, path, { token: idle.token });
      expect(full.trips, `${operation}: data size does not change the cost`).toBe(empty.trips);
    }
    const kpis = (await api('/api/dashboard/kpis/', { token: busy.token })).json;
    expect(kpis.field.recent, JSON.stringify(kpis)).toHaveLength(5);
    expect(kpis.leads, JSON.stringify(kpis)).toStrictEqual({ total: 8, won: 4, lost: 4 });
  });

  it('covers every documented dashboard operation', async () => {
    expect(await budget.uncovered('/api/dashboard/')).toEqual([]);
  });
});
