/**
 * Virtual assistants. An assistant IS a StaffRole with `is_virtual = true` (accounts schema); this
 * file holds what hangs off it: canned commands, default (offline) responses, the model setting,
 * the log of every exchange and the per-user chat rate counter.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { bool, nowIso, timestamps } from '../columns';
import { staffRoles } from './accounts';
import { users } from './users';

export const vaCommands = sqliteTable(
  'va_commands',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...timestamps(),
    role: integer('role_id')
      .notNull()
      .references(() => staffRoles.id, { onDelete: 'cascade' }),
    trigger: text('trigger').notNull(),
    match_type: text('match_type', { enum: ['exact', 'contains'] })
      .notNull()
      .default('exact'),
    response_mode: text('response_mode', { enum: ['text', 'api'] })
      .notNull()
      .default('text'),
    response_text: text('response_text').notNull().default(''),
    api_endpoint: text('api_endpoint').notNull().default(''),
    /** Stored as the original does; it grants nothing (chat already requires authentication). */
    requires_auth: bool('requires_auth').notNull().default(false),
  },
  (t) => [index('va_commands_role_idx').on(t.role, t.id)],
);

export const defaultResponses = sqliteTable(
  'default_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...timestamps(),
    role: integer('role_id')
      .notNull()
      .references(() => staffRoles.id, { onDelete: 'cascade' }),
    /** Informational: the original ignores it and always uses the first response. */
    condition: text('condition').notNull().default(''),
    fallback_text: text('fallback_text').notNull(),
  },
  (t) => [index('default_responses_role_idx').on(t.role, t.id)],
);

/** Per-assistant model settings (the system prompt is the role's `prompt_context`). */
export const assistantSettings = sqliteTable('assistant_settings', {
  role: integer('role_id')
    .primaryKey()
    .references(() => staffRoles.id, { onDelete: 'cascade' }),
  model: text('model').notNull(),
});

export const assistantLogs = sqliteTable(
  'assistant_logs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    user: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    role: integer('role_id')
      .notNull()
      .references(() => staffRoles.id, { onDelete: 'cascade' }),
    message: text('message').notNull(),
    reply: text('reply').notNull(),
    /** True only when a model actually produced the reply. */
    used_gpt: bool('used_gpt').notNull().default(false),
    model: text('model'),
    created_at: text('created_at').notNull().$defaultFn(nowIso),
  },
  (t) => [index('assistant_logs_user_idx').on(t.user, t.created_at), index('assistant_logs_role_idx').on(t.role, t.created_at)],
);

/**
 * Chat rate limit: one row per user, the current minute window and its count, bumped with one
 * atomic upsert (KV's read-then-write would let concurrent requests through).
 */
export const assistantChatRate = sqliteTable('assistant_chat_rate', {
  user: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  window: integer('window').notNull(),
  count: integer('count').notNull(),
});
