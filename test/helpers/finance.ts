/** Finance factories: users of each role, and parties, accounts, invoices, payments and goals over the API. */
import { api, expectStatus } from './http';
import { makeUser, type TestUser } from './users';

export interface Cast {
  admin: TestUser;
  staff: TestUser;
  customer: TestUser;
}

/** One user per role. */
export async function cast(): Promise<Cast> {
  const [admin, staff, customer] = await Promise.all([
    makeUser({ role: 'Admin', prefix: 'fin_admin' }),
    makeUser({ role: 'Staff', prefix: 'fin_staff' }),
    makeUser({ role: 'Customer', prefix: 'fin_cust' }),
  ]);
  return { admin, staff, customer };
}

/** POSTs and expects 201; returns the body. */
export async function create(token: string, path: string, body: Record<string, unknown>) {
  const res = await api(path, { token, body });
  expectStatus(res, 201);
  return res.json;
}

let n = 0;
export const party = (token: string, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/parties/', { name: `Party ${++n}`, type: 'client', ...extra });
export const account = (token: string, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/accounts/', { name: `Account ${++n}`, type: 'bank', ...extra });
export const invoice = (token: string, partyId: number, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/invoices/', { party: partyId, total_amount: '1000.00', ...extra });
export const payment = (token: string, partyId: number, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/payments/', { party: partyId, direction: 'incoming', amount: '100.00', ...extra });
export const goal = (token: string, owner: number, extra: Record<string, unknown> = {}) =>
  create(token, '/api/finance/goals/', {
    title: `Goal ${++n}`,
    target_amount: '1000.00',
    due_date: '2030-01-01',
    owner,
    ...extra,
  });

/** GET a detail route and expect 200. */
export async function get(token: string, path: string) {
  const res = await api(path, { token });
  expectStatus(res, 200);
  return res.json;
}
