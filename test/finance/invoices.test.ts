import { beforeAll, describe, it, expect } from 'vitest';
import { cast, type Cast, create, get, invoice, party, payment } from '../helpers/finance';
import { api, captureEvents, day, expectStatus } from '../helpers';

const plusDays = (iso: string, d: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
const pad = (id: number) => `INV-${String(id).padStart(6, '0')}`;

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

describe('POST /api/finance/invoices/', () => {
  it('accepts the seed example as written: number, party, amount', async () => {
    const p = await party(who.staff.token);
    const res = await api('/api/finance/invoices/', {
      token: who.staff.token,
      body: { number: 'INV-001', party: p.id, amount: 1000 },
    });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      number: 'INV-001',
      party: p.id,
      total_amount: '1000.00',
      balance: '1000.00',
      direction: 'outgoing',
      issued_date: day(),
      due_date: plusDays(day(), 30),
      is_paid: false,
      description: '',
      related_file: null,
    });
    expect(typeof res.json.id).toBe('number');
    expect(res.json.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const again = await get(who.staff.token, `/api/finance/invoices/${res.json.id}/`);
    expect(again.number).toBe('INV-001');
  });

  it('generates INV-000123 style numbers when none (or a blank one) is given', async () => {
    const p = await party(who.staff.token);
    const a = await invoice(who.staff.token, p.id);
    expect(a.number).toBe(pad(a.id));
    const b = await invoice(who.staff.token, p.id, { number: '' });
    expect(b.number).toBe(pad(b.id));
  });

  it('keeps generated numbers unique when a client already took the next one', async () => {
    const p = await party(who.staff.token);
    const a = await invoice(who.staff.token, p.id);
    const taken = await invoice(who.staff.token, p.id, { number: pad(a.id + 2) });
    expect(taken.id).toBe(a.id + 1);
    const c = await invoice(who.staff.token, p.id);
    expect(c.id).toBe(a.id + 2);
    expect(c.number).not.toBe(taken.number);
    expect(c.number.startsWith(pad(c.id))).toBe(true);
  });

  it('refuses a duplicate number', async () => {
    const p = await party(who.staff.token);
    await invoice(who.staff.token, p.id, { number: 'DUP-1' });
    const res = await api('/api/finance/invoices/', {
      token: who.staff.token,
      body: { number: 'DUP-1', party: p.id, amount: 5 },
    });
    expectStatus(res, 400);
    expect(res.json).toEqual({ number: ['invoice with this number already exists.'] });
  });

  it('keeps explicit dates and direction, and defaults due_date from issued_date', async () => {
    const p = await party(who.staff.token);
    const inv = await invoice(who.staff.token, p.id, { direction: 'incoming', issued_date: '2025-01-31', total_amount: 99.5 });
    expect(inv).toMatchObject({
      direction: 'incoming',
      issued_date: '2025-01-31',
      due_date: '2025-03-02',
      total_amount: '99.50',
    });
  });

  it('validates: total required, alias conflict, party, dates, negative totals', async () => {
    const p = await party(who.staff.token);
    const t = who.staff.token;
    const missing = await api('/api/finance/invoices/', { token: t, body: { party: p.id } });
    expectStatus(missing, 400);
    expect(missing.json.total_amount).toEqual(['This field is required.']);
    const conflict = await api('/api/finance/invoices/', { token: t, body: { party: p.id, amount: 10, total_amount: '11.00' } });
    expectStatus(conflict, 400);
    expect(conflict.json.amount).toBeDefined();
    const agree = await api('/api/finance/invoices/', { token: t, body: { party: p.id, amount: 10, total_amount: '10.00' } });
    expectStatus(agree, 201);
    const noParty = await api('/api/finance/invoices/', { token: t, body: { amount: 10 } });
    expectStatus(noParty, 400);
    expect(noParty.json.party).toEqual(['This field is required.']);
    const badParty = await api('/api/finance/invoices/', { token: t, body: { amount: 10, party: 999999 } });
    expectStatus(badParty, 400);
    expect(badParty.json.party).toEqual(['Invalid pk "999999" - object does not exist.']);
    const badDates = await api('/api/finance/invoices/', {
      token: t,
      body: { amount: 10, party: p.id, issued_date: '2025-02-01', due_date: '2025-01-01' },
    });
    expectStatus(badDates, 400);
    expect(badDates.json.due_date).toBeDefined();
    const badDate = await api('/api/finance/invoices/', {
      token: t,
      body: { amount: 10, party: p.id, issued_date: '2025-02-30' },
    });
    expectStatus(badDate, 400);
    expect(badDate.json.issued_date).toBeDefined();
    const negative = await api('/api/finance/invoices/', { token: t, body: { amount: -1, party: p.id } });
    expectStatus(negative, 400);
    expect(negative.json.total_amount).toBeDefined();
    const cents = await api('/api/finance/invoices/', { token: t, body: { amount: '1.005', party: p.id } });
    expectStatus(cents, 400);
    expect(cents.json.amount).toEqual(['Ensure that there are no more than 2 decimal places.']);
    const direction = await api('/api/finance/invoices/', { token: t, body: { amount: 1, party: p.id, direction: 'sideways' } });
    expectStatus(direction, 400);
    expect(direction.json.direction).toEqual(['"sideways" is not a valid choice.']);
  });

  it('ignores client-sent is_paid, balance and is_deleted (server-owned)', async () => {
    const p = await party(who.staff.token);
    const inv = await invoice(who.staff.token, p.id, { is_paid: true, balance: '0.00', is_deleted: true });
    expect(inv).toMatchObject({ is_paid: false, balance: '1000.00', is_deleted: false });
  });

  it('notifies the party’s linked user, not parties without one', async () => {
    const linked = await party(who.staff.token, { user: who.customer.id });
    const plain = await party(who.staff.token);
    const cap = captureEvents();
    try {
      const inv = await invoice(who.staff.token, linked.id);
      await invoice(who.staff.token, plain.id);
      const sent = cap.notifications().filter((e) => e.verb === 'created an invoice');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipient_id: who.customer.id,
        actor_id: who.staff.id,
        url: `/finance/invoices/${inv.id}/`,
        target_type: 'invoice',
        target_id: inv.id,
      });
    } finally {
      cap.restore();
    }
  });
});

describe('invoice detail routes', () => {
  it('retrieves, replaces and patches, keeping number unless given', async () => {
    const p = await party(who.staff.token);
    const p2 = await party(who.staff.token);
    const inv = await invoice(who.staff.token, p.id, { description: 'Design work' });
    const put = await api(`/api/finance/invoices/${inv.id}/`, {
      method: 'PUT',
      token: who.staff.token,
      body: { party: p2.id, direction: 'incoming', total_amount: '1500', issued_date: '2025-05-01', due_date: '2025-06-01' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({
      number: inv.number,
      party: p2.id,
      direction: 'incoming',
      total_amount: '1500.00',
      balance: '1500.00',
      description: 'Design work',
    });
    const patch = await api(`/api/finance/invoices/${inv.id}/`, {
      method: 'PATCH',
      token: who.staff.token,
      body: { number: `N-${inv.id}`, amount: 1200 },
    });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ number: `N-${inv.id}`, total_amount: '1200.00', balance: '1200.00' });
    const badPut = await api(`/api/finance/invoices/${inv.id}/`, {
      method: 'PUT',
      token: who.staff.token,
      body: { description: 'x' },
    });
    expectStatus(badPut, 400);
    expect(badPut.json.party).toEqual(['This field is required.']);
  });

  it('refuses a total below what is already paid, and recomputes is_paid when the total changes', async () => {
    const p = await party(who.staff.token);
    const inv = await invoice(who.staff.token, p.id, { total_amount: '500.00' });
    await payment(who.staff.token, p.id, { invoice: inv.id, amount: '300.00' });
    const low = await api(`/api/finance/invoices/${inv.id}/`, {
      method: 'PATCH',
      token: who.staff.token,
      body: { total_amount: '299.99' },
    });
    expectStatus(low, 400);
    expect(low.json.total_amount).toEqual(['Ensure this value is greater than or equal to the amount already paid (300.00).']);
    const exact = await api(`/api/finance/invoices/${inv.id}/`, {
      method: 'PATCH',
      token: who.staff.token,
      body: { total_amount: '300.00' },
    });
    expectStatus(exact, 200);
    expect(exact.json).toMatchObject({ balance: '0.00', is_paid: true });
    const raised = await api(`/api/finance/invoices/${inv.id}/`, {
      method: 'PATCH',
      token: who.staff.token,
      body: { total_amount: '400.00' },
    });
    expectStatus(raised, 200);
    expect(raised.json).toMatchObject({ balance: '100.00', is_paid: false });
  });

  it('404s for unknown and malformed ids', async () => {
    const missing = await api('/api/finance/invoices/999999/', { token: who.staff.token });
    expectStatus(missing, 404);
    expect(missing.json).toEqual({ detail: 'No Invoice matches the given query.' });
    expectStatus(await api('/api/finance/invoices/abc/', { token: who.staff.token }), 404);
  });

  it('only lets an Admin delete an invoice', async () => {
    const p = await party(who.staff.token);
    const inv = await invoice(who.staff.token, p.id);
    const staff = await api(`/api/finance/invoices/${inv.id}/`, { method: 'DELETE', token: who.staff.token });
    expectStatus(staff, 403);
    expectStatus(await api(`/api/finance/invoices/${inv.id}/`, { method: 'DELETE', token: who.admin.token }), 204);
    expectStatus(await api(`/api/finance/invoices/${inv.id}/`, { token: who.staff.token }), 404);
  });
});

describe('GET /api/finance/invoices/ (list)', () => {
  it('paginates, searches sensible fields (no longer 500s, original bug), filters and orders', async () => {
    const tag = `Zq${Date.now().toString(36)}`;
    const p = await party(who.staff.token, { name: `${tag} Holdings` });
    const other = await party(who.staff.token);
    const a = await invoice(who.staff.token, p.id, { total_amount: '10.00', description: 'logo' });
    const b = await invoice(who.staff.token, p.id, { total_amount: '30.00', direction: 'incoming' });
    const c = await invoice(who.staff.token, other.id, { total_amount: '20.00', description: `${tag} retainer` });
    await payment(who.staff.token, p.id, { invoice: a.id, amount: '10.00' });
    const t = who.staff.token;

    const search = await api(`/api/finance/invoices/?search=${tag}`, { token: t });
    expectStatus(search, 200);
    expect(search.json.results.map((r: any) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    const byNumber = await api(`/api/finance/invoices/?search=${b.number}`, { token: t });
    expect(byNumber.json.results.map((r: any) => r.id)).toEqual([b.id]);
    const both = await api(`/api/finance/invoices/?search=${tag}%20logo`, { token: t });
    expect(both.json.results.map((r: any) => r.id)).toEqual([a.id]);

    const byParty = await api(`/api/finance/invoices/?party=${p.id}&ordering=-total_amount`, { token: t });
    expect(byParty.json.results.map((r: any) => r.id)).toEqual([b.id, a.id]);
    const incoming = await api(`/api/finance/invoices/?party=${p.id}&direction=incoming`, { token: t });
    expect(incoming.json.results.map((r: any) => r.id)).toEqual([b.id]);
    const paid = await api(`/api/finance/invoices/?party=${p.id}&is_paid=true`, { token: t });
    expect(paid.json.results.map((r: any) => r.id)).toEqual([a.id]);
    const unpaidFilter = await api(`/api/finance/invoices/?party=${p.id}&is_paid=false`, { token: t });
    expect(unpaidFilter.json.results.map((r: any) => r.id)).toEqual([b.id]);
    const badFilter = await api('/api/finance/invoices/?party=x', { token: t });
    expectStatus(badFilter, 400);
    expect(badFilter.json.party).toBeDefined();

    const page = await api(`/api/finance/invoices/?search=${tag}&page_size=2`, { token: t });
    expect(page.json.count).toBe(3);
    expect(page.json.results).toHaveLength(2);
    expect(page.json.next).toContain('page=2');
    expect(page.json.results.map((r: any) => r.id)).toEqual([a.id, b.id]);
    expectStatus(await api(`/api/finance/invoices/?search=${tag}&page=3&page_size=2`, { token: t }), 404);

    const byBalance = await api(`/api/finance/invoices/?search=${tag}&ordering=balance`, { token: t });
    expect(byBalance.json.results.map((r: any) => r.id)).toEqual([a.id, c.id, b.id]);
  });
});

describe('GET /api/finance/invoices/unpaid/', () => {
  it('returns a bare array of invoices with a balance above zero', async () => {
    const p = await party(who.staff.token);
    const open = await invoice(who.staff.token, p.id, { total_amount: '100.00' });
    const part = await invoice(who.staff.token, p.id, { total_amount: '100.00' });
    const settled = await invoice(who.staff.token, p.id, { total_amount: '100.00' });
    const zero = await invoice(who.staff.token, p.id, { total_amount: '0' });
    await payment(who.staff.token, p.id, { invoice: part.id, amount: '40.00' });
    await payment(who.staff.token, p.id, { invoice: settled.id, amount: '100.00' });
    const res = await api('/api/finance/invoices/unpaid/', { token: who.staff.token });
    expectStatus(res, 200);
    expect(Array.isArray(res.json)).toBe(true);
    const ids = res.json.map((r: any) => r.id);
    expect(ids).toContain(open.id);
    expect(ids).toContain(part.id);
    expect(ids).not.toContain(settled.id);
    expect(ids).not.toContain(zero.id);
    expect(res.json.find((r: any) => r.id === part.id)).toMatchObject({ balance: '60.00', is_paid: false, number: part.number });
    expect(zero.is_paid).toBe(true);
  });
});

describe('money is exact', () => {
  it('adds cents without binary float drift', async () => {
    const p = await party(who.staff.token);
    const inv = await create(who.staff.token, '/api/finance/invoices/', { party: p.id, total_amount: 0.3 });
    await payment(who.staff.token, p.id, { invoice: inv.id, amount: 0.1 });
    await payment(who.staff.token, p.id, { invoice: inv.id, amount: 0.2 });
    const after = await get(who.staff.token, `/api/finance/invoices/${inv.id}/`);
    expect(after).toMatchObject({ total_amount: '0.30', balance: '0.00', is_paid: true });
    const big = await invoice(who.staff.token, p.id, { total_amount: '9999999999.99' });
    expect(big.total_amount).toBe('9999999999.99');
  });
});
