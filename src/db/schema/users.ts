/**
 * Identity, shared by both API families: one users table (integer id for Tamiti, uuid for the
 * workspace family), preferences, refresh-token families, and the dev mailbox.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, nowIso } from '../columns';

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    uuid: text('uuid')
      .notNull()
      .$defaultFn(() => crypto.randomUUID()),
    username: text('username').notNull(),
    email: text('email').notNull(),
    phone: text('phone'),
    password: text('password').notNull().default(''),
    full_name: text('full_name').notNull().default(''),
    first_name: text('first_name').notNull().default(''),
    last_name: text('last_name').notNull().default(''),
    role: text('role', { enum: ['Admin', 'Staff', 'Customer'] })
      .notNull()
      .default('Staff'),
    is_verified: bool('is_verified').notNull().default(false),
    is_active: bool('is_active').notNull().default(true),
    is_staff: bool('is_staff').notNull().default(false),
    avatar: text('avatar'),
    avatar_url: text('avatar_url'),
    bio: text('bio'),
    google_id: text('google_id'),
    force_password_change: bool('force_password_change').notNull().default(false),
    total_tasks_completed: integer('total_tasks_completed').notNull().default(0),
    streak_days: integer('streak_days').notNull().default(0),
    current_streak_started: text('current_streak_started'),
    last_seen: text('last_seen').$defaultFn(nowIso),
    last_login: text('last_login'),
    date_joined: text('date_joined').notNull().$defaultFn(nowIso),
    /**
     * Carried in access tokens as `tv`; bumped by a password reset or change, a deactivation and a
     * role change, so older access tokens stop working at once.
     */
    token_version: integer('token_version').notNull().default(0),
  },
  (t) => [
    uniqueIndex('users_uuid_unique').on(t.uuid),
    uniqueIndex('users_username_unique').on(t.username),
    uniqueIndex('users_email_lower_unique').on(sql`lower(${t.email})`),
    uniqueIndex('users_phone_unique').on(t.phone),
    index('users_google_id_idx').on(t.google_id),
  ],
);

export const userPreferences = sqliteTable('user_preferences', {
  user_id: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  dark_mode: bool('dark_mode').notNull().default(true),
  language: text('language').notNull().default('en'),
  daily_summary: bool('daily_summary').notNull().default(true),
  email_notifications: bool('email_notifications').notNull().default(true),
});

/**
 * Refresh tokens, one row per issued token. Kept in D1 (not KV) because rotation needs an atomic
 * "mark used if unused" to detect replays; a replay revokes the whole family.
 */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    jti: text('jti').primaryKey(),
    family: text('family').notNull(),
    user_id: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expires_at: integer('expires_at').notNull(),
    used_at: integer('used_at'),
    revoked_at: integer('revoked_at'),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.family), index('refresh_tokens_user_idx').on(t.user_id)],
);

/**
 * Password-reset codes of the workspace family, one row per email address (by hash, so unknown
 * addresses get the same cool-down and cap as real ones and the table names nobody). Kept in D1
 * because "count a try if fewer than 5" and "use once" must each be one atomic statement.
 * Times are Unix seconds.
 */
export const passwordResetCodes = sqliteTable(
  'password_reset_codes',
  {
    /** SHA-256 of the lower-cased address and the server secret. */
    email_hash: text('email_hash').primaryKey(),
    /** SHA-256 of the address, the code and the server secret. */
    code_hash: text('code_hash').notNull(),
    issued_at: integer('issued_at').notNull(),
    expires_at: integer('expires_at').notNull(),
    /** Confirmation tries of the current code (right or wrong); the 5th is the last. */
    attempts: integer('attempts').notNull().default(0),
    used_at: integer('used_at'),
    /** Random id of the confirmation that used the code, so its password write joins the same batch. */
    consumed_by: text('consumed_by'),
    /** Start of the 24-hour window in which at most 5 codes are sent. */
    window_started_at: integer('window_started_at').notNull(),
    sends_in_window: integer('sends_in_window').notNull().default(1),
  },
  (t) => [index('password_reset_codes_window_idx').on(t.window_started_at)],
);

/**
 * One-time links already used (Tamiti password-reset links): inserting the jti is the atomic
 * "use once". Rows are kept until the link would have expired anyway.
 */
export const usedLinkTokens = sqliteTable(
  'used_link_tokens',
  {
    jti: text('jti').primaryKey(),
    user_id: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    expires_at: integer('expires_at').notNull(),
    used_at: integer('used_at').notNull(),
    /** Random id of the request that used the link, so its password write joins the same batch. */
    nonce: text('nonce').notNull(),
  },
  (t) => [index('used_link_tokens_expires_idx').on(t.expires_at), index('used_link_tokens_user_idx').on(t.user_id)],
);

/** Mail delivered by the console transport, readable at /api/dev/mailbox/ in development. */
export const devMailbox = sqliteTable(
  'dev_mailbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    message_id: text('message_id').notNull(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    text: text('text').notNull(),
    created_at: text('created_at').notNull().$defaultFn(nowIso),
  },
  (t) => [uniqueIndex('dev_mailbox_message_unique').on(t.message_id), index('dev_mailbox_to_idx').on(t.to, t.id)],
);
