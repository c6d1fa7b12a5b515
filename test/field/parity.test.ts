/**
 * Drop-in parity with the original (issue 20), field module: reference errors arrive with the other
 * field errors (#11), the default order of leads and visits and `?ordering=` for the other (#15),
 * datetimes with six fractional digits (#16).
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLead, createVisit, mark } from '../helpers/field';
import { api, expectStatus, makeUser, type TestUser, wsUser } from '../helpers';

let staff: TestUser;
let other: TestUser;
beforeAll(async () => {
  [staff, other] = await Promise.all([makeUser({ role: 'Staff' }), makeUser({ role: 'Staff' })]);
});

const INVALID_PK = 'Invalid pk "999999" - object does not exist.';

describe('#11 reference errors arrive with the other field errors, as DRF reports them all at once', () => {
  it('POST actions {lead: 999999, type: "email"}: the original answers type and lead together; we answered type alone', async () => {
    const res = await api('/api/field/actions/', { token: staff.token, body: { lead: 999999, type: 'email' } });
    expectStatus(res, 400);
    expect(res.json).toEqual({ type: ['"email" is not a valid choice.'], lead: [INVALID_PK] });
  });

  it('a key that is not an integer: the original says "Incorrect type. Expected pk value, received str."; we said "A valid integer is required."', async () => {
    const res = await api('/api/field/actions/', { token: staff.token, body: { lead: 'abc', type: 'call' } });
    expectStatus(res, 400);
    expect(res.json).toEqual({ lead: ['Incorrect type. Expected pk value, received str.'] });
    const asBool = await api('/api/field/actions/', { token: staff.token, body: { lead: true, type: 'call' } });
    expect(asBool.json).toEqual({ lead: ['Incorrect type. Expected pk value, received bool.'] });
    const asList = await api('/api/field/leads/', {
      token: staff.token,
      body: { business_name: 'x', contact_phone: '1', zone: [1], assigned_rep: { id: 1 } },
    });
    expect(asList.json).toEqual({
      zone: ['Incorrect type. Expected pk value, received list.'],
      assigned_rep: ['Incorrect type. Expected pk value, received dict.'],
    });
  });

  it('every reference of a write is checked with the field errors: leads with a missing zone, rep and a bad priority', async () => {
    const res = await api('/api/field/leads/', {
      token: staff.token,
      body: { contact_phone: '0700', zone: 999999, assigned_rep: 999999, priority: 'urgent' },
    });
    expectStatus(res, 400);
    expect(res.json).toEqual({
      business_name: ['This field is required.'],
      priority: ['"urgent" is not a valid choice.'],
      zone: [INVALID_PK],
      assigned_rep: [INVALID_PK],
    });
    const valid = await api('/api/field/leads/', {
      token: staff.token,
      body: { business_name: 'x', contact_phone: '1', zone: 999999 },
    });
    expect(valid.json, 'a body that parses still reports its references (unchanged)').toEqual({ zone: [INVALID_PK] });
  });

  it('PATCH reports references with the field errors, but only to a caller who may edit the row (nothing about other rows otherwise)', async () => {
    const lead = await createLead(staff.token);
    const action = await api('/api/field/actions/', { token: staff.token, body: { lead: lead.id, type: 'call' } });
    expectStatus(action, 201);
    const mine = await api(`/api/field/actions/${action.json.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { lead: 999999, type: 'email' },
    });
    expectStatus(mine, 400);
    expect(mine.json).toEqual({ type: ['"email" is not a valid choice.'], lead: [INVALID_PK] });
    // Only the author (or an Admin) edits an action: another caller learns nothing about lead 999999.
    const theirs = await api(`/api/field/actions/${action.json.id}/`, {
      method: 'PATCH',
      token: other.token,
      body: { lead: 999999, type: 'email' },
    });
    expectStatus(theirs, 400);
    expect(theirs.json).toEqual({ type: ['"email" is not a valid choice.'] });
    const missingRow = await api('/api/field/actions/999999/', {
      method: 'PATCH',
      token: staff.token,
      body: { lead: 999999, type: 'email' },
    });
    expect(missingRow.json).toEqual({ type: ['"email" is not a valid choice.'] });
  });
});

describe('#15 default order: newest first (the later original); ?ordering=id gives the contract original’s order', () => {
  it('leads: the contract original lists by id (oldest first), we list newest first; ?ordering=id is the original’s order (it was ignored)', async () => {
    const m = mark('ord');
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await createLead(staff.token, { business_name: `${m} ${i}` })).id);
    const ids = async (q: string) =>
      (await api(`/api/field/leads/?search=${m}${q}`, { token: staff.token })).json.results.map((r: { id: number }) => r.id);
    expect(await ids('')).toEqual([...made].reverse());
    expect(await ids('&ordering=id')).toEqual(made);
    expect(await ids('&ordering=-id')).toEqual([...made].reverse());
    expect(await ids('&ordering=created_at')).toEqual(made);
  });

  it('visits: the contract original lists by id (oldest first), we list by visit time, newest first; ?ordering=id is the original’s order (it was ignored)', async () => {
    const m = mark('vord');
    const made = [];
    for (const at of ['2025-01-03T10:00:00Z', '2025-01-01T10:00:00Z', '2025-01-02T10:00:00Z'])
      made.push((await createVisit(staff.token, { business_name: m, date_time: at })).id);
    const ids = async (q: string) =>
      (await api(`/api/field/visits/?search=${m}${q}`, { token: staff.token })).json.results.map((r: { id: number }) => r.id);
    expect(await ids('')).toEqual([made[0], made[2], made[1]]);
    expect(await ids('&ordering=id')).toEqual(made);
    expect(await ids('&ordering=created_at')).toEqual(made);
  });
});

describe('#16 datetimes print six fractional digits, as the original does (we printed three)', () => {
  it('server-set datetimes: the original prints 2025-03-01T18:57:57.105713Z, we printed 2025-03-01T18:57:57.105Z', async () => {
    const lead = await createLead(staff.token);
    for (const key of ['created_at', 'updated_at'])
      expect(lead[key], `${key}: ${lead[key]}`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const deleted = await api(`/api/field/leads/${lead.id}/`, { method: 'DELETE', token: staff.token });
    expectStatus(deleted, 204);
    const row = await env.DB.prepare('SELECT deleted_at FROM leads WHERE id = ?').bind(lead.id).first<{ deleted_at: string }>();
    expect(row!.deleted_at).toMatch(/\.\d{6}Z$/);
    const visit = await createVisit(staff.token);
    expect(visit.date_time).toMatch(/\.\d{6}Z$/);
  });

  it('client datetimes keep their microseconds: the original stores .123456, we cut it to .123', async () => {
    const visit = await createVisit(staff.token, { date_time: '2025-03-01T10:00:00.123456+03:00' });
    expect(visit.date_time).toBe('2025-03-01T07:00:00.123456Z');
    const lead = await createLead(staff.token);
    const action = await api('/api/field/actions/', {
      token: staff.token,
      body: { lead: lead.id, type: 'call', date: '2025-03-01 07:00:00.5' },
    });
    expectStatus(action, 201);
    expect(action.json.date).toBe('2025-03-01T07:00:00.500000Z');
  });

  it('the workspace family keeps its original’s three digits (only Tamiti datetimes changed)', async () => {
    const owner = await wsUser('digits');
    const res = await api('/api/workspace/workspaces/create/', { token: owner.token, body: { name: `Digits ${Date.now()}` } });
    expectStatus(res, 201);
    for (const key of ['created_at', 'updated_at'])
      expect(res.json.data[key], `${key}: ${res.text}`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});
