import { z } from '@hono/zod-openapi';
import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { Transaction } from '../../contract/tamiti/finance.gen';
import {
  PaginatedPaymentList,
  PatchedPayment,
  Payment,
  Payment_READ_ONLY,
  PaymentRequest,
} from '../../contract/tamiti/finance/payments.gen';
import { drf } from '../../core/errors';
import { eventId, type OutboundEvent } from '../../core/events';
import { url } from '../../core/fields';
import { DOCUMENTS } from '../../core/files';
import { fromCents } from '../../core/money';
import { pick, type Check, type Kit, type ResourceDef, type Row, type Stmt, type WriteEvent } from '../../core/resource';
import { idByUuid, indexById, referencedStmt } from '../../db';
import { nowIso, todayIso } from '../../db/columns';
import { accounts, goals, invoices, parties, payments, requisitions, transactions } from '../../db/schema/finance';
import { SERVER_OWNED, adminDeletes, requireAmount } from './access';
import { cents, claimMilestones, milestoneEvents, recomputeGoals, recomputeInvoices, repost, unpost } from './books';

/** A payment as stored. */
export type PaymentRow = typeof payments.$inferSelect;

const receipt = { receipt_file: url({ max: 200 }).nullable().optional().openapi({ description: 'URL of the receipt.' }) };
/** The reference's payment body, with the receipt given as a URL (JSON bodies carry no files). */
export const PaymentWrite = z.object({ ...PaymentRequest.shape, ...receipt }).openapi('PaymentWrite');
export const PatchedPaymentWrite = z.object({ ...PatchedPayment.shape, ...receipt }).openapi('PatchedPaymentWrite');

/** What can still be paid on an invoice. */
const balanceMessage = (open: string) => `Ensure this value is less than or equal to the invoice balance (${open}).`;

/**
 * The invoice a payment write goes against, checked in the write's first round trip: it belongs to
 * the payment's party, and its open balance (plus what this payment already put on it) covers the
 * amount. The invoice is the one sent, or on update the payment's own (a subquery), none when
 * detached.
 */
function invoiceCheck(k: Kit, values: Record<string, unknown>, paymentId?: number): Check[] {
  if (values.invoice === null) return [];
  const invoice: SQL | undefined =
    values.invoice !== undefined
      ? sql`${values.invoice}`
      : paymentId !== undefined
        ? sql`(select ${payments.invoice} from ${payments} where ${payments.id} = ${paymentId})`
        : undefined;
  if (!invoice) return [];
  return [
    {
      stmt: k.db
        .select({ id: invoices.id, party: invoices.party, total: invoices.total_amount, paid: invoices.paid_amount })
        .from(invoices)
        .where(sql`${invoices.id} = ${invoice}`),
      verify: (rows, existing) => {
        const found = rows[0] as { id: number; party: number; total: string; paid: string } | undefined;
        if (!found) return undefined; // a missing invoice is the reference check's error
        const errors: Record<string, string[]> = {};
        if (found.party !== (values.party ?? existing?.party)) errors.invoice = ['This invoice belongs to another party.'];
        let open = cents(found.total) - cents(found.paid);
        if (existing && existing.invoice === found.id) open += cents(existing.amount);
        if (cents(values.amount ?? existing?.amount) > open) errors.amount = [balanceMessage(fromCents(open))];
        return errors;
      },
    },
  ];
}

/**
 * The automated transaction's fields for a payment: income for incoming money, expense otherwise;
 * described by the notes, or "Income payment by <party>" (the party's name read in the batch).
 */
function transactionFields(merged: Record<string, unknown>) {
  const kind = merged.direction === 'incoming' ? 'Income' : 'Expense';
  return {
    type: merged.direction === 'incoming' ? ('income' as const) : ('expense' as const),
    amount: merged.amount as string,
    account: (merged.account as number | null) ?? null,
    description: merged.notes
      ? (merged.notes as string)
      : sql<string>`${`${kind} payment by `} || coalesce((select ${parties.name} from ${parties} where ${parties.id} = ${merged.party}), '')`,
    related_invoice: (merged.invoice as number | null) ?? null,
    related_requisition: (merged.requisition as number | null) ?? null,
  };
}

/** Inserts a payment's automated transaction, links both ways and posts it to the account. */
function bookTransaction(db: Kit['db'], paymentUuid: string, merged: Record<string, unknown>): Stmt[] {
  const txUuid = crypto.randomUUID();
  const tx = idByUuid(transactions, txUuid);
  return [
    db.insert(transactions).values({
      ...transactionFields(merged),
      uuid: txUuid,
      category: 'miscellaneous',
      date: todayIso(),
      is_automated: true,
      related_payment: idByUuid(payments, paymentUuid),
    }),
    db.update(payments).set({ transaction: tx }).where(eq(payments.uuid, paymentUuid)),
    ...repost(db, tx),
  ];
}

/**
 * The statements of a payment write, after the payment's own: its transaction, the account balance,
 * the invoices' and goals' figures, then two reads for `after` — the milestones the write reached
 * (claimed once) and, for a new payment against a requisition, who asked for it.
 */
function paymentEffects(k: Kit, ev: WriteEvent<PaymentRow>): Stmt[] {
  const db = k.db;
  if (ev.action === 'destroy') {
    const old = ev.existing;
    const txId = old.transaction;
    // The payment goes before the figures are recomputed (the kit's own delete then finds nothing).
    return [
      ...(txId ? [...unpost(db, txId), db.delete(transactions).where(eq(transactions.id, txId))] : []),
      db.delete(payments).where(eq(payments.id, old.id)),
      ...recomputeInvoices(db, [old.invoice]),
      ...recomputeGoals(db, [old.goal]),
    ];
  }
  const old = ev.existing;
  const merged = { ...(old ?? {}), ...ev.values };
  const txId = old?.transaction;
  const booking = txId
    ? [
        db
          .update(transactions)
          .set({ ...transactionFields(merged), updated_at: nowIso() })
          .where(eq(transactions.id, txId)),
        ...repost(db, txId),
      ]
    : bookTransaction(db, (old?.uuid ?? ev.values.uuid) as string, merged);
  const requester =
    ev.action === 'create' && merged.requisition != null
      ? [
          db
            .select({ requested_by: requisitions.requested_by })
            .from(requisitions)
            .where(eq(requisitions.id, merged.requisition as number)),
        ]
      : [];
  return [
    ...booking,
    ...recomputeInvoices(db, [old?.invoice, merged.invoice]),
    ...recomputeGoals(db, [old?.goal, merged.goal]),
    ...claimMilestones(db, [old?.goal, merged.goal]),
    ...requester,
  ];
}

/** The events of a committed payment write: milestones reached, and the requester told of the payment. */
function paymentEvents(k: Kit, ev: WriteEvent<PaymentRow>): OutboundEvent[] {
  if (ev.action === 'destroy' || !ev.row) return [];
  const merged = { ...(ev.existing ?? {}), ...ev.values };
  const effects = ev.effects ?? [];
  const asked = ev.action === 'create' && merged.requisition != null;
  const claims = [merged.goal, ev.existing?.goal].some((g) => g != null);
  const events = claims ? milestoneEvents(effects[effects.length - (asked ? 2 : 1)]) : [];
  const requester = asked ? (effects.at(-1) as { requested_by: number | null }[])[0]?.requested_by : null;
  if (requester) {
    events.unshift({
      type: 'notification',
      id: eventId(),
      recipient_id: requester,
      actor_id: k.user.id,
      verb: 'confirmed payment',
      url: `/finance/payments/${ev.row.id}/`,
      target_type: 'payment',
      target_id: ev.row.id,
    });
  }
  return events;
}

/**
 * `/api/finance/payments/`: money in or out, optionally against an invoice, a requisition (one
 * payment each), an account and a goal. Every write is at most two round trips: the references and
 * the invoice (its party, its open balance) are checked first, then one batch writes the payment,
 * books its automated transaction, moves the account balance, recomputes the invoice's paid amount
 * and is_paid and the goal's current amount and milestones (books.ts), and reads the payment back.
 * A payment that would take an invoice balance below zero is refused and nothing is written: by the
 * first round trip's check, or, for a payment racing another, by the invoice's CHECK inside the
 * batch (`constraints`).
 */
export const paymentResource: ResourceDef<typeof payments> = {
  path: '/finance/payments/',
  operationId: 'finance_payments',
  tag: 'finance',
  model: 'Payment',
  table: payments,
  schemas: { read: Payment, write: PaymentWrite, patch: PatchedPaymentWrite, page: PaginatedPaymentList },
  readOnly: [...Payment_READ_ONLY, ...SERVER_OWNED],
  search: [payments.notes, sql`(select ${parties.name} from ${parties} where ${parties.id} = ${payments.party})`],
  filters: {
    party: { column: payments.party, type: 'int' },
    invoice: { column: payments.invoice, type: 'int' },
    goal: { column: payments.goal, type: 'int' },
    direction: { column: payments.direction },
    account: { column: payments.account, type: 'int' },
    requisition: { column: payments.requisition, type: 'int' },
  },
  ordering: {
    amount: payments.amount,
    direction: payments.direction,
    party: payments.party,
    invoice: payments.invoice,
    goal: payments.goal,
    account: payments.account,
    created_at: payments.created_at,
    updated_at: payments.updated_at,
  },
  foreignKeys: { party: parties, invoice: invoices, requisition: requisitions, account: accounts, goal: goals },
  uniques: { requisition: 'payment with this requisition already exists.' },
  // Signed only in this resource's responses, which only Staff and Admin reach.
  files: { receipt_file: { types: DOCUMENTS, prefix: 'receipt' } },
  constraints: { finance_invoices_not_overpaid: { amount: ['Ensure this value is less than or equal to the invoice balance.'] } },
  can: adminDeletes,
  checks: (k, values, _existing, target) => invoiceCheck(k, values, target.id),
  prepare: (_k, values) => {
    requireAmount(values, 'amount');
    return values;
  },
  sideEffects: paymentEffects,
  after: paymentEvents,
  expansion: {
    load: (k, ids) => [referencedStmt(k.db, transactions, payments, payments.transaction, ids)],
    attach: (_k, rows, [txs]) => {
      const byId = indexById(txs as Row[]);
      return rows.map((r) => {
        const tx = byId.get(r.transaction as number);
        return { ...r, transaction: tx ? pick(Transaction, tx) : null };
      });
    },
  },
  views: [
    {
      path: 'by_goal/',
      operationId: 'finance_payments_by_goal_retrieve',
      shape: 'array',
      query: z.object({ goal: z.string().optional().openapi({ type: 'integer', description: 'The goal (required).' }) }),
      responseDescription: 'The goal’s payments (not paginated).',
      where: (_k, query) => {
        if (!query.goal) throw drf.detail(400, 'Missing goal param');
        if (!/^\d+$/.test(query.goal) || !Number.isSafeInteger(Number(query.goal)))
          throw drf.field('goal', 'A valid integer is required.');
        return eq(payments.goal, Number(query.goal));
      },
      order: [asc(payments.id)],
    },
  ],
};
