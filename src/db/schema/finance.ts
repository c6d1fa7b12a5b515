/**
 * Finance: parties, accounts, invoices, payments, transactions, requisitions, goals and their
 * milestones. Money columns hold integer cents. Derived figures are kept by SQL inside the same
 * D1 batch as the write that changes them:
 * - `invoices.paid_amount` = Σ payments of the invoice, `is_paid` = total − paid ≤ 0 (a CHECK refuses
 *   overpayment, so concurrent payments cannot take the balance below zero);
 * - `accounts.balance` moves by each transaction's posted effect (`posted_account_id`, `posted_amount`
 *   remember what a transaction added, so an edit or delete reverses exactly that);
 * - `goals.current_amount` = Σ incoming payments of the goal; milestones are reached at that amount.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { baseModel, bool, money } from '../columns';
import { users } from './users';

export const parties = sqliteTable(
  'finance_parties',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone').notNull().default(''),
    type: text('type', { enum: ['client', 'vendor', 'donor', 'investor', 'partner', 'internal'] }).notNull(),
    is_internal_user: bool('is_internal_user').notNull().default(false),
    /** One-to-one link to a system user (receives invoice notifications). */
    user: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('finance_parties_user_unique').on(t.user),
    index('finance_parties_type_idx').on(t.type),
    index('finance_parties_name_idx').on(t.name),
  ],
);

export const accounts = sqliteTable(
  'finance_accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    name: text('name').notNull(),
    number: text('number').notNull().default(''),
    type: text('type', { enum: ['bank', 'mobile_money', 'wallet', 'paypal', 'cashbox'] }).notNull(),
    balance: money('balance').notNull().default(sql`0`),
    currency: text('currency', { enum: ['UGX', 'USD', 'EUR', 'KES'] })
      .notNull()
      .default('UGX'),
  },
  (t) => [
    index('finance_accounts_type_idx').on(t.type),
    index('finance_accounts_currency_idx').on(t.currency),
    index('finance_accounts_name_idx').on(t.name),
  ],
);

export const invoices = sqliteTable(
  'finance_invoices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    /** Human-readable, unique (INV-000123 when the client gives none). */
    number: text('number').notNull(),
    party: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    direction: text('direction', { enum: ['incoming', 'outgoing'] }).notNull(),
    total_amount: money('total_amount').notNull(),
    /** Σ amount of the invoice's payments, recomputed in the batch of every payment write. */
    paid_amount: money('paid_amount').notNull().default(sql`0`),
    description: text('description').notNull().default(''),
    issued_date: text('issued_date').notNull(),
    due_date: text('due_date').notNull(),
    is_paid: bool('is_paid').notNull().default(false),
    related_file: text('related_file'),
  },
  (t) => [
    uniqueIndex('finance_invoices_number_unique').on(t.number),
    index('finance_invoices_party_idx').on(t.party),
    index('finance_invoices_direction_idx').on(t.direction),
    index('finance_invoices_is_paid_idx').on(t.is_paid),
    index('finance_invoices_issued_date_idx').on(t.issued_date),
    index('finance_invoices_due_date_idx').on(t.due_date),
    check('finance_invoices_not_overpaid', sql`${t.paid_amount} <= ${t.total_amount}`),
  ],
);

export const requisitions = sqliteTable(
  'finance_requisitions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    urgency: text('urgency', { enum: ['low', 'medium', 'high', 'critical'] })
      .notNull()
      .default('medium'),
    status: text('status').notNull().default('pending'),
    amount: money('amount').notNull(),
    purpose: text('purpose').notNull(),
    comments: text('comments').notNull().default(''),
    date_approved: text('date_approved'),
    requested_by: integer('requested_by_id').references(() => users.id, { onDelete: 'set null' }),
    approved_by: integer('approved_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('finance_requisitions_status_idx').on(t.status),
    index('finance_requisitions_requested_by_idx').on(t.requested_by),
    index('finance_requisitions_approved_by_idx').on(t.approved_by),
  ],
);

export const goals = sqliteTable(
  'finance_goals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    title: text('title').notNull(),
    target_amount: money('target_amount').notNull(),
    /** Σ amount of the goal's incoming payments, recomputed in the batch of every payment write. */
    current_amount: money('current_amount').notNull().default(sql`0`),
    due_date: text('due_date').notNull(),
    owner: integer('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('finance_goals_owner_idx').on(t.owner), index('finance_goals_due_date_idx').on(t.due_date)],
);

export const goalMilestones = sqliteTable(
  'finance_goal_milestones',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    amount: money('amount').notNull(),
    notify: bool('notify').notNull().default(true),
    /** current_amount of the goal ≥ amount; recomputed with the goal. */
    is_reached: bool('is_reached').notNull().default(false),
    /** The owner was told this milestone was reached (cleared when it is no longer reached). */
    notified: bool('notified').notNull().default(false),
    goal: integer('goal_id')
      .notNull()
      .references(() => goals.id, { onDelete: 'cascade' }),
  },
  (t) => [index('finance_goal_milestones_goal_idx').on(t.goal)],
);

export const transactions = sqliteTable(
  'finance_transactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    type: text('type', { enum: ['income', 'expense'] }).notNull(),
    amount: money('amount').notNull(),
    description: text('description').notNull().default(''),
    category: text('category').notNull(),
    date: text('date').notNull(),
    is_automated: bool('is_automated').notNull().default(false),
    account: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    related_invoice: integer('related_invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    related_requisition: integer('related_requisition_id').references(() => requisitions.id, { onDelete: 'set null' }),
    related_payment: integer('related_payment_id').references((): AnySQLiteColumn => payments.id, { onDelete: 'set null' }),
    /** The account this transaction's amount was added to (not a foreign key: kept when the account goes). */
    posted_account_id: integer('posted_account_id'),
    /** Signed cents added to that account's balance (+income, −expense). */
    posted_amount: integer('posted_amount').notNull().default(0),
  },
  (t) => [
    index('finance_transactions_date_idx').on(t.date),
    index('finance_transactions_account_idx').on(t.account),
    index('finance_transactions_type_idx').on(t.type),
    index('finance_transactions_category_idx').on(t.category),
    index('finance_transactions_related_invoice_idx').on(t.related_invoice),
    index('finance_transactions_related_requisition_idx').on(t.related_requisition),
    index('finance_transactions_related_payment_idx').on(t.related_payment),
  ],
);

export const payments = sqliteTable(
  'finance_payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    direction: text('direction', { enum: ['incoming', 'outgoing'] }).notNull(),
    amount: money('amount').notNull(),
    receipt_file: text('receipt_file'),
    notes: text('notes').notNull().default(''),
    party: integer('party_id')
      .notNull()
      .references(() => parties.id, { onDelete: 'restrict' }),
    invoice: integer('invoice_id').references(() => invoices.id, { onDelete: 'set null' }),
    requisition: integer('requisition_id').references(() => requisitions.id, { onDelete: 'set null' }),
    account: integer('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    goal: integer('goal_id').references(() => goals.id, { onDelete: 'set null' }),
    /** The automated transaction that books this payment. */
    transaction: integer('transaction_id').references((): AnySQLiteColumn => transactions.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('finance_payments_requisition_unique').on(t.requisition),
    index('finance_payments_party_idx').on(t.party),
    index('finance_payments_invoice_idx').on(t.invoice),
    index('finance_payments_account_idx').on(t.account),
    index('finance_payments_goal_idx').on(t.goal),
    index('finance_payments_direction_idx').on(t.direction),
    index('finance_payments_transaction_idx').on(t.transaction),
  ],
);
