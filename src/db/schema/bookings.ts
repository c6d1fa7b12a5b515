/**
 * Bookings of workspace spaces (issues 9 and 17). Times are UTC ISO 8601 strings written by
 * `Date.toISOString()` (always `YYYY-MM-DDTHH:MM:SS.sssZ`), so text comparison is time order and
 * the overlap test `start < :end AND end > :start` runs on the (space_id, status, start, end) index.
 * The price is frozen at booking time: unit, quantity, unit price, subtotal and total in cents.
 *
 * A booking's guests get a check-in code each (`G-` + 10 characters), stored only as its SHA-256
 * hash; a booking has at most one review.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { money, nowIsoMs, timestamps } from '../columns';
import { users } from './users';
import { workspaces, workspaceSpaces } from './workspace';

export const BOOKING_TYPES = ['hourly', 'daily', 'monthly'] as const;
export type BookingType = (typeof BOOKING_TYPES)[number];

/**
 * - `pending`: a hold, blocking its slot until `expires_at` (15 minutes), then as good as `expired`
 *   whether or not the cron has marked it yet;
 * - `confirmed`: holds its slot (checked in or not);
 * - `completed`: checked out; frees the space from then on;
 * - `cancelled` and `expired` never block.
 */
export const BOOKING_STATUSES = ['pending', 'confirmed', 'completed', 'cancelled', 'expired'] as const;
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
    /** People using the space, the booker included (seats taken in a shared space). */
    guests: integer('guests').notNull().default(1),
    notes: text('notes').notNull().default(''),
    status: text('status', { enum: BOOKING_STATUSES }).notNull().default('confirmed'),
    price_unit: text('price_unit', { enum: PRICE_UNITS }).notNull(),
    quantity: integer('quantity').notNull(),
    unit_price: money('unit_price').notNull(),
    subtotal: money('subtotal').notNull(),
    total: money('total').notNull(),
    /** When a hold (`pending`) stops blocking its slot. */
    expires_at: text('expires_at'),
    confirmed_at: text('confirmed_at'),
    checked_in_at: text('checked_in_at'),
    checked_in_by: integer('checked_in_by').references(() => users.id, { onDelete: 'set null' }),
    checked_out_at: text('checked_out_at'),
    checked_out_by: integer('checked_out_by').references(() => users.id, { onDelete: 'set null' }),
    cancelled_at: text('cancelled_at'),
    cancelled_by: integer('cancelled_by').references(() => users.id, { onDelete: 'set null' }),
    /** What the cancellation refunds, in cents (null unless cancelled). */
    refund_amount: money('refund_amount'),
    /** Set once by the cron run that claimed the booking's reminder (with that run's claim id). */
    reminder_sent_at: text('reminder_sent_at'),
    reminder_claim: text('reminder_claim'),
    ...timestamps(nowIsoMs),
  },
  (t) => [
    index('bookings_space_slot_idx').on(t.space_id, t.status, t.start, t.end),
    index('bookings_user_idx').on(t.user_id, t.start),
    index('bookings_workspace_idx').on(t.workspace_id, t.start),
    index('bookings_checked_in_by_idx').on(t.checked_in_by),
    index('bookings_checked_out_by_idx').on(t.checked_out_by),
    index('bookings_cancelled_by_idx').on(t.cancelled_by),
    index('bookings_hold_expiry_idx').on(t.expires_at).where(sql`status = 'pending'`),
    index('bookings_reminder_due_idx').on(t.start).where(sql`status = 'confirmed' AND reminder_sent_at IS NULL`),
    index('bookings_reminder_claim_idx').on(t.reminder_claim).where(sql`reminder_claim IS NOT NULL`),
    check('bookings_interval_check', sql`${t.start} < ${t.end}`),
    check('bookings_guests_check', sql`${t.guests} >= 1`),
  ],
);

/** The people a booker brings; each checks in with their own code. */
export const bookingGuests = sqliteTable(
  'booking_guests',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    booking_id: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    email: text('email').notNull(),
    /** SHA-256 (hex) of the guest's check-in code; null while the booking is a hold. */
    code_hash: text('code_hash'),
    checked_in_at: text('checked_in_at'),
    checked_in_by: integer('checked_in_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps(nowIsoMs),
  },
  (t) => [
    index('booking_guests_booking_idx').on(t.booking_id),
    uniqueIndex('booking_guests_code_unique').on(t.code_hash),
    index('booking_guests_checked_in_by_idx').on(t.checked_in_by),
  ],
);

/** One review per booking, by its booker; the space's public rating is their average. */
export const bookingReviews = sqliteTable(
  'booking_reviews',
  {
    id: text('id')
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    booking_id: text('booking_id')
      .notNull()
      .references(() => bookings.id, { onDelete: 'cascade' }),
    space_id: text('space_id')
      .notNull()
      .references(() => workspaceSpaces.id, { onDelete: 'cascade' }),
    user_id: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    rating: integer('rating').notNull(),
    comment: text('comment').notNull().default(''),
    ...timestamps(nowIsoMs),
  },
  (t) => [
    uniqueIndex('booking_reviews_booking_unique').on(t.booking_id),
    index('booking_reviews_space_idx').on(t.space_id, t.created_at),
    index('booking_reviews_user_idx').on(t.user_id),
    check('booking_reviews_rating_check', sql`${t.rating} BETWEEN 1 AND 5`),
  ],
);
