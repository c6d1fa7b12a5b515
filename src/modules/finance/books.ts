/**
 * The statements that keep the books consistent. Each write of the finance module adds the ones it
 * needs to its own `db.batch`, so the write and every figure derived from it commit together (D1
 * runs a batch as one transaction and serialises batches: concurrent writes lose no update). All
 * arithmetic happens in SQL on integer cents, from the rows as they are inside the batch.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { byId } from '../../core/resource';
import type { Db, Kit, Stmt } from '../../core/resource';
import { eventId, publish } from '../../core/events';
import { fromCents, toCents } from '../../core/money';
import { accounts, goalMilestones, goals, invoices, payments, transactions } from '../../db/schema/finance';

/** A row id: a known number, or a subquery for a row inserted earlier in the same batch. */
export type IdRef = number | SQL;
const ref = (id: IdRef) => (typeof id === 'number' ? sql`${id}` : id);

const postedOf = (tx: IdRef, column: typeof transactions.posted_amount | typeof transactions.posted_account_id) =>
  sql`(select ${column} from ${transactions} where ${transactions.id} = ${ref(tx)})`;

/** Takes a transaction's posted amount back out of the account it was added to. */
export function unpost(db: Db, tx: IdRef): Stmt[] {
  return [
    db
      .update(accounts)
      .set({ balance: sql`${accounts.balance} - ${postedOf(tx, transactions.posted_amount)}` })
      .where(eq(accounts.id, postedOf(tx, transactions.posted_account_id))) as unknown as Stmt,
  ];
}

/**
 * Brings an account balance in line with a transaction as it now is: reverses what the
 * transaction had added, records its current signed amount and account, and adds that.
 */
export function repost(db: Db, tx: IdRef): Stmt[] {
  return [
    ...unpost(db, tx),
    db
      .update(transactions)
      .set({
        posted_account_id: sql`${transactions.account}`,
        posted_amount: sql`CASE WHEN ${transactions.type} = 'income' THEN ${transactions.amount} ELSE -${transactions.amount} END`,
      })
      .where(eq(transactions.id, ref(tx))) as unknown as Stmt,
    db
      .update(accounts)
      .set({ balance: sql`${accounts.balance} + ${postedOf(tx, transactions.posted_amount)}` })
      .where(eq(accounts.id, postedOf(tx, transactions.posted_account_id))) as unknown as Stmt,
  ];
}

const ids = (list: (number | null | undefined | unknown)[]) => [
  ...new Set(list.filter((x): x is number => typeof x === 'number')),
];

/**
 * Recomputes `paid_amount` (Σ payments) and `is_paid` (total − paid ≤ 0) of invoices. The table's
 * CHECK refuses a paid amount above the total, which aborts the whole batch (see `isOverpaid`).
 */
export function recomputeInvoices(db: Db, invoiceIds: unknown[]): Stmt[] {
  const wanted = ids(invoiceIds);
  if (!wanted.length) return [];
  const paid = sql`(select coalesce(sum(${payments.amount}), 0) from ${payments} where ${payments.invoice} = ${invoices.id})`;
  return [
    db
      .update(invoices)
      .set({ paid_amount: paid, is_paid: sql`(${invoices.total_amount} - ${paid}) <= 0` })
      .where(inArray(invoices.id, wanted)) as unknown as Stmt,
  ];
}

/** True when a batch failed because it would have taken an invoice balance below zero. */
export function isOverpaid(err: unknown): boolean {
  const msg = String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? '');
  return msg.includes('finance_invoices_not_overpaid');
}

/** `is_reached` of milestones follows the goal's current amount; `notified` resets when unreached. */
export function recomputeMilestones(db: Db, where: SQL): Stmt[] {
  const current = sql`(select ${goals.current_amount} from ${goals} where ${goals.id} = ${goalMilestones.goal})`;
  return [
    db
      .update(goalMilestones)
      .set({
        is_reached: sql`${goalMilestones.amount} <= ${current}`,
        notified: sql`CASE WHEN ${goalMilestones.amount} <= ${current} THEN ${goalMilestones.notified} ELSE 0 END`,
      })
      .where(where) as unknown as Stmt,
  ];
}

/** Recomputes goals' `current_amount` (Σ incoming payments) and their milestones. */
export function recomputeGoals(db: Db, goalIds: unknown[]): Stmt[] {
  const wanted = ids(goalIds);
  if (!wanted.length) return [];
  return [
    db
      .update(goals)
      .set({
        current_amount: sql`(select coalesce(sum(${payments.amount}), 0) from ${payments} where ${payments.goal} = ${goals.id} and ${payments.direction} = 'incoming')`,
      })
      .where(inArray(goals.id, wanted)) as unknown as Stmt,
    ...recomputeMilestones(db, inArray(goalMilestones.goal, wanted)),
  ];
}

/**
 * After a commit: tells goal owners about newly reached milestones that ask for it (`notify`).
 * Each milestone is claimed with a conditional update, so it is announced once.
 */
export async function announceMilestones(k: Kit, goalIds: unknown[]) {
  const wanted = ids(goalIds);
  if (!wanted.length) return;
  const claimed = await k.db
    .update(goalMilestones)
    .set({ notified: true })
    .where(
      and(
        inArray(goalMilestones.goal, wanted),
        eq(goalMilestones.is_reached, true),
        eq(goalMilestones.notify, true),
        eq(goalMilestones.notified, false),
      ),
    )
    .returning({ id: goalMilestones.id, goal: goalMilestones.goal });
  if (!claimed.length) return;
  const owners = await byId<{ id: number; owner: number }>(
    k.db,
    goals,
    claimed.map((m) => m.goal),
  );
  for (const m of claimed) {
    const goal = owners.get(m.goal);
    if (!goal) continue;
    publish(k.c, {
      type: 'notification',
      id: eventId(),
      recipient_id: goal.owner,
      actor_id: null,
      verb: 'reached a goal milestone',
      url: `/finance/goals/${m.goal}/`,
      target_type: 'goal_milestone',
      target_id: m.id,
    });
  }
}

/** Money helpers on decimal strings. */
export const cents = (v: unknown) => toCents(String(v ?? '0'));
export const minus = (a: unknown, b: unknown) => fromCents(cents(a) - cents(b));
