import { beforeAll, describe, expect, it } from 'vitest';
import { createLead } from '../helpers/field';
import { api, day, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
beforeAll(async () => {
  staff = await makeUser();
});

const score = async (id: number) => (await api(`/api/field/leads/${id}/`, { token: staff.token })).json.lead_score as number;
const addAction = async (lead: number, token = staff.token) => {
  const res = await api('/api/field/actions/', { token, body: { lead, type: 'call' } });
  expectStatus(res, 201);
  return res.json;
};

describe('lead_score is computed (the original never computed it)', () => {
  it('weights priority: low 5, medium 15, high 30, critical 40', async () => {
    for (const [priority, expected] of [
      ['low', 5],
      ['medium', 15],
      ['high', 30],
      ['critical', 40],
    ] as const) {
      const lead = await createLead(staff.token, { priority });
      expect(lead.lead_score, priority).toBe(expected);
    }
  });

  it('adds stage: prospect 0, qualified 10, negotiation 20, won 30; a lost lead scores 0', async () => {
    for (const [stage, expected] of [
      ['prospect', 5],
      ['qualified', 15],
      ['negotiation', 25],
      ['won', 35],
      ['lost', 0],
    ] as const) {
      const lead = await createLead(staff.token, { priority: 'low', stage });
      expect(lead.lead_score, stage).toBe(expected);
    }
  });

  it('adds follow-up recency: <= 7 days 15, <= 30 days 10, later 5, past or none 0', async () => {
    for (const [offset, expected] of [
      [0, 20],
      [7, 20],
      [8, 15],
      [30, 15],
      [31, 10],
      [-1, 5],
    ] as const) {
      const lead = await createLead(staff.token, { priority: 'low', follow_up_date: day(offset) });
      expect(lead.lead_score, `follow-up in ${offset} days`).toBe(expected);
    }
  });

  it('adds 5 per live action up to 20, recomputed on action create, move and delete', async () => {
    const lead = await createLead(staff.token, { priority: 'low' });
    const other = await createLead(staff.token, { priority: 'low' });
    const first = await addAction(lead.id);
    expect(await score(lead.id)).toBe(10);
    for (let i = 0; i < 4; i++) await addAction(lead.id);
    expect(await score(lead.id)).toBe(25); // 5 + capped 20
    const moved = await api(`/api/field/actions/${first.id}/`, { method: 'PATCH', token: staff.token, body: { lead: other.id } });
    expectStatus(moved, 200);
    expect(await score(lead.id)).toBe(25); // still 4 actions
    expect(await score(other.id)).toBe(10);
    expectStatus(await api(`/api/field/actions/${first.id}/`, { method: 'DELETE', token: staff.token }), 204);
    expect(await score(other.id)).toBe(5);
  });

  it('is recomputed when the lead changes, and clamped to 100', async () => {
    const lead = await createLead(staff.token, { priority: 'low' });
    for (let i = 0; i < 5; i++) await addAction(lead.id);
    const res = await api(`/api/field/leads/${lead.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { priority: 'critical', stage: 'won', follow_up_date: day(3) },
    });
    expectStatus(res, 200);
    expect(res.json.lead_score).toBe(100); // 40 + 30 + 15 + 20 = 105, clamped
    const lost = await api(`/api/field/leads/${lead.id}/`, { method: 'PATCH', token: staff.token, body: { stage: 'lost' } });
    expect(lost.json.lead_score).toBe(0);
  });

  it('ignores a client-sent lead_score', async () => {
    const lead = await createLead(staff.token, { priority: 'low', lead_score: 100 });
    expect(lead.lead_score).toBe(5);
    const res = await api(`/api/field/leads/${lead.id}/`, { method: 'PATCH', token: staff.token, body: { lead_score: 90 } });
    expect(res.json.lead_score).toBe(5);
  });
});
