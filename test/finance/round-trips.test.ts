/**
 * D1 round trips of every finance operation over populated data (issue 16): each GET one round trip
 * (authorization included) whatever the page size — goals with their milestones, payments with their
 * transactions; each write at most two, however many figures it moves (a payment books its
 * transaction, moves the account, recomputes the invoice and the goal, claims milestones and reads
 * who asked for a requisition in one batch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, type Cast, cast, create, goal, invoice, party, payment } from '../helpers/finance';
import { api, Budget, captureEvents, expectStatus } from '../helpers';

const budget = new Budget();
let who: Cast;
let partyId: number;
let accountId: number;
let goalId: number;
let invoiceId: number;

beforeAll(async () => {
  who = await cast();
  const t = who.staff.token;
  for (let i = 0; i < 4; i++) {
    partyId = (await party(t)).id;
    accountId = (await account(t)).id;
  }
  for (let i = 0; i < 4; i++) {
    const g = await goal(t, who.staff.id, { target_amount: '100000.00' });
    goalId = g.id;
    for (const amount of ['10.00', '20.00', '30.00'])
      await create(t, '/api/finance/goal-milestones/', { goal: g.id, amount, notify: true });
  }
  for (let i = 0; i < 24; i++) {
    invoiceId = (await invoice(t, partyId, { total_amount: '1000.00' })).id;
    await payment(t, partyId, { invoice: invoiceId, account: accountId, goal: goalId, amount: '10.00' });
    await create(t, '/api/finance/requisitions/', { amount: '5.00', purpose: `Req ${i}` });
    await create(t, '/api/finance/transactions/', {
      type: 'expense',
      amount: '1.00',
      category: 'miscellaneous',
      account: accountId,
    });
  }
}, 180_000);

afterAll(() => budget.print('finance'));

describe('finance: D1 round trips per operation', () => {
  it('lists and views cost one round trip, a page of 2 the same as a page of 20', async () => {
    const t = who.staff.token;
    for (const kind of [
      'parties',
      'accounts',
      'invoices',
      'payments',
      'transactions',
      'requisitions',
      'goals',
      'goal-milestones',
    ])
      await budget.pages(`finance_${kind.replace('-', '_')}_list`, `/api/finance/${kind}/`, t);
    await budget.pages('finance_payments_list', `/api/finance/payments/?party=${partyId}&search=party&ordering=-amount`, t);
    await budget.pages('finance_invoices_list', `/api/finance/invoices/?is_paid=false&search=INV&ordering=balance`, t);
    const unpaid = await budget.call('finance_invoices_unpaid_retrieve', '/api/finance/invoices/unpaid/', { token: t });
    expect(unpaid.json.length).toBeGreaterThanOrEqual(24);
    const pending = await budget.call('finance_requisitions_pending_retrieve', '/api/finance/requisitions/pending/', {
      token: t,
    });
    expect(pending.json.length).toBeGreaterThanOrEqual(24);
    const byGoal = await budget.call('finance_payments_by_goal_retrieve', `/api/finance/payments/by_goal/?goal=${goalId}`, {
      token: t,
    });
    expect(byGoal.json.length).toBe(24);
    expect(byGoal.json[0].transaction?.id, 'payments carry their transaction').toBeTypeOf('number');
    await budget.call('finance_payments_by_goal_retrieve', '/api/finance/payments/by_goal/', { token: t, status: 400 });
  });

  it('retrieves cost one round trip, nested data included', async () => {
    const t = who.staff.token;
    const first = async (kind: string) => (await api(`/api/finance/${kind}/`, { token: t })).json.results[0].id;
    for (const kind of ['parties', 'accounts', 'invoices', 'payments', 'transactions', 'requisitions', 'goal-milestones'])
      await budget.call(`finance_${kind.replace('-', '_')}_retrieve`, `/api/finance/${kind}/${await first(kind)}/`, { token: t });
    const g = await budget.call('finance_goals_retrieve', `/api/finance/goals/${goalId}/`, { token: t });
    expect(g.json.milestones).toHaveLength(3);
    const progress = await budget.call('finance_goals_progress_retrieve', `/api/finance/goals/${goalId}/progress/`, { token: t });
    expect(progress.json.current).toBe(240);
  });

  it('writes cost at most two round trips, every figure they move included', async () => {
    const s = who.staff.token;
    const a = who.admin.token;
    const crud = async (
      kind: string,
      body: Record<string, unknown>,
      put: Record<string, unknown>,
      patch: Record<string, unknown>,
    ) => {
      const op = `finance_${kind.replace('-', '_')}`;
      const made = await budget.call(`${op}_create`, `/api/finance/${kind}/`, { token: s, body });
      const at = `/api/finance/${kind}/${made.json.id}/`;
      await budget.call(`${op}_update`, at, { token: s, method: 'PUT', body: put });
      await budget.call(`${op}_partial_update`, at, { token: s, method: 'PATCH', body: patch });
      return { id: made.json.id as number, at };
    };
    const p = await crud(
      'parties',
      { name: 'RT party', type: 'client', user: who.customer.id },
      { name: 'RT party 2', type: 'vendor', user: who.customer.id },
      { phone: '0700' },
    );
    const acc = await crud(
      'accounts',
      { name: 'RT', type: 'bank' },
      { name: 'RT2', type: 'wallet', balance: '5.00' },
      { currency: 'USD' },
    );
    const inv = await crud(
      'invoices',
      { party: p.id, total_amount: '500.00' },
      { party: p.id, total_amount: '600.00' },
      { description: 'd' },
    );
    const g = await crud(
      'goals',
      { title: 'RT', target_amount: '100.00', due_date: '2030-01-01', owner: who.staff.id },
      { title: 'RT2', target_amount: '200.00', due_date: '2030-01-02', owner: who.staff.id },
      { title: 'RT3' },
    );
    const m = await crud('goal-milestones', { goal: g.id, amount: '5.00' }, { goal: g.id, amount: '6.00' }, { notify: false });
    const req = await crud(
      'requisitions',
      { amount: '50.00', purpose: 'RT' },
      { amount: '60.00', purpose: 'RT2' },
      { comments: 'c' },
    );
    const tx = await crud(
      'transactions',
      { type: 'income', amount: '3.00', category: 'miscellaneous', account: acc.id },
      { type: 'expense', amount: '4.00', category: 'miscellaneous', account: acc.id },
      { description: 'd' },
    );
    const pay = await crud(
      'payments',
      { party: p.id, direction: 'incoming', amount: '100.00', invoice: inv.id, account: acc.id, goal: g.id, requisition: req.id },
      { party: p.id, direction: 'incoming', amount: '150.00', invoice: inv.id, account: acc.id, goal: g.id },
      { amount: '120.00', notes: 'n' },
    );
    // Refusals stay within the budget: an overpayment, a booked transaction, a party in use.
    await budget.call('finance_payments_create', '/api/finance/payments/', {
      token: s,
      body: { party: p.id, direction: 'incoming', amount: '9999.00', invoice: inv.id },
      status: 400,
    });
    const booked = (await api(pay.at, { token: s })).json.transaction.id;
    await budget.call('finance_transactions_partial_update', `/api/finance/transactions/${booked}/`, {
      token: s,
      method: 'PATCH',
      body: { amount: '1.00' },
      status: 400,
    });
    await budget.call('finance_parties_destroy', p.at, { token: a, method: 'DELETE', status: 400 });

    const approve = await budget.call('finance_requisitions_approve_create', `/api/finance/requisitions/${req.id}/approve/`, {
      token: a,
      method: 'POST',
      max: 1,
    });
    expect(approve.json.status).toBe('approved');
    await budget.call('finance_requisitions_approve_create', `/api/finance/requisitions/${req.id}/approve/`, {
      token: s,
      method: 'POST',
      status: 403,
    });

    await budget.call('finance_payments_destroy', pay.at, { token: a, method: 'DELETE' });
    await budget.call('finance_transactions_destroy', tx.at, { token: a, method: 'DELETE' });
    await budget.call('finance_requisitions_destroy', req.at, { token: a, method: 'DELETE' });
    await budget.call('finance_goal_milestones_destroy', m.at, { token: a, method: 'DELETE' });
    await budget.call('finance_goals_destroy', g.at, { token: a, method: 'DELETE' });
    await budget.call('finance_invoices_destroy', inv.at, { token: a, method: 'DELETE' });
    await budget.call('finance_accounts_destroy', acc.at, { token: a, method: 'DELETE' });
    await budget.call('finance_parties_destroy', p.at, { token: a, method: 'DELETE' });
  });

  it('every documented finance operation was measured', async () => {
    expect(await budget.uncovered('/api/finance/')).toEqual([]);
  });
});

describe('finance: what the writes moved in their one batch', () => {
  it('a payment against a requisition and a goal tells the requester and the goal owner, from the write’s own batch', async () => {
    const t = who.staff.token;
    const g = await goal(t, who.staff.id, { target_amount: '100.00' });
    await create(t, '/api/finance/goal-milestones/', { goal: g.id, amount: '50.00', notify: true });
    const req = await create(t, '/api/finance/requisitions/', { amount: '60.00', purpose: 'Events' });
    const cap = captureEvents();
    try {
      const res = await budget.call('finance_payments_create', '/api/finance/payments/', {
        token: who.admin.token,
        body: { party: partyId, direction: 'incoming', amount: '60.00', goal: g.id, requisition: req.id },
      });
      expectStatus(res, 201);
      const verbs = cap.notifications().map((e) => [e.verb, e.recipient_id]);
      expect(verbs).toEqual(
        expect.arrayContaining([
          ['confirmed payment', who.staff.id],
          ['reached a goal milestone', who.staff.id],
        ]),
      );
    } finally {
      cap.restore();
    }
  });
});
