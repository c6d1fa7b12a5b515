/**
 * Chat: channels with their members, channel messages, direct threads (one per pair of users)
 * with their messages, and per-user read state. Channels, threads and messages are soft-deleted
 * (the original's BaseModel); memberships and read state are hard-deleted.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { baseModel, bool, nowIso } from '../columns';
import { users } from './users';

export const chatChannels = sqliteTable(
  'chat_channels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    name: text('name').notNull(),
    type: text('type', { enum: ['public', 'private', 'direct'] })
      .notNull()
      .default('public'),
    is_private: bool('is_private').notNull().default(false),
    created_by: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    description: text('description').notNull().default(''),
  },
  (t) => [index('chat_channels_created_by_idx').on(t.created_by), index('chat_channels_private_idx').on(t.is_private)],
);

export const chatChannelMembers = sqliteTable(
  'chat_channel_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: integer('channel_id')
      .notNull()
      .references(() => chatChannels.id, { onDelete: 'cascade' }),
    user: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    is_admin: bool('is_admin').notNull().default(false),
    joined_at: text('joined_at').notNull().$defaultFn(nowIso),
    last_read_at: text('last_read_at'),
  },
  (t) => [
    uniqueIndex('chat_channel_members_pair_unique').on(t.channel, t.user),
    index('chat_channel_members_user_idx').on(t.user, t.channel),
  ],
);

export const chatChannelMessages = sqliteTable(
  'chat_channel_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    channel: integer('channel_id')
      .notNull()
      .references(() => chatChannels.id, { onDelete: 'cascade' }),
    sender: integer('sender_id').references(() => users.id, { onDelete: 'set null' }),
    content: text('content').notNull().default(''),
    timestamp: text('timestamp').notNull().$defaultFn(nowIso),
  },
  (t) => [
    index('chat_channel_messages_channel_ts_idx').on(t.channel, t.timestamp, t.id),
    index('chat_channel_messages_sender_idx').on(t.sender),
  ],
);

export const chatDirectThreads = sqliteTable(
  'chat_direct_threads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    // Normalised so that user_1 < user_2: one live thread per pair.
    user_1: integer('user_1_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    user_2: integer('user_2_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    // A deleted thread no longer blocks the pair (the original's unique index did, with a 500).
    uniqueIndex('chat_direct_threads_pair_unique').on(t.user_1, t.user_2).where(sql`is_deleted = 0`),
    index('chat_direct_threads_user_2_idx').on(t.user_2),
  ],
);

export const chatDirectMessages = sqliteTable(
  'chat_direct_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    thread: integer('thread_id')
      .notNull()
      .references(() => chatDirectThreads.id, { onDelete: 'cascade' }),
    sender: integer('sender_id').references(() => users.id, { onDelete: 'set null' }),
    content: text('content').notNull().default(''),
    timestamp: text('timestamp').notNull().$defaultFn(nowIso),
  },
  (t) => [
    index('chat_direct_messages_thread_ts_idx').on(t.thread, t.timestamp, t.id),
    index('chat_direct_messages_sender_idx').on(t.sender),
  ],
);

/** Each participant's read position in a direct thread. */
export const chatThreadReads = sqliteTable(
  'chat_thread_reads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    thread: integer('thread_id')
      .notNull()
      .references(() => chatDirectThreads.id, { onDelete: 'cascade' }),
    user: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    last_read_at: text('last_read_at'),
  },
  (t) => [uniqueIndex('chat_thread_reads_pair_unique').on(t.thread, t.user), index('chat_thread_reads_user_idx').on(t.user)],
);

/**
 * Posting rate per user, across every room and both paths (REST and sockets): one row per user
 * with the current fixed window. The room's store batch bumps it and stores a message only while
 * the count is within the limit, in the same transaction, so parallel posts cannot overshoot.
 * No foreign key: a user deleted a moment ago must not fail the other messages of the batch.
 */
export const chatPostRates = sqliteTable('chat_post_rates', {
  user: integer('user_id').primaryKey(),
  window_start: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/**
 * One row per open room socket, living until the socket closes or its token expires: caps the
 * sockets a user holds across rooms, and tells which rooms to reach when a user must be cut off.
 */
export const chatSocketLeases = sqliteTable(
  'chat_socket_leases',
  {
    sid: text('sid').primaryKey(),
    user: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    room_kind: text('room_kind', { enum: ['channel', 'thread'] }).notNull(),
    room_id: integer('room_id').notNull(),
    /** Epoch milliseconds: the token's expiry, after which the room closes the socket. */
    expires_at: integer('expires_at').notNull(),
  },
  (t) => [index('chat_socket_leases_user_idx').on(t.user, t.expires_at)],
);

/**
 * Files attached to a channel or direct message (issue 18): the R2 key (`file`), the sanitised
 * original name, the type sniffed from the bytes and the size. `kind` says which message table
 * `message_id` points into (messages are soft-deleted, so no cascade is needed).
 */
export const chatAttachments = sqliteTable(
  'chat_attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['channel', 'thread'] }).notNull(),
    message: integer('message_id').notNull(),
    file: text('file').notNull(),
    name: text('name').notNull(),
    content_type: text('content_type').notNull(),
    size: integer('size').notNull(),
    uploaded_at: text('uploaded_at').notNull().$defaultFn(nowIso),
  },
  (t) => [index('chat_attachments_message_idx').on(t.kind, t.message, t.id)],
);
