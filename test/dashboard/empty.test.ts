/**
 * The dashboard on an empty database: this file's storage is fresh (test/setup.ts), and nothing in
 * it creates projects, tasks, transactions, goals, visits, leads or posts, so every figure is zero.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { api, expectStatus, makeUser, type TestUser } from '../helpers';

const ZERO = {
  projects: { total: 0, active: 0, completed: 0 },
  tasks: { total: 0, completed: 0, overdue: 0 },
  finance: { income: '0.00', expenses: '0.00', goals_count: 0 },
  field: { total_visits: 0, recent: [] },
  leads: { total: 0, won: 0, lost: 0 },
  social: { draft: 0, published: 0, platforms: [] },
};
const SUMMARIES: [string, keyof typeof ZERO][] = [
  ['projects', 'projects'],
  ['tasks', 'tasks'],
  ['finance', 'finance'],
  ['field', 'field'],
  ['leads', 'leads'],
  ['socials', 'social'],
];
const PATHS = ['/api/dashboard/kpis/', ...SUMMARIES.map(([p]) => `/api/dashboard/summary/${p}/`)];

let staff: TestUser;
let admin: TestUser;
let customer: TestUser;

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  admin = await makeUser({ role: 'Admin' });
  customer = await makeUser({ role: 'Customer' });
});

describe('dashboard on an empty database', () => {
  it('kpis are all zero, with "0.00" money and empty lists', async () => {
    for (const user of [staff, admin]) {
      const res = await api('/api/dashboard/kpis/', { token: user.token });
      expectStatus(res, 200);
      expect(res.json).toStrictEqual(ZERO);
    }
  });

  it('every summary endpoint is zero', async () => {
    for (const [path, key] of SUMMARIES) {
      const res = await api(`/api/dashboard/summary/${path}/`, { token: staff.token });
      expectStatus(res, 200);
      expect(res.json, path).toStrictEqual(ZERO[key]);
    }
  });

  it('requires authentication', async () => {
    for (const path of PATHS) {
      const res = await api(path);
      expectStatus(res, 401);
      expect(res.json.detail).toBe('Authentication credentials were not provided.');
      expectStatus(await api(path, { token: 'garbage' }), 401);
    }
  });

  it('refuses customers (they see none of the modules it sums up)', async () => {
    for (const path of PATHS) expectStatus(await api(path, { token: customer.token }), 403);
  });

  it('has no write methods', async () => {
    for (const path of PATHS) expectStatus(await api(path, { method: 'POST', token: staff.token, body: {} }), 405);
  });
});
