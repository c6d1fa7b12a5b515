import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { createVisit, mark } from '../helpers/field';
import { api, expectStatus, makeUser } from '../helpers';

afterEach(async () => {
  await env.DB.prepare('DROP TRIGGER IF EXISTS fail_visit_link').run();
});

describe('convert_to_lead is atomic', () => {
  it('leaves no lead behind when linking the visit fails', async () => {
    const staff = await makeUser();
    const m = mark('atom');
    const v = await createVisit(staff.token, { add_as_lead: true, business_name: m });
    // Make the second statement of the batch (the visit link) fail.
    await env.DB.prepare(
      "CREATE TRIGGER fail_visit_link BEFORE UPDATE OF linked_lead_id ON visits BEGIN SELECT RAISE(ABORT, 'link failed'); END",
    ).run();
    const res = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    expect(res.status, res.text).toBe(500);
    const leads = await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE business_name = ?').bind(m).first<{ n: number }>();
    expect(leads!.n).toBe(0);
    await env.DB.prepare('DROP TRIGGER fail_visit_link').run();
    const retry = await api(`/api/field/visits/${v.id}/convert_to_lead/`, { method: 'POST', token: staff.token });
    expectStatus(retry, 200);
    expect(retry.json.linked).toBe(true);
    const after = await env.DB.prepare('SELECT count(*) AS n FROM leads WHERE business_name = ?').bind(m).first<{ n: number }>();
    expect(after!.n).toBe(1);
  });
});
