/**
 * Bookings of workspace spaces (issue 9). Times are UTC ISO 8601 strings written by
 * `Date.toISOString()` (always `YYYY-MM-DDTHH:MM:SS.sssZ`), so text comparison is time order and
 * the overlap test `start < :end AND end > :start` runs on the (space_id, status, start, end) index.
 * The price is frozen at booking time: unit, quantity, unit price, subtotal and total in cents.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { money, nowIsoMs, timestamps } from '../columns';
import { users } from './users';
import { workspaces, workspaceSpaces } from './workspace';

export const BOOKING_TYPES = ['hourly', 'daily', 'monthly'] as const;
export type BookingType = (typeof BOOKING_TYPES)[number];

/** `confirmed` bookings hold their slot (checked in or not); `cancelled` ones never block. */
export const BOOKING_STATUSES = ['confirmed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** The priced unit of each booking type. */
export const PRICE_UNITS = ['hour', 'day', 'month'] as const;

export const bookings = sqliteTable(
  'bookings',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    space_id: text('space_id')
      .notNull()
      .references(() => workspaceSpaces.id, { onDelete: 'cascade' }),
    /** The space's workspace, copied at booking time for workspace lists and admin counts. */
    workspace_id: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    user_id: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    booking_type: text('booking_type', { enum: BOOKING_TYPES }).notNull(),
    start: text('start').notNull(),
    end: text('end').notNull(),
    guests: integer('guests').notNull().default(1),
    notes: text('notes').notNull().default(''),
    status: text('status', { enum: BOOKING_STATUSES }).notNull().default('confirmed'),
    price_unit: text('price_unit', { enum: PRICE_UNITS }).notNull(),
    quantity: integer('quantity').notNull(),
    unit_price: money('unit_price').notNull(),
    subtotal: money('subtotal').notNull(),
    total: money('total').notNull(),
    checked_in_at: text('checked_in_at'),
    checked_in_by: integer('checked_in_by').references(() => users.id, { onDelete: 'set null' }),
    cancelled_at: text('cancelled_at'),
    cancelled_by: integer('cancelled_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(nowIsoMs),
  },
  (t) => [
    index('bookings_space_slot_idx').on(t.space_id, t.status, t.start, t.end),
    index('bookings_user_idx').on(t.user_id, t.start),
    index('bookings_workspace_idx').on(t.workspace_id, t.start),
    index('bookings_checked_in_by_idx').on(t.checked_in_by),
    index('bookings_cancelled_by_idx').on(t.cancelled_by),
    check('bookings_interval_check', sql`${t.start} < ${t.end}`),
    check('bookings_guests_check', sql`${t.guests} >= 1`),
  ],
);
