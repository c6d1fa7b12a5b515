import { beforeAll, describe, it, expect } from 'vitest';
import { cast, type Cast, create, get, goal, party, payment } from '../helpers/finance';
import { api, captureEvents, expectStatus } from '../helpers';

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

const progress = (id: number) => api(`/api/finance/goals/${id}/progress/`, { token: who.staff.token });
const milestone = (goalId: number, amount: string, extra: Record<string, unknown> = {}) =>
  create(who.staff.token, '/api/finance/goal-milestones/', { goal: goalId, amount, ...extra });

describe('goals CRUD', () => {
  it('creates with nested milestones; current_amount is not client-writable', async () => {
    const g = await goal(who.staff.token, who.staff.id, { current_amount: '999.00', target_amount: 5000 });
    expect(g).toMatchObject({
      target_amount: '5000.00',
      current_amount: '0.00',
      milestones: [],
      owner: who.staff.id,
      due_date: '2030-01-01',
    });
    const bad = await api('/api/finance/goals/', {
      token: who.staff.token,
      body: { title: 'x', target_amount: '1', due_date: '2030-01-01', owner: 999999 },
    });
    expectStatus(bad, 400);
    expect(bad.json.owner).toEqual(['Invalid pk "999999" - object does not exist.']);
    const missing = await api('/api/finance/goals/', { token: who.staff.token, body: {} });
    expectStatus(missing, 400);
    expect(Object.keys(missing.json).sort()).toEqual(['due_date', 'owner', 'target_amount', 'title']);
    const negative = await api('/api/finance/goals/', {
      token: who.staff.token,
      body: { title: 'x', target_amount: '-1', due_date: '2030-01-01', owner: who.staff.id },
    });
    expectStatus(negative, 400);
    expect(negative.json.target_amount).toBeDefined();
  });

  it('updates, searches title, filters by owner, orders, and only an Admin deletes', async () => {
    const tag = `Gq${Date.now().toString(36)}`;
    const a = await goal(who.staff.token, who.staff.id, { title: `${tag} savings`, target_amount: '10' });
    const b = await goal(who.staff.token, who.admin.id, { title: `${tag} revenue`, target_amount: '20' });
    const put = await api(`/api/finance/goals/${a.id}/`, {
      method: 'PUT',
      token: who.staff.token,
      body: { title: `${tag} savings!`, target_amount: '30', due_date: '2031-01-01', owner: who.staff.id },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ target_amount: '30.00', due_date: '2031-01-01' });
    const ids = async (q: string) =>
      (await api(`/api/finance/goals/?${q}`, { token: who.staff.token })).json.results.map((r: any) => r.id);
    expect(await ids(`search=${tag}`)).toEqual([a.id, b.id]);
    expect(await ids(`search=${tag}%20revenue`)).toEqual([b.id]);
    expect(await ids(`search=${tag}&owner=${who.admin.id}`)).toEqual([b.id]);
    expect(await ids(`search=${tag}&ordering=target_amount`)).toEqual([b.id, a.id]);
    expectStatus(await api(`/api/finance/goals/${b.id}/`, { method: 'DELETE', token: who.staff.token }), 403);
    expectStatus(await api(`/api/finance/goals/${b.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
    expectStatus(await api(`/api/finance/goals/${b.id}/`, { token: who.staff.token }), 404);
  });
});

describe('GET /api/finance/goals/{id}/progress/', () => {
  it('returns {current, target, percentage} as numbers from the payments', async () => {
    const p = await party(who.staff.token);
    const g = await goal(who.staff.token, who.staff.id, { target_amount: '300.00' });
    let res = await progress(g.id);
    expectStatus(res, 200);
    expect(res.json).toEqual({ current: 0, target: 300, percentage: 0 });
    await payment(who.staff.token, p.id, { goal: g.id, amount: '100.00' });
    res = await progress(g.id);
    expect(res.json).toEqual({ current: 100, target: 300, percentage: 33.33 });
    await payment(who.staff.token, p.id, { goal: g.id, amount: '350.50' });
    res = await progress(g.id);
    expect(res.json).toEqual({ current: 450.5, target: 300, percentage: 150.17 });
  });

  it('is 0 for a zero target and 404 for an unknown goal', async () => {
    const p = await party(who.staff.token);
    const g = await goal(who.staff.token, who.staff.id, { target_amount: '0' });
    await payment(who.staff.token, p.id, { goal: g.id, amount: '5.00' });
    expect((await progress(g.id)).json).toEqual({ current: 5, target: 0, percentage: 0 });
    expectStatus(await progress(999999), 404);
  });
});

describe('goal milestones (new: the original could not create them)', () => {
  it('are reached with the goal’s payments, un-reached when payments go, and notify the owner once', async () => {
    const p = await party(who.staff.token);
    const g = await goal(who.staff.token, who.admin.id, { target_amount: '1000.00' });
    const cap = captureEvents();
    try {
      const half = await milestone(g.id, '500.00');
      const quiet = await milestone(g.id, '100.00', { notify: false, is_reached: true });
      expect(half).toMatchObject({ goal: g.id, amount: '500.00', notify: true, is_reached: false });
      expect(quiet.is_reached).toBe(false);

      const first = await payment(who.staff.token, p.id, { goal: g.id, amount: '200.00' });
      let got = await get(who.staff.token, `/api/finance/goals/${g.id}/`);
      expect(got.milestones.map((m: any) => [m.id, m.is_reached])).toEqual([
        [quiet.id, true],
        [half.id, false],
      ]);
      await payment(who.staff.token, p.id, { goal: g.id, amount: '300.00' });
      got = await get(who.staff.token, `/api/finance/goals/${g.id}/`);
      expect(got.milestones.find((m: any) => m.id === half.id).is_reached).toBe(true);
      const reached = cap.notifications().filter((e) => e.verb === 'reached a goal milestone');
      expect(reached).toHaveLength(1);
      expect(reached[0]).toMatchObject({ recipient_id: who.admin.id, target_id: half.id, url: `/finance/goals/${g.id}/` });

      expectStatus(await api(`/api/finance/payments/${first.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
      got = await get(who.staff.token, `/api/finance/goals/${g.id}/`);
      expect(got.current_amount).toBe('300.00');
      expect(got.milestones.find((m: any) => m.id === half.id).is_reached).toBe(false);

      // Editing the milestone recomputes it at once.
      const lowered = await api(`/api/finance/goal-milestones/${half.id}/`, {
        method: 'PATCH',
        token: who.staff.token,
        body: { amount: '250.00' },
      });
      expectStatus(lowered, 200);
      expect(lowered.json.is_reached).toBe(true);
      expect(cap.notifications().filter((e) => e.verb === 'reached a goal milestone')).toHaveLength(2);
    } finally {
      cap.restore();
    }
  });

  it('lists by goal, validates, and only an Admin deletes', async () => {
    const g = await goal(who.staff.token, who.staff.id);
    const m = await milestone(g.id, '10.00');
    const list = await api(`/api/finance/goal-milestones/?goal=${g.id}`, { token: who.staff.token });
    expectStatus(list, 200);
    expect(list.json.results.map((r: any) => r.id)).toEqual([m.id]);
    const bad = await api('/api/finance/goal-milestones/', { token: who.staff.token, body: { goal: 999999, amount: '1' } });
    expectStatus(bad, 400);
    expect(bad.json.goal).toBeDefined();
    expectStatus(await api(`/api/finance/goal-milestones/${m.id}/`, { method: 'DELETE', token: who.staff.token }), 403);
    expectStatus(await api(`/api/finance/goal-milestones/${m.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
  });
});
