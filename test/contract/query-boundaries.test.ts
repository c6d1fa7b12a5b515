/**
 * Finding 10 of issue 14: list queries that crashed with a 500. Each test sends the value that
 * crashed against a list that holds rows (local D1 checks the LIKE pattern limit only when it
 * compares a row), and asserts a clean 200 or the family's "Invalid page." 404.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { limitedApi } from '../helpers/contract';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;

const lead = async (body: Record<string, unknown>) => {
  const res = await api('/api/field/leads/', { token: staff.token, body: { contact_phone: '0700000000', ...body } });
  expectStatus(res, 201);
  return res.json as { id: number };
};
const ids = (res: { json: any }) =>
  (res.json?.results ?? []).map((r: { id: number }) => r.id).sort((a: number, b: number) => a - b);

beforeAll(async () => {
  [staff, admin] = await Promise.all([makeUser({ prefix: 'qb' }), makeUser({ role: 'Admin', prefix: 'qbadmin' })]);
});

describe('search terms beyond D1’s 50-byte LIKE pattern limit (was a 500)', () => {
  it('a 60-character search term finds its row with a 200, and a 10,000-character one is an empty 200', async () => {
    const token = `t${Date.now().toString(36)}${'q'.repeat(59)}`.slice(0, 60);
    const row = await lead({ business_name: `Shop ${token} Ltd` });
    for (const fetcher of [api, limitedApi]) {
      const found = await fetcher(`/api/field/leads/?search=${token.toUpperCase()}`, { token: staff.token });
      expectStatus(found, 200);
      expect(ids(found), found.text).toEqual([row.id]);
      const huge = await fetcher(`/api/field/leads/?search=${'z'.repeat(10_000)}`, { token: staff.token });
      expectStatus(huge, 200);
      expect(huge.json.count, huge.text).toBe(0);
    }
  });

  it('keeps the search semantics: % and _ match themselves, terms are AND-ed, columns OR-ed', async () => {
    const m = `m${Date.now().toString(36)}`;
    const percent = await lead({ business_name: `${m} 100% Cotton` });
    const digits = await lead({ business_name: `${m} 1000 Cotton` });
    const under = await lead({ business_name: `${m} a_b`, contact_name: 'Wanjiru' });
    const letter = await lead({ business_name: `${m} axb` });
    const q = async (search: string) => {
      const res = await api(`/api/field/leads/?search=${encodeURIComponent(search)}&page_size=100`, { token: staff.token });
      expectStatus(res, 200);
      return ids(res);
    };
    expect(await q(`${m} 100%`)).toEqual([percent.id]);
    expect(await q(`${m} cotton`)).toEqual([percent.id, digits.id].sort((a, b) => a - b));
    expect(await q(`${m} a_b`)).toEqual([under.id]);
    expect(await q(`${m} wanjiru`)).toEqual([under.id]);
    expect(await q(`${m} axb`)).toEqual([letter.id]);
    expect(await q(`${m} wanjiru cotton`)).toEqual([]);
  });

  it('an icontains filter longer than 50 bytes is a 200 (projects ?name=)', async () => {
    const name = `p${Date.now().toString(36)}${'é'.repeat(40)}`;
    const project = await api('/api/projects/', {
      token: staff.token,
      body: { name, start_date: '2025-01-01', due_date: '2099-01-01' },
    });
    expectStatus(project, 201);
    const res = await api(`/api/projects/?name=${encodeURIComponent(name)}`, { token: staff.token });
    expectStatus(res, 200);
    expect(ids(res), res.text).toEqual([project.json.id]);
  });

  it('the users list’s own search (username; email for Admins) takes a long term', async () => {
    for (const user of [staff, admin]) {
      const res = await api(`/api/accounts/users-list/?search=${'u'.repeat(300)}`, { token: user.token });
      expectStatus(res, 200);
      expect(res.json.count, res.text).toBe(0);
      // The same search with a term that matches finds its user: an empty answer above is the search's.
      const own = await api(`/api/accounts/users-list/?search=${user.username}`, { token: user.token });
      expectStatus(own, 200);
      expect(ids(own), own.text).toEqual([user.id]);
    }
  });
});

describe('?ordering= with the name of an Object.prototype property (was a 500)', () => {
  it('is ignored like any unknown key: a 200 in the default order', async () => {
    await lead({ business_name: `order-${Date.now()}` });
    const plain = await api('/api/field/leads/?page_size=100', { token: staff.token });
    expectStatus(plain, 200);
    expect(plain.json.results.length, plain.text.slice(0, 300)).toBeGreaterThan(0);
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '-constructor', 'toString,-id']) {
      const res = await api(`/api/field/leads/?ordering=${name}&page_size=100`, { token: staff.token });
      expectStatus(res, 200);
      expect(
        res.json.results.map((r: { id: number }) => r.id),
        `${name}: ${res.text.slice(0, 300)}`,
      ).toEqual(plain.json.results.map((r: { id: number }) => r.id));
    }
  });
});

describe('?page= beyond 64 bits (was a 500 from the OFFSET overflow)', () => {
  const huge = ['99999999999999999999', '9223372036854775808', '18446744073709551616', '9007199254740993'];

  it('is the DRF 404 "Invalid page." on kit lists and on the hand-rolled task list', async () => {
    await lead({ business_name: `page-${Date.now()}` });
    for (const path of ['/api/field/leads/', '/api/tasks/', '/api/finance/invoices/']) {
      for (const page of huge) {
        const res = await api(`${path}?page=${page}`, { token: staff.token });
        expect(res.status, `${path}?page=${page}: ${res.text}`).toBe(404);
        expect(res.json).toEqual({ detail: 'Invalid page.' });
      }
    }
  });

  it('is the workspace envelope’s 404 "Invalid page." on workspace lists', async () => {
    const created = await api('/api/workspace/workspaces/create/', {
      token: staff.token,
      body: { name: `QB Workspace ${Date.now()}`, description: 'x', address: 'y' },
    });
    expectStatus(created, 201);
    for (const page of huge) {
      const res = await api(`/api/workspace/workspaces/?page=${page}`, { token: staff.token });
      expect(res.status, `page=${page}: ${res.text}`).toBe(404);
      expect(res.json).toMatchObject({ success: false, message: 'Invalid page.' });
    }
  });
});

describe('?page_size= beyond 64 bits', () => {
  it('falls back to the default page size; within 64 bits it is capped at the maximum, as DRF does', async () => {
    const m = `ps${Date.now().toString(36)}`;
    for (let i = 0; i < 11; i++)
      expectStatus(await api('/api/field/zones/', { token: staff.token, body: { name: `${m}-${i}` } }), 201);
    for (const size of ['99999999999999999999', '18446744073709551616', '1e3', '-5', '0']) {
      const res = await api(`/api/field/zones/?search=${m}&page_size=${size}`, { token: staff.token });
      expectStatus(res, 200);
      expect(res.json.results.length, `page_size=${size}: ${res.text.slice(0, 200)}`).toBe(10);
    }
    const capped = await api(`/api/field/zones/?search=${m}&page_size=9223372036854775807`, { token: staff.token });
    expectStatus(capped, 200);
    expect(capped.json.results.length).toBe(11);
  });
});
