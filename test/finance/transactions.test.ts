import { beforeAll, describe, it, expect } from 'vitest';
import { account, cast, type Cast, create, get, party, payment } from '../helpers/finance';
import { api, expectStatus } from '../helpers';

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

const tx = (body: Record<string, unknown>) =>
  create(who.staff.token, '/api/finance/transactions/', { category: 'operations', ...body });
const balance = async (id: number) => (await get(who.staff.token, `/api/finance/accounts/${id}/`)).balance;
const edit = (id: number, body: Record<string, unknown>, method = 'PATCH') =>
  api(`/api/finance/transactions/${id}/`, { method, token: who.staff.token, body });

describe('transactions move account balances', () => {
  it('create: income adds, expense subtracts, no account moves nothing; date defaults to today', async () => {
    const a = await account(who.staff.token, { balance: '100.00' });
    const income = await tx({ type: 'income', amount: '40.10', account: a.id });
    expect(income).toMatchObject({
      type: 'income',
      amount: '40.10',
      category: 'operations',
      is_automated: false,
      date: new Date().toISOString().slice(0, 10),
    });
    await tx({ type: 'expense', amount: 0.2, account: a.id, date: '2025-01-01' });
    await tx({ type: 'income', amount: '1000' });
    expect(await balance(a.id)).toBe('139.90');
  });

  it('update: amount, type and account changes move balances by the difference (original bug)', async () => {
    const a = await account(who.staff.token);
    const b = await account(who.staff.token);
    const t = await tx({ type: 'income', amount: '100.00', account: a.id });
    expectStatus(await edit(t.id, { amount: '150.00' }), 200);
    expect(await balance(a.id)).toBe('150.00');
    expectStatus(await edit(t.id, { type: 'expense' }), 200);
    expect(await balance(a.id)).toBe('-150.00');
    expectStatus(await edit(t.id, { account: b.id }), 200);
    expect(await balance(a.id)).toBe('0.00');
    expect(await balance(b.id)).toBe('-150.00');
    const put = await edit(t.id, { type: 'income', amount: '10.00', category: 'salary', account: null }, 'PUT');
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ account: null, category: 'salary', amount: '10.00' });
    expect(await balance(b.id)).toBe('0.00');
    // An opening balance set on the account afterwards is kept; later changes move from there.
    expectStatus(
      await api(`/api/finance/accounts/${a.id}/`, { method: 'PATCH', token: who.staff.token, body: { balance: '500.00' } }),
      200,
    );
    expectStatus(await edit(t.id, { account: a.id }), 200);
    expect(await balance(a.id)).toBe('510.00');
  });

  it('delete (Admin only) reverses the balance (original bug)', async () => {
    const a = await account(who.staff.token, { balance: '5.00' });
    const t = await tx({ type: 'expense', amount: '2.50', account: a.id });
    expect(await balance(a.id)).toBe('2.50');
    expectStatus(await api(`/api/finance/transactions/${t.id}/`, { method: 'DELETE', token: who.staff.token }), 403);
    expectStatus(await api(`/api/finance/transactions/${t.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
    expect(await balance(a.id)).toBe('5.00');
  });

  it('a payment’s own transaction changes only through the payment', async () => {
    const p = await party(who.staff.token);
    const a = await account(who.staff.token);
    const pay = await payment(who.staff.token, p.id, { account: a.id, amount: '30.00' });
    const id = pay.transaction.id;
    const amount = await edit(id, { amount: '31.00' });
    expectStatus(amount, 400);
    expect(amount.json.amount[0]).toContain(`payment ${pay.id}`);
    expectStatus(await edit(id, { amount: '30' }), 200); // unchanged value is fine
    const ok = await edit(id, { description: 'Deposit', category: 'web_dev' });
    expectStatus(ok, 200);
    expect(ok.json).toMatchObject({ description: 'Deposit', category: 'web_dev' });
    const del = await api(`/api/finance/transactions/${id}/`, { method: 'DELETE', token: who.admin.token });
    expectStatus(del, 400);
    expect(del.json.detail).toContain('delete the payment instead');
    expect(await balance(a.id)).toBe('30.00');
  });
});

describe('transaction validation, list and detail', () => {
  it('validates type, category, amount and references', async () => {
    const t = who.staff.token;
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'income', amount: '1', category: 'nope' }, 'category'],
      [{ type: 'income', amount: '1', category: '' }, 'category'],
      [{ type: 'gift', amount: '1', category: 'tax' }, 'type'],
      [{ type: 'income', amount: '0', category: 'tax' }, 'amount'],
      [{ type: 'income', category: 'tax' }, 'amount'],
      [{ type: 'income', amount: '1', category: 'tax', account: 999999 }, 'account'],
      [{ type: 'income', amount: '1', category: 'tax', related_invoice: 999999 }, 'related_invoice'],
      [{ type: 'income', amount: '1', category: 'tax', date: '2025-13-01' }, 'date'],
    ];
    for (const [body, field] of cases) {
      const res = await api('/api/finance/transactions/', { token: t, body });
      expectStatus(res, 400);
      expect(Object.keys(res.json), JSON.stringify(res.json)).toContain(field);
    }
    expectStatus(await api('/api/finance/transactions/999999/', { token: t }), 404);
  });

  it('orders by -date by default, filters by account, type and category, searches description', async () => {
    const a = await account(who.staff.token);
    const tag = `Tq${Date.now().toString(36)}`;
    const old = await tx({
      type: 'income',
      amount: '1',
      account: a.id,
      date: '2024-01-01',
      description: `${tag} old`,
      category: 'tax',
    });
    const recent = await tx({ type: 'expense', amount: '2', account: a.id, date: '2025-01-01', description: `${tag} recent` });
    const mid = await tx({ type: 'income', amount: '3', account: a.id, date: '2024-06-01' });
    const ids = async (q: string) =>
      (await api(`/api/finance/transactions/?${q}`, { token: who.staff.token })).json.results.map((r: any) => r.id);
    expect(await ids(`account=${a.id}`)).toEqual([recent.id, mid.id, old.id]);
    expect(await ids(`account=${a.id}&ordering=amount`)).toEqual([old.id, recent.id, mid.id]);
    expect(await ids(`account=${a.id}&type=income`)).toEqual([mid.id, old.id]);
    expect(await ids(`account=${a.id}&category=tax`)).toEqual([old.id]);
    expect(await ids(`search=${tag}`)).toEqual([recent.id, old.id]);
    expect(await ids(`search=${tag}%20old`)).toEqual([old.id]);
    const one = await get(who.staff.token, `/api/finance/transactions/${old.id}/`);
    expect(one).toMatchObject({ id: old.id, related_invoice: null, related_requisition: null, related_payment: null });
  });
});
