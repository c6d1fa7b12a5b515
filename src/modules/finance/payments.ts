import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { asc, eq, sql } from 'drizzle-orm';
import {
  PaginatedPaymentList,
  PatchedPayment,
  Payment,
  PaymentRequest,
  Payment_READ_ONLY,
  Transaction,
} from '../../contract/tamiti/finance.gen';
import { drf } from '../../core/errors';
import { eventId, publish } from '../../core/events';
import { url } from '../../core/fields';
import { fromCents } from '../../core/money';
import {
  byId,
  checkForeignKeys,
  constraintError,
  getVisible,
  idByUuid,
  kitOf,
  parseId,
  pick,
  serialize,
} from '../../core/resource';
import type { Kit, ResourceDef, Row, Stmt } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { nowIso, todayIso } from '../../db/columns';
import { accounts, goals, invoices, parties, payments, requisitions, transactions } from '../../db/schema/finance';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { SERVER_OWNED, adminDeletes, idParam, requireAmount } from './access';
import { announceMilestones, cents, isOverpaid, recomputeGoals, recomputeInvoices, repost, unpost } from './books';

const receipt = { receipt_file: url({ max: 200 }).nullable().optional().openapi({ description: 'URL of the receipt.' }) };
/** The reference's payment body, with the receipt given as a URL (JSON bodies carry no files). */
export const PaymentWrite = z.object({ ...PaymentRequest.shape, ...receipt }).openapi('PaymentWrite');
export const PatchedPaymentWrite = z.object({ ...PatchedPayment.shape, ...receipt }).openapi('PatchedPaymentWrite');

/**
 * `/api/finance/payments/`: money in or out, optionally against an invoice, a requisition (one
 * payment each), an account and a goal. Every write is one batch that also books the payment's
 * automated transaction, moves the account balance, and recomputes the invoice's paid amount and
 * is_paid and the goal's current amount and milestones (books.ts). A payment that would take an
 * invoice balance below zero is refused and nothing is written.
 */
export const paymentResource: ResourceDef = {
  path: '/finance/payments/',
  operationId: 'finance_payments',
  tag: 'finance',
  model: 'Payment',
  table: payments,
  schemas: { read: Payment, write: PaymentWrite, patch: PatchedPaymentWrite, page: PaginatedPaymentList },
  readOnly: [...Payment_READ_ONLY, ...SERVER_OWNED],
  actions: ['list', 'retrieve'],
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
  can: adminDeletes,
  expand: async (k, rows) => {
    const txs = await byId<Row>(
      k.db,
      transactions,
      rows.map((r) => r.transaction as number | null),
    );
    return rows.map((r) => {
      const tx = txs.get(r.transaction as number);
      return { ...r, transaction: tx ? pick(Transaction, tx) : null };
    });
  },
};

const WRITABLE = ['direction', 'amount', 'receipt_file', 'notes', 'party', 'invoice', 'requisition', 'account', 'goal'] as const;

function writable(input: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) if (input[key] !== undefined) out[key] = input[key];
  return out;
}

/** Checks references and cross-field rules; returns the description of the payment's transaction. */
async function validate(k: Kit, values: Record<string, unknown>, merged: Record<string, unknown>): Promise<string> {
  requireAmount(values, 'amount');
  await checkForeignKeys(k.db, paymentResource.foreignKeys, values);
  const [party] = await k.db
    .select({ name: parties.name })
    .from(parties)
    .where(eq(parties.id, merged.party as number))
    .limit(1);
  if (merged.invoice) {
    const [invoice] = await k.db
      .select({ party: invoices.party })
      .from(invoices)
      .where(eq(invoices.id, merged.invoice as number))
      .limit(1);
    if (invoice && invoice.party !== merged.party) throw drf.field('invoice', 'This invoice belongs to another party.');
  }
  if (merged.notes) return merged.notes as string;
  return `${merged.direction === 'incoming' ? 'Income' : 'Expense'} payment by ${party?.name ?? ''}`;
}

/** The automated transaction's fields for a payment: income for incoming money, expense otherwise. */
function transactionFields(merged: Record<string, unknown>, description: string) {
  return {
    type: merged.direction === 'incoming' ? ('income' as const) : ('expense' as const),
    amount: merged.amount as string,
    account: (merged.account as number | null) ?? null,
    description,
    related_invoice: (merged.invoice as number | null) ?? null,
    related_requisition: (merged.requisition as number | null) ?? null,
  };
}

/** Inserts a payment's automated transaction, links both ways and posts it to the account. */
function bookTransaction(k: Kit, paymentUuid: string, merged: Record<string, unknown>, description: string): Stmt[] {
  const txUuid = crypto.randomUUID();
  const tx = idByUuid(transactions, txUuid);
  return [
    k.db.insert(transactions).values({
      ...transactionFields(merged, description),
      uuid: txUuid,
      category: 'miscellaneous',
      date: todayIso(),
      is_automated: true,
      related_payment: idByUuid(payments, paymentUuid),
    }) as unknown as Stmt,
    k.db.update(payments).set({ transaction: tx }).where(eq(payments.uuid, paymentUuid)) as unknown as Stmt,
    ...repost(k.db, tx),
  ];
}

/** Runs a payment batch; an overpaid invoice becomes a 400 on `amount` stating what can still be paid. */
async function runBatch(k: Kit, stmts: Stmt[], merged: Record<string, unknown>, existing?: Row) {
  try {
    return (await k.db.batch(stmts as [Stmt, ...Stmt[]])) as unknown[];
  } catch (err) {
    if (isOverpaid(err) && merged.invoice) {
      const [inv] = await k.db
        .select()
        .from(invoices)
        .where(eq(invoices.id, merged.invoice as number))
        .limit(1);
      let open = cents(inv?.total_amount) - cents(inv?.paid_amount);
      if (existing && existing.invoice === merged.invoice) open += cents(existing.amount);
      throw drf.field('amount', `Ensure this value is less than or equal to the invoice balance (${fromCents(open)}).`);
    }
    constraintError(err, paymentResource);
  }
}

async function readPayment(k: Kit, id: number): Promise<Row> {
  const [row] = await k.db.select().from(payments).where(eq(payments.id, id)).limit(1);
  return row as Row;
}

/** Creates a payment with its transaction and every figure it moves, in one batch. */
export async function createPayment(k: Kit, input: Record<string, unknown>): Promise<Row> {
  const values = writable(input);
  const description = await validate(k, values, values);
  const uuid = crypto.randomUUID();
  const results = await runBatch(
    k,
    [
      k.db
        .insert(payments)
        .values({ ...(values as typeof payments.$inferInsert), uuid })
        .returning({ id: payments.id }) as unknown as Stmt,
      ...bookTransaction(k, uuid, values, description),
      ...recomputeInvoices(k.db, [values.invoice]),
      ...recomputeGoals(k.db, [values.goal]),
    ],
    values,
  );
  const row = await readPayment(k, (results![0] as { id: number }[])[0].id);
  if (row.requisition) {
    const [req] = await k.db
      .select({ requested_by: requisitions.requested_by })
      .from(requisitions)
      .where(eq(requisitions.id, row.requisition as number))
      .limit(1);
    if (req?.requested_by) {
      publish(k.c, {
        type: 'notification',
        id: eventId(),
        recipient_id: req.requested_by,
        actor_id: k.user.id,
        verb: 'confirmed payment',
        url: `/finance/payments/${row.id}/`,
        target_type: 'payment',
        target_id: row.id,
      });
    }
  }
  await announceMilestones(k, [row.goal]);
  return row;
}

/** Updates a payment, its transaction (amount, type, account, links, description) and every figure. */
export async function updatePayment(k: Kit, existing: Row, input: Record<string, unknown>): Promise<Row> {
  const values = writable(input);
  const merged = { ...existing, ...values };
  const description = await validate(k, values, merged);
  const txId = existing.transaction as number | null;
  await runBatch(
    k,
    [
      k.db
        .update(payments)
        .set({ ...(values as Partial<typeof payments.$inferInsert>), updated_at: nowIso() })
        .where(eq(payments.id, existing.id)) as unknown as Stmt,
      ...(txId
        ? [
            k.db
              .update(transactions)
              .set({ ...transactionFields(merged, description), updated_at: nowIso() })
              .where(eq(transactions.id, txId)) as unknown as Stmt,
            ...repost(k.db, txId),
          ]
        : bookTransaction(k, existing.uuid as string, merged, description)),
      ...recomputeInvoices(k.db, [existing.invoice, merged.invoice]),
      ...recomputeGoals(k.db, [existing.goal, merged.goal]),
    ],
    merged,
    existing,
  );
  await announceMilestones(k, [existing.goal, merged.goal]);
  return readPayment(k, existing.id);
}

/** Deletes a payment and its transaction, restoring the account balance, invoice and goal. */
export async function deletePayment(k: Kit, existing: Row): Promise<void> {
  const txId = existing.transaction as number | null;
  await runBatch(
    k,
    [
      ...(txId ? [...unpost(k.db, txId), k.db.delete(transactions).where(eq(transactions.id, txId)) as unknown as Stmt] : []),
      k.db.delete(payments).where(eq(payments.id, existing.id)) as unknown as Stmt,
      ...recomputeInvoices(k.db, [existing.invoice]),
      ...recomputeGoals(k.db, [existing.goal]),
    ],
    existing,
  );
}

/**
 * Payment writes and `by_goal/`. Writes are routes of their own (not the kit's) because an
 * overpayment is detected by the invoice CHECK inside the batch and must read as a 400 on `amount`.
 */
export function mountPaymentRoutes(app: OpenAPIHono<AppEnv>) {
  const tags = ['finance'];
  const auth = requireAuth();
  const base = '/api/finance/payments/';
  const detail = `${base}{id}/`;
  const guard = (k: Kit, action: 'destroy' | 'update') => {
    if (!adminDeletes(k, action)) throw drf.forbidden();
  };
  const body = async (k: Kit, row: Row) => (await serialize(paymentResource, k, [row]))[0];

  const byGoal = createRoute({
    method: 'get',
    path: `${base}by_goal/`,
    operationId: 'finance_payments_by_goal_retrieve',
    tags,
    security: bearer,
    middleware: [auth] as const,
    request: {
      query: z.object({ goal: z.string().optional().openapi({ type: 'integer', description: 'The goal (required).' }) }),
    },
    responses: { 200: jsonResponse(z.array(Payment), 'The goal’s payments (not paginated).'), ...drfErrors },
  });
  app.openapi(byGoal, async (c) => {
    const k = kitOf(c);
    const goal = c.req.query('goal');
    if (!goal) throw drf.detail(400, 'Missing goal param');
    if (!/^\d+$/.test(goal)) throw drf.field('goal', 'A valid integer is required.');
    const rows = (await k.db
      .select()
      .from(payments)
      .where(eq(payments.goal, Number(goal)))
      .orderBy(asc(payments.id))) as Row[];
    return c.json((await serialize(paymentResource, k, rows)) as never, 200);
  });

  const create = createRoute({
    method: 'post',
    path: base,
    operationId: 'finance_payments_create',
    tags,
    security: bearer,
    middleware: [auth] as const,
    request: { body: jsonBody(PaymentWrite) },
    responses: { 201: jsonResponse(Payment, ''), ...drfErrors },
  });
  app.openapi(create, async (c) => {
    const k = kitOf(c);
    const row = await createPayment(k, c.req.valid('json') as Record<string, unknown>);
    return c.json((await body(k, row)) as never, 201);
  });

  for (const [action, method, schema] of [
    ['update', 'put', PaymentWrite],
    ['partial_update', 'patch', PatchedPaymentWrite],
  ] as const) {
    const route = createRoute({
      method,
      path: detail,
      operationId: `finance_payments_${action}`,
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: idParam('Payment'), body: jsonBody(schema) },
      responses: { 200: jsonResponse(Payment, ''), ...drfErrors },
    });
    app.openapi(route, async (c) => {
      const k = kitOf(c);
      const existing = await getVisible(paymentResource, k, parseId(c.req.param('id'), 'Payment'));
      guard(k, 'update');
      const row = await updatePayment(k, existing, c.req.valid('json') as Record<string, unknown>);
      return c.json((await body(k, row)) as never, 200);
    });
  }

  const destroy = createRoute({
    method: 'delete',
    path: detail,
    operationId: 'finance_payments_destroy',
    tags,
    security: bearer,
    middleware: [auth] as const,
    request: { params: idParam('Payment') },
    responses: { 204: { description: 'No response body' }, ...drfErrors },
  });
  app.openapi(destroy, async (c) => {
    const k = kitOf(c);
    const existing = await getVisible(paymentResource, k, parseId(c.req.param('id'), 'Payment'));
    guard(k, 'destroy');
    await deletePayment(k, existing);
    return c.body(null, 204);
  });
}
