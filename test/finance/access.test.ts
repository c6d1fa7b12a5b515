import { beforeAll, describe, it, expect } from 'vitest';
import { cast, type Cast } from '../helpers/finance';
import { api, expectStatus } from '../helpers';

/** Every finance operation of the reference: [method, path, operationId]. */
const OPERATIONS: [string, string, string][] = [];
for (const name of ['accounts', 'goals', 'invoices', 'parties', 'payments', 'requisitions', 'transactions']) {
  const base = `/api/finance/${name}/`;
  OPERATIONS.push(
    ['GET', base, `finance_${name}_list`],
    ['POST', base, `finance_${name}_create`],
    ['GET', `${base}{id}/`, `finance_${name}_retrieve`],
    ['PUT', `${base}{id}/`, `finance_${name}_update`],
    ['PATCH', `${base}{id}/`, `finance_${name}_partial_update`],
    ['DELETE', `${base}{id}/`, `finance_${name}_destroy`],
  );
}
OPERATIONS.push(
  ['GET', '/api/finance/goals/{id}/progress/', 'finance_goals_progress_retrieve'],
  ['GET', '/api/finance/invoices/unpaid/', 'finance_invoices_unpaid_retrieve'],
  ['GET', '/api/finance/payments/by_goal/', 'finance_payments_by_goal_retrieve'],
  ['POST', '/api/finance/requisitions/{id}/approve/', 'finance_requisitions_approve_create'],
  ['GET', '/api/finance/requisitions/pending/', 'finance_requisitions_pending_retrieve'],
);
/** Added beyond the reference (the original had no way to create goal milestones). */
const EXTRA: [string, string][] = [
  ['GET', '/api/finance/goal-milestones/'],
  ['POST', '/api/finance/goal-milestones/'],
  ['GET', '/api/finance/goal-milestones/{id}/'],
  ['PUT', '/api/finance/goal-milestones/{id}/'],
  ['PATCH', '/api/finance/goal-milestones/{id}/'],
  ['DELETE', '/api/finance/goal-milestones/{id}/'],
];
const ROUTES = [...OPERATIONS.map(([m, p]) => [m, p] as [string, string]), ...EXTRA];
const concrete = (path: string) => path.replace('{id}', '1');

/** A valid body per resource: validation runs before the role check, so the 403 needs one. */
const VALID: Record<string, Record<string, unknown>> = {
  accounts: { name: 'x', type: 'bank' },
  goals: { title: 'x', target_amount: '1', due_date: '2030-01-01', owner: 1 },
  invoices: { party: 1, amount: 1 },
  parties: { name: 'x', type: 'client' },
  payments: { party: 1, direction: 'incoming', amount: '1' },
  requisitions: { amount: '1', purpose: 'x' },
  transactions: { type: 'income', amount: '1', category: 'tax' },
  'goal-milestones': { goal: 1, amount: '1' },
};
const bodyFor = (method: string, path: string) => {
  if (method === 'GET' || method === 'DELETE' || path.endsWith('approve/')) return undefined;
  return method === 'PATCH' ? {} : VALID[path.split('/')[3]];
};

let who: Cast;
beforeAll(async () => {
  who = await cast();
});

describe('every finance route is protected', () => {
  it('answers 401 without a token and with a bad one', async () => {
    for (const [method, path] of ROUTES) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const none = await api(concrete(path), { method, body });
      expect(none.status, `${method} ${path}: ${none.text}`).toBe(401);
      expect(none.json).toEqual({ detail: 'Authentication credentials were not provided.' });
      const bad = await api(concrete(path), { method, body, token: 'garbage' });
      expect(bad.status, `${method} ${path}: ${bad.text}`).toBe(401);
    }
  });

  it('refuses Customers (403) everywhere', async () => {
    for (const [method, path] of ROUTES) {
      const res = await api(concrete(path), { method, body: bodyFor(method, path), token: who.customer.token });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(403);
      expect(res.json).toEqual({ detail: 'You do not have permission to perform this action.' });
    }
  });

  it('lets Staff read every list', async () => {
    for (const [method, path] of ROUTES) {
      if (method !== 'GET' || path.includes('{id}') || path.endsWith('by_goal/')) continue;
      expectStatus(await api(path, { token: who.staff.token }), 200);
    }
  });

  it('answers 405 for a method a route does not have', async () => {
    const res = await api('/api/finance/invoices/unpaid/', { method: 'POST', token: who.staff.token, body: {} });
    expectStatus(res, 405);
  });
});

describe('the served OpenAPI document', () => {
  it('has every reference finance operation with its operationId', async () => {
    const doc = (await api('/api/schema/')).json;
    for (const [method, path, operationId] of OPERATIONS) {
      expect(doc.paths[path]?.[method.toLowerCase()]?.operationId, `${method} ${path}`).toBe(operationId);
    }
    expect(OPERATIONS).toHaveLength(47);
    const invoiceWrite = doc.components.schemas.InvoiceWrite;
    expect(Object.keys(invoiceWrite.properties)).toEqual(
      expect.arrayContaining(['number', 'amount', 'total_amount', 'party', 'due_date']),
    );
    expect(invoiceWrite.required).toEqual(['party']);
    expect(doc.components.schemas.InvoiceRead.properties.number).toBeDefined();
    expect(doc.paths['/api/finance/invoices/'].post.responses['201'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/InvoiceRead',
    );
  });
});
