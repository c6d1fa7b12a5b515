import { eq } from 'drizzle-orm';
import { Transaction, Transaction_READ_ONLY, TransactionRequest } from '../../contract/tamiti/finance.gen';
import { PaginatedTransactionList, PatchedTransaction } from '../../contract/tamiti/finance/transactions.gen';
import { drf, type FieldErrors } from '../../core/errors';
import { idByUuid } from '../../core/resource';
import type { Check, Db, ResourceDef } from '../../core/resource';
import { todayIso } from '../../db/columns';
import { accounts, invoices, payments, requisitions, transactions } from '../../db/schema/finance';
import { SERVER_OWNED, adminDeletes, requireAmount } from './access';
import { cents, repost, unpost } from './books';

/**
 * The payment that books a transaction, if any (its amount, type and account follow the payment),
 * as a check for the write's first round trip.
 */
const owningPayment = (
  db: Db,
  txId: number,
  verify: (payment: number | undefined, existing?: TransactionRow) => FieldErrors | undefined,
): Check<TransactionRow> => ({
  stmt: db.select({ id: payments.id }).from(payments).where(eq(payments.transaction, txId)).limit(1),
  verify: (rows, existing) => verify(rows[0]?.id as number | undefined, existing),
});

const BOOKED = ['amount', 'type', 'account'] as const;

type TransactionRow = typeof transactions.$inferSelect;

/** The booked fields an update changes. */
function changedBooking(values: Record<string, unknown>, existing: TransactionRow) {
  const same = (f: (typeof BOOKED)[number]) =>
    f === 'amount' ? cents(values[f]) === cents(existing[f]) : String(values[f]) === String(existing[f] ?? null);
  return BOOKED.filter((f) => values[f] !== undefined && !same(f));
}

/**
 * `/api/finance/transactions/`: income and expenses. Creating, editing and deleting a transaction
 * moves its account's balance by exactly the difference, in the same batch. A payment's own
 * transaction changes through the payment: its amount, type and account are refused here, and it
 * cannot be deleted on its own (both checked in the write's first round trip).
 */
export const transactionResource: ResourceDef<typeof transactions> = {
  path: '/finance/transactions/',
  operationId: 'finance_transactions',
  tag: 'finance',
  model: 'Transaction',
  table: transactions,
  schemas: { read: Transaction, write: TransactionRequest, patch: PatchedTransaction, page: PaginatedTransactionList },
  readOnly: [...Transaction_READ_ONLY, ...SERVER_OWNED],
  search: [transactions.description],
  filters: {
    account: { column: transactions.account, type: 'int' },
    type: { column: transactions.type },
    category: { column: transactions.category },
    is_automated: { column: transactions.is_automated, type: 'bool' },
  },
  ordering: {
    date: transactions.date,
    amount: transactions.amount,
    type: transactions.type,
    category: transactions.category,
    account: transactions.account,
    created_at: transactions.created_at,
    updated_at: transactions.updated_at,
  },
  defaultOrdering: ['-date'],
  foreignKeys: { account: accounts, related_invoice: invoices, related_requisition: requisitions, related_payment: payments },
  can: adminDeletes,
  checks: (k, values, _existing, target) =>
    target.id === undefined
      ? []
      : [
          owningPayment(k.db, target.id, (payment, existing) => {
            const changed = payment && existing ? changedBooking(values, existing) : [];
            return changed.length
              ? Object.fromEntries(
                  changed.map((f) => [f, [`This transaction books payment ${payment}; change the payment instead.`]]),
                )
              : undefined;
          }),
        ],
  destroyChecks: (k, id) => [
    owningPayment(k.db, id, (payment) => {
      if (payment) throw drf.detail(400, `This transaction books payment ${payment}; delete the payment instead.`);
      return undefined;
    }),
  ],
  prepare: (_k, values, existing) => {
    requireAmount(values, 'amount');
    if (!existing) values.date ??= todayIso();
    return values;
  },
  sideEffects: (k, ev) => {
    if (ev.action === 'create') return repost(k.db, idByUuid(transactions, ev.values.uuid as string));
    return ev.action === 'update' ? repost(k.db, ev.existing.id) : unpost(k.db, ev.existing.id);
  },
};
