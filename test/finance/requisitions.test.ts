import { beforeAll, describe, it, expect } from 'vitest';
import { cast, type Cast, create, get } from '../helpers/finance';
import { api, captureEvents, day, expectStatus } from '../helpers';

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

const requisition = (token: string, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/requisitions/', { amount: '120.00', purpose: 'Printer paper', ...extra });

describe('requisitions CRUD', () => {
  it('creates with defaults; requested_by defaults to the caller; approval fields are server-owned; a bad choice and a missing reference are reported together, as the original does (we reported the choice alone)', async () => {
    const r = await requisition(who.staff.token, { approved_by: who.admin.id, date_approved: '2025-01-01' });
    expect(r).toMatchObject({
      amount: '120.00',
      purpose: 'Printer paper',
      status: 'pending',
      urgency: 'medium',
      comments: '',
      requested_by: who.staff.id,
      approved_by: null,
      date_approved: null,
    });
    const forOther = await requisition(who.staff.token, { requested_by: who.admin.id, urgency: 'critical' });
    expect(forOther).toMatchObject({ requested_by: who.admin.id, urgency: 'critical' });
    const bad = await api('/api/finance/requisitions/', {
      token: who.staff.token,
      body: { amount: '1', purpose: 'x', requested_by: 999999, urgency: 'now' },
    });
    expectStatus(bad, 400);
    expect(Object.keys(bad.json).sort()).toEqual(['requested_by', 'urgency']);
    expect(bad.json.requested_by).toEqual(['Invalid pk "999999" - object does not exist.']);
    const badRef = await api('/api/finance/requisitions/', {
      token: who.staff.token,
      body: { amount: '1', purpose: 'x', requested_by: 999999 },
    });
    expectStatus(badRef, 400);
    expect(badRef.json.requested_by).toEqual(['Invalid pk "999999" - object does not exist.']);
    const missing = await api('/api/finance/requisitions/', { token: who.staff.token, body: {} });
    expectStatus(missing, 400);
    expect(missing.json).toMatchObject({ amount: ['This field is required.'], purpose: ['This field is required.'] });
  });

  it('updates, searches purpose, filters by status, and only an Admin deletes', async () => {
    const tag = `Rq${Date.now().toString(36)}`;
    const a = await requisition(who.staff.token, { purpose: `${tag} laptops` });
    const b = await requisition(who.staff.token, { purpose: `${tag} chairs`, status: 'rejected' });
    const put = await api(`/api/finance/requisitions/${a.id}/`, {
      method: 'PUT',
      token: who.staff.token,
      body: { amount: '900', purpose: `${tag} laptops x2`, comments: 'urgent' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ amount: '900.00', comments: 'urgent', status: 'pending' });
    const ids = async (q: string) =>
      (await api(`/api/finance/requisitions/?${q}`, { token: who.staff.token })).json.results.map((r: any) => r.id);
    expect(await ids(`search=${tag}`)).toEqual([a.id, b.id]);
    expect(await ids(`search=${tag}%20chairs`)).toEqual([b.id]);
    expect(await ids(`search=${tag}&status=rejected`)).toEqual([b.id]);
    expect(await ids(`search=${tag}&ordering=-amount`)).toEqual([a.id, b.id]);
    expectStatus(await api(`/api/finance/requisitions/${b.id}/`, { method: 'DELETE', token: who.staff.token }), 403);
    expectStatus(await api(`/api/finance/requisitions/${b.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
    expectStatus(await api(`/api/finance/requisitions/${b.id}/`, { token: who.staff.token }), 404);
  });
});

describe('GET /api/finance/requisitions/pending/', () => {
  it('returns a bare array of pending requisitions', async () => {
    const p = await requisition(who.staff.token);
    const done = await requisition(who.staff.token);
    expectStatus(await api(`/api/finance/requisitions/${done.id}/approve/`, { method: 'POST', token: who.admin.token }), 200);
    const res = await api('/api/finance/requisitions/pending/', { token: who.staff.token });
    expectStatus(res, 200);
    expect(Array.isArray(res.json)).toBe(true);
    const ids = res.json.map((r: any) => r.id);
    expect(ids).toContain(p.id);
    expect(ids).not.toContain(done.id);
    expect(res.json.every((r: any) => r.status === 'pending')).toBe(true);
  });
});

describe('POST /api/finance/requisitions/{id}/approve/', () => {
  it('lets only an Admin approve, records who and when, and notifies the requester once', async () => {
    const r = await requisition(who.staff.token);
    const cap = captureEvents();
    try {
      const staff = await api(`/api/finance/requisitions/${r.id}/approve/`, { method: 'POST', token: who.staff.token });
      expectStatus(staff, 403);
      expect((await get(who.staff.token, `/api/finance/requisitions/${r.id}/`)).status).toBe('pending');
      expectStatus(await api(`/api/finance/requisitions/${r.id}/approve/`, { method: 'POST', token: who.customer.token }), 403);

      const ok = await api(`/api/finance/requisitions/${r.id}/approve/`, { method: 'POST', token: who.admin.token });
      expectStatus(ok, 200);
      expect(ok.json).toMatchObject({
        id: r.id,
        status: 'approved',
        approved_by: who.admin.id,
        date_approved: day(),
        requested_by: who.staff.id,
      });

      const again = await api(`/api/finance/requisitions/${r.id}/approve/`, { method: 'POST', token: who.admin.token, body: {} });
      expectStatus(again, 200);
      const sent = cap.notifications().filter((e) => e.verb === 'approved your requisition');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipient_id: who.staff.id,
        actor_id: who.admin.id,
        url: `/finance/requisitions/${r.id}/`,
        target_id: r.id,
      });
    } finally {
      cap.restore();
    }
    expectStatus(await api('/api/finance/requisitions/999999/approve/', { method: 'POST', token: who.admin.token }), 404);
  });

  it('approving through PUT/PATCH follows the same rules', async () => {
    const r = await requisition(who.staff.token);
    const cap = captureEvents();
    try {
      const staff = await api(`/api/finance/requisitions/${r.id}/`, {
        method: 'PATCH',
        token: who.staff.token,
        body: { status: 'approved' },
      });
      expectStatus(staff, 403);
      const admin = await api(`/api/finance/requisitions/${r.id}/`, {
        method: 'PATCH',
        token: who.admin.token,
        body: { status: 'approved' },
      });
      expectStatus(admin, 200);
      expect(admin.json).toMatchObject({ status: 'approved', approved_by: who.admin.id, date_approved: day() });
      expect(cap.notifications().filter((e) => e.verb === 'approved your requisition')).toHaveLength(1);
      // Staff may still edit other fields of an approved requisition, but not un-approve it.
      const comment = await api(`/api/finance/requisitions/${r.id}/`, {
        method: 'PATCH',
        token: who.staff.token,
        body: { comments: 'paid cash' },
      });
      expectStatus(comment, 200);
      expect(comment.json.status).toBe('approved');
      expectStatus(
        await api(`/api/finance/requisitions/${r.id}/`, { method: 'PATCH', token: who.staff.token, body: { status: 'pending' } }),
        403,
      );
      const back = await api(`/api/finance/requisitions/${r.id}/`, {
        method: 'PATCH',
        token: who.admin.token,
        body: { status: 'pending' },
      });
      expectStatus(back, 200);
      expect(back.json).toMatchObject({ status: 'pending', approved_by: null, date_approved: null });
      const created = await api('/api/finance/requisitions/', {
        token: who.staff.token,
        body: { amount: '1', purpose: 'x', status: 'approved' },
      });
      expectStatus(created, 403);
    } finally {
      cap.restore();
    }
  });
});
