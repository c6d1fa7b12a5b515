/**
 * Notifications, written only by the NOTIFICATIONS queue consumer, and the messages that reached
 * the dead-letter queue.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, jsonCol, nowIso } from '../columns';
import { users } from './users';

export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    recipient: integer('recipient_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    actor: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    verb: text('verb').notNull(),
    url: text('url').notNull().default(''),
    target_type: text('target_type'),
    target_id: text('target_id'),
    is_read: bool('is_read').notNull().default(false),
    created_at: text('created_at').notNull().$defaultFn(nowIso),
    /** The event's id: a redelivered event inserts nothing (ON CONFLICT DO NOTHING). */
    event_id: text('event_id').notNull(),
  },
  (t) => [
    uniqueIndex('notifications_event_unique').on(t.event_id),
    index('notifications_recipient_created_idx').on(t.recipient, t.created_at),
    index('notifications_recipient_read_idx').on(t.recipient, t.is_read),
    index('notifications_actor_idx').on(t.actor),
  ],
);

/** Messages that kept failing and were moved to a dead-letter queue (or were malformed). */
export const deadLetters = sqliteTable(
  'dead_letters',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    queue: text('queue').notNull(),
    /** The event id when the body carries one; a redelivered dead letter is recorded once. */
    event_id: text('event_id'),
    body: jsonCol('body'),
    reason: text('reason'),
    received_at: text('received_at').notNull().$defaultFn(nowIso),
  },
  (t) => [uniqueIndex('dead_letters_event_unique').on(t.queue, t.event_id), index('dead_letters_received_idx').on(t.received_at)],
);
