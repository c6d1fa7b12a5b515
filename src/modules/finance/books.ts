/**
 * The statements that keep the books consistent. Each write of the finance module adds the ones it
 * needs to its own `db.batch`, so the write and every figure derived from it commit together (D1
 * runs a batch as one transaction and serialises batches: concurrent writes lose no update). All
 * arithmetic happens in SQL on integer cents, from the rows as they are inside the batch.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { Db, Stmt } from '../../core/resource';
import { eventId, type OutboundEvent } from '../../core/events';
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
      .where(eq(accounts.id, postedOf(tx, transactions.posted_account_id))),
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
      .where(eq(transactions.id, ref(tx))),
    db
      .update(accounts)
      .set({ balance: sql`${accounts.balance} + ${postedOf(tx, transactions.posted_amount)}` })
      .where(eq(accounts.id, postedOf(tx, transactions.posted_account_id))),
  ];
}

const ids = (list: (number | null | undefined | unknown)[]) => [
  ...new Set(list.filter((x): x is number => typeof x === 'number')),
];

/**
 * Recomputes `paid_amount` (Σ payments) and `is_paid` (total − paid ≤ 0) of invoices. The table's
 * CHECK (`finance_invoices_not_overpaid`) refuses a paid amount above the total, which aborts the
 * whole batch.
 */
export function recomputeInvoices(db: Db, invoiceIds: unknown[]): Stmt[] {
  const wanted = ids(invoiceIds);
  if (!wanted.length) return [];
  const paid = sql`(select coalesce(sum(${payments.amount}), 0) from ${payments} where ${payments.invoice} = ${invoices.id})`;
  return [
    db
      .update(invoices)
      .set({ paid_amount: paid, is_paid: sql`(${invoices.total_amount} - ${paid}) <= 0` })
      .where(inArray(invoices.id, wanted)),
  ];
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
      .where(where),
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
      .where(inArray(goals.id, wanted)),
    ...recomputeMilestones(db, inArray(goalMilestones.goal, wanted)),
  ];
}

/**
 * Claims the newly reached milestones of goals that ask to be told (`notify`): a conditional update
 * (reached, not yet notified) returning each claimed milestone with its goal's owner, for the same
 * batch as the write that reached them, so a milestone is announced once however many writes race.
 * Turn its rows into events with `milestoneEvents`.
 */
export function claimMilestones(db: Db, goalIds: unknown[]): Stmt[] {
  const wanted = ids(goalIds);
  if (!wanted.length) return [];
  return [
    db
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
      .returning({
        id: goalMilestones.id,
        goal: goalMilestones.goal,
        owner: sql<number>`(select ${goals.owner} from ${goals} where ${goals.id} = ${goalMilestones.goal})`,
      }),
  ];
}

/** The notifications for milestones `claimMilestones` claimed (its statement's rows). */
export function milestoneEvents(claimed: unknown): OutboundEvent[] {
  return ((claimed ?? []) as { id: number; goal: number; owner: number | null }[])
    .filter((m) => m.owner != null)
    .map((m) => ({
      type: 'notification',
      id: eventId(),
      recipient_id: m.owner as number,
      actor_id: null,
      verb: 'reached a goal milestone',
      url: `/finance/goals/${m.goal}/`,
      target_type: 'goal_milestone',
      target_id: m.id,
    }));
}

/** Money helpers on decimal strings. */
export const cents = (v: unknown) => toCents(String(v ?? '0'));
export const minus = (a: unknown, b: unknown) => fromCents(cents(a) - cents(b));
