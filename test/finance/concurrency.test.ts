/**
 * Counters and limits of the finance module under parallel requests (issue 14, "a concurrency test
 * for every counter or limit that protects something"): N requests at once, then the invariant.
 * Payments on one invoice (balance, overpayment) are covered in payments.test.ts.
 */
import { beforeAll, describe, it, expect } from 'vitest';
import { account, cast, type Cast, create, get, goal, invoice, party } from '../helpers/finance';
import { api, captureEvents, countRows, expectStatus } from '../helpers';

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

const N = 20;

describe('finance figures under parallel writes', () => {
  it(`${N} parallel transactions on one account move its balance by their exact sum`, async () => {
    const a = await account(who.staff.token, { balance: '1000.00' });
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        api('/api/finance/transactions/', {
          token: who.staff.token,
          body: { type: i % 2 ? 'expense' : 'income', amount: `${i + 1}.05`, account: a.id, category: 'operations' },
        }),
      ),
    );
    for (const r of results) expectStatus(r, 201);
    // Σ income (i even: 1.05 + 3.05 + … + 19.05) − Σ expense (2.05 + … + 20.05) = 100.50 − 110.50 = −10.00
    expect((await get(who.staff.token, `/api/finance/accounts/${a.id}/`)).balance).toBe('990.00');
    // …and parallel deletes (Admin) give it all back.
    const deletes = await Promise.all(
      results.map((r) => api(`/api/finance/transactions/${r.json.id}/`, { method: 'DELETE', token: who.admin.token })),
    );
    for (const r of deletes) expectStatus(r, 204);
    expect((await get(who.staff.token, `/api/finance/accounts/${a.id}/`)).balance).toBe('1000.00');
  });

  it(`${N} parallel payments towards one goal: current_amount is their sum and a milestone is reached once`, async () => {
    const p = await party(who.staff.token);
    const g = await goal(who.staff.token, who.staff.id, { target_amount: '1000.00' });
    await create(who.staff.token, '/api/finance/goal-milestones/', { goal: g.id, amount: '100.00' });
    const cap = captureEvents();
    try {
      const results = await Promise.all(
        Array.from({ length: N }, () =>
          api('/api/finance/payments/', {
            token: who.staff.token,
            body: { party: p.id, direction: 'incoming', amount: '10.00', goal: g.id },
          }),
        ),
      );
      for (const r of results) expectStatus(r, 201);
      const got = await get(who.staff.token, `/api/finance/goals/${g.id}/`);
      expect(got.current_amount).toBe('200.00');
      expect(got.milestones.map((m: { is_reached: boolean }) => m.is_reached)).toEqual([true]);
      expect(cap.notifications().filter((e) => e.verb === 'reached a goal milestone')).toHaveLength(1);
    } finally {
      cap.restore();
    }
  });

  it(`${N} parallel invoices without a number get ${N} distinct generated numbers`, async () => {
    const p = await party(who.staff.token);
    const results = await Promise.all(Array.from({ length: N }, () => invoice(who.staff.token, p.id)));
    const numbers = results.map((r) => r.number as string);
    expect(new Set(numbers).size, numbers.join(', ')).toBe(N);
    expect(await countRows('finance_invoices', 'party_id = ?', p.id)).toBe(N);
  });

  it('10 parallel approvals of one requisition approve it once and tell the requester once', async () => {
    const r = await create(who.staff.token, '/api/finance/requisitions/', { amount: '20.00', purpose: 'Toner' });
    const cap = captureEvents();
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          api(`/api/finance/requisitions/${r.id}/approve/`, { method: 'POST', token: who.admin.token }),
        ),
      );
      for (const res of results) expectStatus(res, 200);
      expect((await get(who.staff.token, `/api/finance/requisitions/${r.id}/`)).status).toBe('approved');
      expect(cap.notifications().filter((e) => e.verb === 'approved your requisition' && e.target_id === r.id)).toHaveLength(1);
    } finally {
      cap.restore();
    }
  });
});
