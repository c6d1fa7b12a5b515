import { eq } from 'drizzle-orm';
import {
  PaginatedTransactionList,
  PatchedTransaction,
  Transaction,
  TransactionRequest,
  Transaction_READ_ONLY,
} from '../../contract/tamiti/finance.gen';
import { drf } from '../../core/errors';
import { idByUuid } from '../../core/resource';
import type { Db, ResourceDef } from '../../core/resource';
import { todayIso } from '../../db/columns';
import { accounts, invoices, payments, requisitions, transactions } from '../../db/schema/finance';
import { SERVER_OWNED, adminDeletes, requireAmount } from './access';
import { cents, repost, unpost } from './books';

/** The payment that books a transaction, if any (its amount, type and account follow the payment). */
async function owningPayment(db: Db, txId: number) {
  const [row] = await db.select({ id: payments.id }).from(payments).where(eq(payments.transaction, txId)).limit(1);
  return row?.id;
}

const BOOKED = ['amount', 'type', 'account'] as const;

/**
 * `/api/finance/transactions/`: income and expenses. Creating, editing and deleting a transaction
 * moves its account's balance by exactly the difference, in the same batch. A payment's own
 * transaction changes through the payment: its amount, type and account are refused here, and it
 * cannot be deleted on its own.
 */
export const transactionResource: ResourceDef = {
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
  prepare: async (k, values, existing) => {
    requireAmount(values, 'amount');
    if (!existing) values.date ??= todayIso();
    if (existing) {
      const same = (f: (typeof BOOKED)[number]) =>
        f === 'amount' ? cents(values[f]) === cents(existing[f]) : String(values[f]) === String(existing[f] ?? null);
      const changed = BOOKED.filter((f) => values[f] !== undefined && !same(f));
      if (changed.length) {
        const payment = await owningPayment(k.db, existing.id);
        if (payment) {
          throw drf.fields(
            Object.fromEntries(
              changed.map((f) => [f, [`This transaction books payment ${payment}; change the payment instead.`]]),
            ),
          );
        }
      }
    }
    return values;
  },
  sideEffects: async (k, ev) => {
    if (ev.action === 'create') return repost(k.db, idByUuid(transactions, ev.values.uuid as string));
    const existing = ev.existing!;
    if (ev.action === 'update') return repost(k.db, existing.id);
    const payment = await owningPayment(k.db, existing.id);
    if (payment) throw drf.detail(400, `This transaction books payment ${payment}; delete the payment instead.`);
    return unpost(k.db, existing.id);
  },
};
