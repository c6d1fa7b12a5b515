import { beforeAll, describe, it, expect } from 'vitest';
import { account, cast, type Cast, create, get, goal, invoice, party, payment } from '../helpers/finance';
import { api, captureEvents, countRows, expectStatus } from '../helpers';

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

const inv = (id: number) => get(who.staff.token, `/api/finance/invoices/${id}/`);
const acc = (id: number) => get(who.staff.token, `/api/finance/accounts/${id}/`);
const pay = (id: number) => get(who.staff.token, `/api/finance/payments/${id}/`);
const patch = (id: number, body: Record<string, unknown>) =>
  api(`/api/finance/payments/${id}/`, { method: 'PATCH', token: who.staff.token, body });

describe('POST /api/finance/payments/', () => {
  it('books an automated transaction and moves the account balance', async () => {
    const p = await party(who.staff.token, { name: 'Acme Ltd' });
    const a = await account(who.staff.token, { balance: '1000.00' });
    const incoming = await payment(who.staff.token, p.id, { account: a.id, amount: '250.00' });
    expect(incoming).toMatchObject({
      direction: 'incoming',
      amount: '250.00',
      party: p.id,
      account: a.id,
      invoice: null,
      notes: '',
      receipt_file: null,
    });
    expect(incoming.transaction).toMatchObject({
      type: 'income',
      amount: '250.00',
      category: 'miscellaneous',
      is_automated: true,
      description: 'Income payment by Acme Ltd',
      account: a.id,
      related_payment: incoming.id,
      date: new Date().toISOString().slice(0, 10),
    });
    expect((await acc(a.id)).balance).toBe('1250.00');

    const outgoing = await payment(who.staff.token, p.id, {
      account: a.id,
      amount: '100.50',
      direction: 'outgoing',
      notes: 'Printer ink',
      receipt_file: 'https://files.example.com/r1.pdf',
    });
    expect(outgoing.transaction).toMatchObject({ type: 'expense', amount: '100.50', description: 'Printer ink' });
    expect(outgoing.receipt_file).toBe('https://files.example.com/r1.pdf');
    expect((await acc(a.id)).balance).toBe('1149.50');

    const tx = await get(who.staff.token, `/api/finance/transactions/${outgoing.transaction.id}/`);
    expect(tx).toMatchObject({ related_payment: outgoing.id, is_automated: true });
  });

  it('validates amount, references and the invoice’s party', async () => {
    const p = await party(who.staff.token);
    const other = await party(who.staff.token);
    const i = await invoice(who.staff.token, other.id);
    const t = who.staff.token;
    const cases: [Record<string, unknown>, string][] = [
      [{ party: p.id, direction: 'incoming', amount: '0' }, 'amount'],
      [{ party: p.id, direction: 'incoming', amount: '-5' }, 'amount'],
      [{ party: p.id, direction: 'incoming', amount: 'abc' }, 'amount'],
      [{ party: p.id, direction: 'incoming' }, 'amount'],
      [{ party: p.id, amount: '5' }, 'direction'],
      [{ direction: 'incoming', amount: '5' }, 'party'],
      [{ party: p.id, direction: 'incoming', amount: '5', account: 999999 }, 'account'],
      [{ party: p.id, direction: 'incoming', amount: '5', goal: 999999 }, 'goal'],
      [{ party: p.id, direction: 'incoming', amount: '5', invoice: i.id }, 'invoice'],
      [{ party: p.id, direction: 'incoming', amount: '5', receipt_file: 'not a url' }, 'receipt_file'],
    ];
    for (const [body, field] of cases) {
      const res = await api('/api/finance/payments/', { token: t, body });
      expectStatus(res, 400);
      expect(Object.keys(res.json), JSON.stringify(res.json)).toContain(field);
    }
  });

  it('allows one payment per requisition and tells the requester it was confirmed', async () => {
    const p = await party(who.staff.token);
    const req = await create(who.staff.token, '/api/finance/requisitions/', { amount: '50.00', purpose: 'Taxi' });
    const cap = captureEvents();
    try {
      const first = await payment(who.admin.token, p.id, { requisition: req.id, direction: 'outgoing', amount: '50.00' });
      expect(first.transaction).toMatchObject({ related_requisition: req.id, type: 'expense' });
      const sent = cap.notifications().filter((e) => e.verb === 'confirmed payment');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipient_id: who.staff.id,
        actor_id: who.admin.id,
        url: `/finance/payments/${first.id}/`,
        target_id: first.id,
      });
      const second = await api('/api/finance/payments/', {
        token: who.staff.token,
        body: { party: p.id, direction: 'outgoing', amount: '1', requisition: req.id },
      });
      expectStatus(second, 400);
      expect(second.json).toEqual({ requisition: ['payment with this requisition already exists.'] });
    } finally {
      cap.restore();
    }
  });
});

describe('invoice balance arithmetic', () => {
  it('partial payments reduce the balance; the last one marks the invoice paid', async () => {
    const p = await party(who.staff.token);
    const i = await invoice(who.staff.token, p.id, { total_amount: '1000.00' });
    await payment(who.staff.token, p.id, { invoice: i.id, amount: '300.00' });
    expect(await inv(i.id)).toMatchObject({ balance: '700.00', is_paid: false });
    await payment(who.staff.token, p.id, { invoice: i.id, amount: '699.99', direction: 'outgoing' });
    expect(await inv(i.id)).toMatchObject({ balance: '0.01', is_paid: false });
    await payment(who.staff.token, p.id, { invoice: i.id, amount: '0.01' });
    expect(await inv(i.id)).toMatchObject({ balance: '0.00', is_paid: true });
  });

  it('refuses an overpayment with a 400 on amount, writing nothing (atomic batch)', async () => {
    const p = await party(who.staff.token);
    const a = await account(who.staff.token, { balance: '10.00' });
    const i = await invoice(who.staff.token, p.id, { total_amount: '500.00' });
    await payment(who.staff.token, p.id, { invoice: i.id, amount: '450.00', account: a.id });
    const before = { payments: await countRows('finance_payments'), transactions: await countRows('finance_transactions') };
    const res = await api('/api/finance/payments/', {
      token: who.staff.token,
      body: { party: p.id, direction: 'incoming', amount: '50.01', invoice: i.id, account: a.id },
    });
    expectStatus(res, 400);
    expect(res.json).toEqual({ amount: ['Ensure this value is less than or equal to the invoice balance (50.00).'] });
    // The batch had inserted the payment and its transaction and moved the account before the
    // invoice CHECK failed: all of it rolled back.
    expect(await countRows('finance_payments')).toBe(before.payments);
    expect(await countRows('finance_transactions')).toBe(before.transactions);
    expect((await acc(a.id)).balance).toBe('460.00');
    expect(await inv(i.id)).toMatchObject({ balance: '50.00', is_paid: false });
  });

  it('deleting a payment restores the balances and reverts is_paid (original bug)', async () => {
    const p = await party(who.staff.token);
    const a = await account(who.staff.token);
    const i = await invoice(who.staff.token, p.id, { total_amount: '200.00' });
    const first = await payment(who.staff.token, p.id, { invoice: i.id, amount: '150.00', account: a.id });
    const last = await payment(who.staff.token, p.id, { invoice: i.id, amount: '50.00', account: a.id });
    expect(await inv(i.id)).toMatchObject({ balance: '0.00', is_paid: true });
    expect((await acc(a.id)).balance).toBe('200.00');

    expectStatus(await api(`/api/finance/payments/${last.id}/`, { method: 'DELETE', token: who.staff.token }), 403);
    expectStatus(await api(`/api/finance/payments/${last.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
    expect(await inv(i.id)).toMatchObject({ balance: '50.00', is_paid: false });
    expect((await acc(a.id)).balance).toBe('150.00');
    expectStatus(await api(`/api/finance/transactions/${last.transaction.id}/`, { token: who.staff.token }), 404);
    expectStatus(await api(`/api/finance/payments/${last.id}/`, { token: who.staff.token }), 404);
    expect((await pay(first.id)).transaction.amount).toBe('150.00');
  });

  it('editing a payment updates its transaction and every balance (original bug: drift)', async () => {
    const p = await party(who.staff.token);
    const a1 = await account(who.staff.token, { balance: '100.00' });
    const a2 = await account(who.staff.token, { balance: '100.00' });
    const i1 = await invoice(who.staff.token, p.id, { total_amount: '1000.00' });
    const i2 = await invoice(who.staff.token, p.id, { total_amount: '300.00' });
    const made = await payment(who.staff.token, p.id, { invoice: i1.id, amount: '1000.00', account: a1.id });
    expect(await inv(i1.id)).toMatchObject({ balance: '0.00', is_paid: true });
    expect((await acc(a1.id)).balance).toBe('1100.00');

    // Reduce: the invoice reopens, the account and the transaction follow.
    let res = await patch(made.id, { amount: '400.00' });
    expectStatus(res, 200);
    expect(res.json.transaction).toMatchObject({ amount: '400.00', type: 'income' });
    expect(await inv(i1.id)).toMatchObject({ balance: '600.00', is_paid: false });
    expect((await acc(a1.id)).balance).toBe('500.00');

    // Its own amount counts as available when the payment stays on the invoice.
    res = await patch(made.id, { amount: '1000.01' });
    expectStatus(res, 400);
    expect(res.json).toEqual({ amount: ['Ensure this value is less than or equal to the invoice balance (1000.00).'] });
    expect((await pay(made.id)).amount).toBe('400.00');

    // Flip direction: income becomes expense, the account moves by twice the amount.
    res = await patch(made.id, { direction: 'outgoing', notes: 'Refund' });
    expectStatus(res, 200);
    expect(res.json.transaction).toMatchObject({ type: 'expense', description: 'Refund', amount: '400.00' });
    expect((await acc(a1.id)).balance).toBe('-300.00');

    // Move to another account and another invoice: old ones restored, new ones moved.
    res = await patch(made.id, { account: a2.id, invoice: i2.id, amount: '300.00' });
    expectStatus(res, 200);
    expect(res.json.transaction).toMatchObject({ account: a2.id, related_invoice: i2.id, amount: '300.00' });
    expect((await acc(a1.id)).balance).toBe('100.00');
    expect((await acc(a2.id)).balance).toBe('-200.00');
    expect(await inv(i1.id)).toMatchObject({ balance: '1000.00', is_paid: false });
    expect(await inv(i2.id)).toMatchObject({ balance: '0.00', is_paid: true });

    // Move to an invoice that cannot take it: refused, nothing changes.
    const small = await invoice(who.staff.token, p.id, { total_amount: '10.00' });
    res = await patch(made.id, { invoice: small.id });
    expectStatus(res, 400);
    expect(res.json).toEqual({ amount: ['Ensure this value is less than or equal to the invoice balance (10.00).'] });
    expect(await inv(i2.id)).toMatchObject({ balance: '0.00', is_paid: true });

    // Detach from the invoice entirely.
    res = await patch(made.id, { invoice: null });
    expectStatus(res, 200);
    expect(res.json.transaction.related_invoice).toBeNull();
    expect(await inv(i2.id)).toMatchObject({ balance: '300.00', is_paid: false });
  });

  it('PUT replaces a payment and requires the reference’s fields', async () => {
    const p = await party(who.staff.token);
    const a = await account(who.staff.token);
    const made = await payment(who.staff.token, p.id, { account: a.id, amount: '10.00', notes: 'first' });
    const bad = await api(`/api/finance/payments/${made.id}/`, { method: 'PUT', token: who.staff.token, body: { amount: '5' } });
    expectStatus(bad, 400);
    expect(bad.json.party).toEqual(['This field is required.']);
    expect(bad.json.direction).toHaveLength(1);
    const res = await api(`/api/finance/payments/${made.id}/`, {
      method: 'PUT',
      token: who.staff.token,
      body: { party: p.id, direction: 'incoming', amount: '25.00', account: a.id },
    });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({ amount: '25.00', notes: 'first' });
    expect(res.json.transaction.id).toBe(made.transaction.id);
    expect((await acc(a.id)).balance).toBe('25.00');
    expectStatus(
      await api('/api/finance/payments/999999/', {
        method: 'PUT',
        token: who.staff.token,
        body: { party: p.id, direction: 'incoming', amount: '1' },
      }),
      404,
    );
  });
});

describe('concurrent payments on one invoice', () => {
  it('20 parallel payments lose no update: the balance equals the serial result', async () => {
    const p = await party(who.staff.token);
    const a = await account(who.staff.token);
    const i = await invoice(who.staff.token, p.id, { total_amount: '1000.00' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        api('/api/finance/payments/', {
          token: who.staff.token,
          body: { party: p.id, direction: 'incoming', amount: `${n + 1}.25`, invoice: i.id, account: a.id },
        }),
      ),
    );
    for (const r of results) expectStatus(r, 201);
    // Σ (n + 1.25) for n = 0..19 = 190 + 25 = 215.00, the same as paying them one after another.
    expect(await inv(i.id)).toMatchObject({ balance: '785.00', is_paid: false });
    expect((await acc(a.id)).balance).toBe('215.00');
    const listed = await api(`/api/finance/payments/?invoice=${i.id}&page_size=100`, { token: who.staff.token });
    expect(listed.json.count).toBe(20);
  });

  it('parallel payments cannot overpay: exactly the ones that fit succeed', async () => {
    const p = await party(who.staff.token);
    const a = await account(who.staff.token);
    const i = await invoice(who.staff.token, p.id, { total_amount: '1000.00' });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        api('/api/finance/payments/', {
          token: who.staff.token,
          body: { party: p.id, direction: 'incoming', amount: '100.00', invoice: i.id, account: a.id },
        }),
      ),
    );
    const ok = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 400);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(Object.keys(r.json), r.text).toEqual(['amount']);
    expect(await inv(i.id)).toMatchObject({ balance: '0.00', is_paid: true });
    expect((await acc(a.id)).balance).toBe('1000.00');
    expect(await countRows('finance_transactions', 'related_invoice_id = ?', i.id)).toBe(10);
  });
});

describe('goals follow their payments', () => {
  it('current_amount = Σ incoming payments, kept on create, edit, move and delete', async () => {
    const p = await party(who.staff.token);
    const g1 = await goal(who.staff.token, who.staff.id, { target_amount: '1000.00' });
    const g2 = await goal(who.staff.token, who.staff.id);
    const g = (id: number) => get(who.staff.token, `/api/finance/goals/${id}/`);
    const inA = await payment(who.staff.token, p.id, { goal: g1.id, amount: '300.00' });
    await payment(who.staff.token, p.id, { goal: g1.id, amount: '200.00' });
    await payment(who.staff.token, p.id, { goal: g1.id, amount: '999.00', direction: 'outgoing' });
    expect((await g(g1.id)).current_amount).toBe('500.00');
    await patch(inA.id, { amount: '100.00' });
    expect((await g(g1.id)).current_amount).toBe('300.00');
    await patch(inA.id, { goal: g2.id });
    expect((await g(g1.id)).current_amount).toBe('200.00');
    expect((await g(g2.id)).current_amount).toBe('100.00');
    expectStatus(await api(`/api/finance/payments/${inA.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
    expect((await g(g2.id)).current_amount).toBe('0.00');
  });
});

describe('GET /api/finance/payments/by_goal/', () => {
  it('needs ?goal= and returns that goal’s payments as a bare array', async () => {
    const p = await party(who.staff.token);
    const g = await goal(who.staff.token, who.staff.id);
    const mine = await payment(who.staff.token, p.id, { goal: g.id });
    await payment(who.staff.token, p.id);
    const missing = await api('/api/finance/payments/by_goal/', { token: who.staff.token });
    expectStatus(missing, 400);
    expect(missing.json).toEqual({ detail: 'Missing goal param' });
    const bad = await api('/api/finance/payments/by_goal/?goal=abc', { token: who.staff.token });
    expectStatus(bad, 400);
    const res = await api(`/api/finance/payments/by_goal/?goal=${g.id}`, { token: who.staff.token });
    expectStatus(res, 200);
    expect(res.json.map((r: any) => r.id)).toEqual([mine.id]);
    expect(res.json[0].transaction.id).toBe(mine.transaction.id);
    const none = await api('/api/finance/payments/by_goal/?goal=999999', { token: who.staff.token });
    expect(none.json).toEqual([]);
  });
});

describe('GET /api/finance/payments/ (list)', () => {
  it('filters by party, invoice, goal and direction, searches notes and party name, orders', async () => {
    const tag = `Pq${Date.now().toString(36)}`;
    const p = await party(who.staff.token, { name: `${tag} Co` });
    const i = await invoice(who.staff.token, p.id);
    const g = await goal(who.staff.token, who.staff.id);
    const a = await payment(who.staff.token, p.id, { invoice: i.id, amount: '5.00' });
    const b = await payment(who.staff.token, p.id, { goal: g.id, amount: '7.00', direction: 'outgoing', notes: 'cable' });
    const t = who.staff.token;
    const ids = async (q: string) => (await api(`/api/finance/payments/?${q}`, { token: t })).json.results.map((r: any) => r.id);
    expect(await ids(`party=${p.id}`)).toEqual([a.id, b.id]);
    expect(await ids(`party=${p.id}&ordering=-amount`)).toEqual([b.id, a.id]);
    expect(await ids(`invoice=${i.id}`)).toEqual([a.id]);
    expect(await ids(`goal=${g.id}`)).toEqual([b.id]);
    expect(await ids(`party=${p.id}&direction=outgoing`)).toEqual([b.id]);
    expect(await ids(`search=${tag}`)).toEqual([a.id, b.id]);
    expect(await ids(`search=${tag}%20cable`)).toEqual([b.id]);
    const page = await api(`/api/finance/payments/?party=${p.id}`, { token: t });
    expect(page.json).toMatchObject({ count: 2, next: null, previous: null });
    expect(page.json.results[0].transaction).toMatchObject({ amount: '5.00' });
  });
});
