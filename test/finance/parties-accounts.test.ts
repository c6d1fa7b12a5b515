import { beforeAll, describe, it, expect } from 'vitest';
import { account, cast, type Cast, get, invoice, party, payment } from '../helpers/finance';
import { api, expectStatus } from '../helpers';

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

describe('parties', () => {
  it('CRUD with a one-to-one user link', async () => {
    const p = await party(who.staff.token, {
      email: 'billing@acme.test',
      phone: '+256700000001',
      user: who.customer.id,
      is_internal_user: false,
    });
    expect(p).toMatchObject({
      email: 'billing@acme.test',
      phone: '+256700000001',
      type: 'client',
      user: who.customer.id,
      is_internal_user: false,
    });
    const dup = await api('/api/finance/parties/', {
      token: who.staff.token,
      body: { name: 'Other', type: 'vendor', user: who.customer.id },
    });
    expectStatus(dup, 400);
    expect(dup.json).toEqual({ user: ['party with this user already exists.'] });
    const badType = await api('/api/finance/parties/', { token: who.staff.token, body: { name: 'x', type: 'friend' } });
    expectStatus(badType, 400);
    expect(badType.json.type).toEqual(['"friend" is not a valid choice.']);
    const badEmail = await api('/api/finance/parties/', {
      token: who.staff.token,
      body: { name: 'x', type: 'vendor', email: 'nope' },
    });
    expectStatus(badEmail, 400);
    expect(badEmail.json.email).toEqual(['Enter a valid email address.']);
    const put = await api(`/api/finance/parties/${p.id}/`, {
      method: 'PUT',
      token: who.staff.token,
      body: { name: 'Acme Uganda', type: 'partner', user: null },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ name: 'Acme Uganda', type: 'partner', user: null, email: 'billing@acme.test' });
    const patch = await api(`/api/finance/parties/${p.id}/`, { method: 'PATCH', token: who.staff.token, body: { phone: '' } });
    expectStatus(patch, 200);
    expect((await get(who.staff.token, `/api/finance/parties/${p.id}/`)).phone).toBe('');
  });

  it('searches name/email/phone (no longer 500s, original bug), filters type, orders', async () => {
    const tag = `Aq${Date.now().toString(36)}`;
    const a = await party(who.staff.token, { name: `${tag} Bakery`, type: 'vendor' });
    const b = await party(who.staff.token, { name: 'Zed', email: `${tag}@mail.test`, type: 'donor' });
    const c = await party(who.staff.token, { name: 'Amos', phone: `${tag}-77` });
    const ids = async (q: string) =>
      (await api(`/api/finance/parties/?${q}`, { token: who.staff.token })).json.results.map((r: any) => r.id);
    expect(await ids(`search=${tag}`)).toEqual([a.id, b.id, c.id]);
    expect(await ids(`search=${tag.toUpperCase()}`)).toEqual([a.id, b.id, c.id]);
    expect(await ids(`search=${tag}&type=donor`)).toEqual([b.id]);
    expect(await ids(`search=${tag}&ordering=-name`)).toEqual([b.id, a.id, c.id]);
    expect(await ids(`search=${tag}&ordering=nonsense`)).toEqual([a.id, b.id, c.id]);
    expect(await ids('search=%25%25%25')).toEqual([]);
  });

  it('cannot delete a party with invoices or payments; an Admin deletes an unused one', async () => {
    const used = await party(who.staff.token);
    await invoice(who.staff.token, used.id);
    const paid = await party(who.staff.token);
    await payment(who.staff.token, paid.id);
    const free = await party(who.staff.token);
    for (const p of [used, paid]) {
      const res = await api(`/api/finance/parties/${p.id}/`, { method: 'DELETE', token: who.admin.token });
      expectStatus(res, 400);
      expect(res.json.detail).toMatch(/invoice\(s\)/);
    }
    expectStatus(await api(`/api/finance/parties/${free.id}/`, { method: 'DELETE', token: who.staff.token }), 403);
    expectStatus(await api(`/api/finance/parties/${free.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
    expectStatus(await api(`/api/finance/parties/${free.id}/`, { token: who.staff.token }), 404);
  });
});

describe('accounts', () => {
  it('currency per account (UGX by default), writable opening balance, exact decimals', async () => {
    const a = await account(who.staff.token);
    expect(a).toMatchObject({ currency: 'UGX', balance: '0.00', number: '' });
    const k = await account(who.staff.token, { currency: 'KES', balance: 12.3, number: '0123456789' });
    expect(k).toMatchObject({ currency: 'KES', balance: '12.30', number: '0123456789' });
    const bad = await api('/api/finance/accounts/', {
      token: who.staff.token,
      body: { name: 'x', type: 'bank', currency: 'GBP' },
    });
    expectStatus(bad, 400);
    expect(bad.json.currency).toEqual(['"GBP" is not a valid choice.']);
    const badBalance = await api('/api/finance/accounts/', {
      token: who.staff.token,
      body: { name: 'x', type: 'bank', balance: '1.234' },
    });
    expectStatus(badBalance, 400);
    expect(badBalance.json.balance).toEqual(['Ensure that there are no more than 2 decimal places.']);
    const put = await api(`/api/finance/accounts/${a.id}/`, {
      method: 'PUT',
      token: who.staff.token,
      body: { name: 'Main', type: 'mobile_money', currency: 'USD' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ name: 'Main', type: 'mobile_money', currency: 'USD', balance: '0.00' });
  });

  it('searches name/number, filters type and currency, orders by balance; Admin deletes', async () => {
    const tag = `Bq${Date.now().toString(36)}`;
    const a = await account(who.staff.token, { name: `${tag} Stanbic`, balance: '50' });
    const b = await account(who.staff.token, { number: `${tag}9`, type: 'cashbox', currency: 'EUR', balance: '5' });
    const ids = async (q: string) =>
      (await api(`/api/finance/accounts/?${q}`, { token: who.staff.token })).json.results.map((r: any) => r.id);
    expect(await ids(`search=${tag}`)).toEqual([a.id, b.id]);
    expect(await ids(`search=${tag}&ordering=balance`)).toEqual([b.id, a.id]);
    expect(await ids(`search=${tag}&type=cashbox`)).toEqual([b.id]);
    expect(await ids(`search=${tag}&currency=EUR`)).toEqual([b.id]);
    expectStatus(await api(`/api/finance/accounts/${a.id}/`, { method: 'DELETE', token: who.staff.token }), 403);
    expectStatus(await api(`/api/finance/accounts/${a.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
  });
});
