import type { AreaSpec } from '../../core/router';

/**
 * The finance module's areas, one per resource (each mounts its list views, `unpaid/` and the like,
 * before its `{id}`): a first request builds only the resource it asks for (src/app.ts). The order
 * is the OpenAPI document's.
 */
export const financeAreas: AreaSpec[] = [
  { prefixes: ['/api/finance/parties/'], load: () => import('./parties').then((m) => [m.partyResource]) },
  { prefixes: ['/api/finance/accounts/'], load: () => import('./accounts').then((m) => [m.accountResource]) },
  {
    prefixes: ['/api/finance/invoices/'],
    load: () => import('./invoices').then((m) => [m.invoiceResource]),
    router: 'trie',
    // A first list builds neither the invoice's writes, its detail nor its list views.
    reads: { paths: ['/api/finance/invoices/'], load: () => import('./invoices').then((m) => [m.invoiceList]) },
  },
  { prefixes: ['/api/finance/payments/'], load: () => import('./payments').then((m) => [m.paymentResource]), router: 'trie' },
  { prefixes: ['/api/finance/transactions/'], load: () => import('./transactions').then((m) => [m.transactionResource]) },
  {
    prefixes: ['/api/finance/requisitions/'],
    load: () =>
      Promise.all([import('./approve'), import('./requisitions')]).then(([a, r]) => [a.mountApprove, r.requisitionResource]),
    router: 'trie',
  },
  {
    prefixes: ['/api/finance/goals/'],
    load: () => Promise.all([import('./progress'), import('./goals')]).then(([p, g]) => [p.mountGoalProgress, g.goalResource]),
  },
  {
    prefixes: ['/api/finance/goal-milestones/'],
    load: () => import('./goal-milestones').then((m) => [m.goalMilestoneResource]),
  },
];
