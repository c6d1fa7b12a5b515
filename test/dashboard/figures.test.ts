/**
 * Each dashboard figure checked against data this file creates through the API. Per-user figures
 * are exact (they count only this file's users' rows); system-wide income/expenses are checked as
 * an exact difference before/after this file's transactions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let me: TestUser;
let other: TestUser;

const post = async (path: string, token: string, body: Record<string, unknown>) => {
  const res = await api(path, { token, body });
  expectStatus(res, 201);
  return res.json;
};
const get = async (path: string, token = me.token) => {
  const res = await api(path, { token });
  expectStatus(res, 200);
  return res.json;
};
/** "1234.50" -> 123450 (test-side exact decimal arithmetic). */
const cents = (s: string) => {
  const [i, f = ''] = s.split('.');
  return Number(i) * 100 + Number(`${f}00`.slice(0, 2));
};

const project = (token: string, name: string, status: string) =>
  post('/api/projects/', token, { name, status, start_date: '2024-01-01', due_date: '2030-12-31' });
const task = (token: string, body: Record<string, unknown>) => post('/api/tasks/', token, { title: 'T', ...body });
const visit = (token: string, rep: number, location: string, date_time: string) =>
  post('/api/field/visits/', token, { location, date_time, business_name: 'Shop', contact_phone: '+256700000000', rep });
const lead = (token: string, assigned_rep: number, stage: string) =>
  post('/api/field/leads/', token, { business_name: 'Biz', contact_phone: '+256700000001', stage, assigned_rep });
const socialPost = (token: string, body: Record<string, unknown>) =>
  post('/api/social/posts/', token, { title: 'S', content_text: 'c', scheduled_for: '2030-01-01T00:00:00Z', ...body });

let financeBefore: { income: string; expenses: string };

beforeAll(async () => {
  me = await makeUser({ role: 'Staff', prefix: 'dash' });
  other = await makeUser({ role: 'Staff', prefix: 'dash_other' });
  financeBefore = await get('/api/dashboard/summary/finance/');

  // projects: mine (active, complete, planning, active) and another user's
  await project(me.token, 'A', 'active');
  await project(me.token, 'B', 'complete');
  await project(me.token, 'C', 'planning');
  const mine = await project(me.token, 'D', 'active');
  const theirs = await project(other.token, 'E', 'active');

  // tasks assigned to me: done, overdue, future, no due date, done-but-past-due, one in their project
  const done = await task(me.token, { project: mine.id, assigned_to: me.id, due_date: '2099-01-01T00:00:00Z' });
  await task(me.token, { project: mine.id, assigned_to: me.id, due_date: '2020-01-01T00:00:00Z' });
  await task(me.token, { project: mine.id, assigned_to: me.id, due_date: '2099-01-01T00:00:00Z' });
  await task(me.token, { project: mine.id, assigned_to: me.id });
  const donePast = await task(me.token, { project: mine.id, assigned_to: me.id, due_date: '2020-06-01T00:00:00Z' });
  await task(other.token, { project: theirs.id, assigned_to: me.id });
  // not mine: unassigned, or assigned to the other user (overdue)
  await task(me.token, { project: mine.id, due_date: '2020-01-01T00:00:00Z' });
  await task(other.token, { project: theirs.id, assigned_to: other.id, due_date: '2020-01-01T00:00:00Z' });
  for (const t of [done, donePast]) {
    const res = await api(`/api/tasks/${t.id}/`, { method: 'PATCH', token: me.token, body: { is_completed: true } });
    expectStatus(res, 200);
  }

  // finance: amounts whose float sum is inexact (0.1 + 0.2)
  for (const [type, amount] of [
    ['income', '0.10'],
    ['income', '0.20'],
    ['income', '1000000.01'],
    ['expense', '99.99'],
    ['expense', '0.01'],
  ])
    await post('/api/finance/transactions/', other.token, { type, amount, category: 'web_dev' });
  await post('/api/finance/goals/', me.token, { title: 'G1', target_amount: '100.00', due_date: '2030-01-01', owner: me.id });
  await post('/api/finance/goals/', other.token, { title: 'G2', target_amount: '5.00', due_date: '2030-01-01', owner: me.id });
  await post('/api/finance/goals/', me.token, { title: 'G3', target_amount: '5.00', due_date: '2030-01-01', owner: other.id });

  // field: seven visits by me (one deleted afterwards), one by the other user
  const times = ['2025-03-01', '2025-01-01', '2025-06-01', '2025-02-01', '2025-05-01', '2025-04-01', '2025-07-01'];
  const visits = [];
  for (const [i, day] of times.entries()) visits.push(await visit(other.token, me.id, `Loc ${i}`, `${day}T08:00:00Z`));
  await visit(me.token, other.id, 'Elsewhere', '2026-01-01T00:00:00Z');
  expectStatus(await api(`/api/field/visits/${visits[6].id}/`, { method: 'DELETE', token: me.token }), 204);

  // leads: mine won, won, lost, prospect, won (deleted); the other user's won
  await lead(me.token, me.id, 'won');
  await lead(other.token, me.id, 'won');
  await lead(me.token, me.id, 'lost');
  await lead(me.token, me.id, 'prospect');
  const gone = await lead(me.token, me.id, 'won');
  await lead(me.token, other.id, 'won');
  expectStatus(await api(`/api/field/leads/${gone.id}/`, { method: 'DELETE', token: me.token }), 204);

  // social: assigned to me: draft x2, published, approved; others unassigned or the other user's
  await socialPost(other.token, { platform: 'instagram', assigned_to: me.id });
  await socialPost(other.token, { platform: 'x', assigned_to: me.id, status: 'draft' });
  await socialPost(me.token, { platform: 'x', assigned_to: me.id, status: 'published' });
  await socialPost(me.token, { platform: 'linkedin', assigned_to: me.id, status: 'approved' });
  await socialPost(me.token, { platform: 'facebook', status: 'published' });
  await socialPost(me.token, { platform: 'youtube', assigned_to: other.id, status: 'draft' });
});

const EXPECTED_ME = {
  projects: { total: 4, active: 2, completed: 1 },
  tasks: { total: 6, completed: 2, overdue: 1 },
  goals_count: 2,
  field: {
    total_visits: 6,
    recent: ['2025-06-01', '2025-05-01', '2025-04-01', '2025-03-01', '2025-02-01'].map((d, i) => ({
      location: `Loc ${[2, 4, 5, 0, 3][i]}`,
      date_time: `${d}T08:00:00.000000Z`,
    })),
  },
  leads: { total: 4, won: 2, lost: 1 },
  social: { draft: 2, published: 1, platforms: ['instagram', 'linkedin', 'x'] },
};

describe('dashboard figures', () => {
  it('summary/projects counts my projects by status', async () => {
    expect(await get('/api/dashboard/summary/projects/')).toStrictEqual(EXPECTED_ME.projects);
    expect(await get('/api/dashboard/summary/projects/', other.token)).toStrictEqual({ total: 1, active: 1, completed: 0 });
  });

  it('summary/tasks counts tasks assigned to me in any project', async () => {
    expect(await get('/api/dashboard/summary/tasks/')).toStrictEqual(EXPECTED_ME.tasks);
    expect(await get('/api/dashboard/summary/tasks/', other.token)).toStrictEqual({ total: 1, completed: 0, overdue: 1 });
  });

  it('summary/finance sums all transactions exactly and counts my goals', async () => {
    const after = await get('/api/dashboard/summary/finance/');
    expect(after.income).toMatch(/^\d+\.\d{2}$/);
    expect(cents(after.income) - cents(financeBefore.income)).toBe(100_000_031);
    expect(cents(after.expenses) - cents(financeBefore.expenses)).toBe(10_000);
    expect(after.goals_count).toBe(EXPECTED_ME.goals_count);
    const theirs = await get('/api/dashboard/summary/finance/', other.token);
    expect(theirs).toStrictEqual({ ...after, goals_count: 1 });
  });

  it('summary/field counts my visits (not deleted ones) and lists the 5 newest, datetimes with six fractional digits as the original prints them (we printed three)', async () => {
    const body = await get('/api/dashboard/summary/field/');
    expect(body.total_visits).toBe(EXPECTED_ME.field.total_visits);
    expect(body.recent).toStrictEqual(EXPECTED_ME.field.recent.map((v) => ({ ...v, rep__email: me.email })));
    const theirs = await get('/api/dashboard/summary/field/', other.token);
    expect(theirs).toStrictEqual({
      total_visits: 1,
      recent: [{ location: 'Elsewhere', rep__email: other.email, date_time: '2026-01-01T00:00:00.000000Z' }],
    });
  });

  it('summary/leads counts my leads by stage (not deleted ones)', async () => {
    expect(await get('/api/dashboard/summary/leads/')).toStrictEqual(EXPECTED_ME.leads);
    expect(await get('/api/dashboard/summary/leads/', other.token)).toStrictEqual({ total: 1, won: 1, lost: 0 });
  });

  it('summary/socials counts my posts by status and lists their platforms', async () => {
    expect(await get('/api/dashboard/summary/socials/')).toStrictEqual(EXPECTED_ME.social);
    expect(await get('/api/dashboard/summary/socials/', other.token)).toStrictEqual({
      draft: 1,
      published: 0,
      platforms: ['youtube'],
    });
  });

  it('kpis is the six summaries together', async () => {
    const kpis = await get('/api/dashboard/kpis/');
    const summaries = {
      projects: await get('/api/dashboard/summary/projects/'),
      tasks: await get('/api/dashboard/summary/tasks/'),
      finance: await get('/api/dashboard/summary/finance/'),
      field: await get('/api/dashboard/summary/field/'),
      leads: await get('/api/dashboard/summary/leads/'),
      social: await get('/api/dashboard/summary/socials/'),
    };
    expect(kpis).toStrictEqual(summaries);
    expect(kpis.projects).toStrictEqual(EXPECTED_ME.projects);
    expect(kpis.tasks).toStrictEqual(EXPECTED_ME.tasks);
    expect(kpis.finance.goals_count).toBe(EXPECTED_ME.goals_count);
    expect(kpis.field.total_visits).toBe(EXPECTED_ME.field.total_visits);
    expect(kpis.field.recent).toHaveLength(5);
    expect(kpis.leads).toStrictEqual(EXPECTED_ME.leads);
    expect(kpis.social).toStrictEqual(EXPECTED_ME.social);
  });

  it('kpis are live, not cached', async () => {
    const before = await get('/api/dashboard/kpis/');
    await project(me.token, 'F', 'complete');
    const after = await get('/api/dashboard/kpis/');
    expect(after.projects).toStrictEqual({
      total: before.projects.total + 1,
      active: before.projects.active,
      completed: before.projects.completed + 1,
    });
  });
});
