/**
 * Field sales: zones, leads (with a computed `lead_score`), visits (which may be converted into a
 * lead) and lead actions. Every table carries the BaseModel fields; deletes are soft.
 */
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { baseModel, bool, jsonCol, nowIso } from '../columns';
import { users } from './users';

export const zones = sqliteTable(
  'zones',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    name: text('name').notNull(),
    region: text('region'),
    created_by: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('zones_created_by_idx').on(t.created_by), index('zones_is_deleted_idx').on(t.is_deleted)],
);

export const leadStages = ['prospect', 'qualified', 'negotiation', 'won', 'lost'] as const;
export const leadPriorities = ['low', 'medium', 'high', 'critical'] as const;
export const followUpTypes = ['call', 'demo', 'meeting', 'install', 'checkin'] as const;

export const leads = sqliteTable(
  'leads',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    business_name: text('business_name').notNull(),
    contact_name: text('contact_name').notNull().default(''),
    contact_phone: text('contact_phone').notNull(),
    contact_email: text('contact_email'),
    stage: text('stage', { enum: leadStages }).notNull().default('prospect'),
    source: text('source').notNull().default(''),
    products_discussed: jsonCol<unknown>('products_discussed')
      .notNull()
      .$defaultFn(() => []),
    notes: text('notes').notNull().default(''),
    follow_up_type: text('follow_up_type').notNull().default(''),
    follow_up_date: text('follow_up_date'),
    /** Computed by `leadScore` (src/modules/field/lead-score.ts); never written by clients. */
    lead_score: integer('lead_score').notNull().default(0),
    priority: text('priority', { enum: leadPriorities }).notNull().default('medium'),
    documents: text('documents'),
    tags: text('tags').notNull().default(''),
    zone: integer('zone_id').references(() => zones.id, { onDelete: 'set null' }),
    assigned_rep: integer('assigned_rep_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('leads_zone_idx').on(t.zone),
    index('leads_assigned_rep_idx').on(t.assigned_rep),
    index('leads_stage_idx').on(t.stage),
    index('leads_priority_idx').on(t.priority),
    index('leads_source_idx').on(t.source),
    index('leads_lead_score_idx').on(t.lead_score),
    index('leads_follow_up_date_idx').on(t.follow_up_date),
    index('leads_created_at_idx').on(t.created_at),
    // The default list: live leads newest first; also makes the list's count an index scan.
    index('leads_live_created_idx').on(t.is_deleted, t.created_at, t.id),
  ],
);

export const visits = sqliteTable(
  'visits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    location: text('location').notNull(),
    date_time: text('date_time').notNull().$defaultFn(nowIso),
    business_name: text('business_name').notNull(),
    contact_name: text('contact_name').notNull().default(''),
    contact_phone: text('contact_phone').notNull(),
    contact_email: text('contact_email'),
    products_discussed: jsonCol<unknown>('products_discussed')
      .notNull()
      .$defaultFn(() => []),
    visit_outcome: text('visit_outcome').notNull().default(''),
    feedback_notes: text('feedback_notes').notNull().default(''),
    follow_up_type: text('follow_up_type').notNull().default(''),
    follow_up_date: text('follow_up_date'),
    next_step_agreed: text('next_step_agreed').notNull().default(''),
    prompt_given: bool('prompt_given').notNull().default(false),
    customer_agreed_contact: bool('customer_agreed_contact').notNull().default(true),
    add_as_lead: bool('add_as_lead').notNull().default(false),
    code_verified: bool('code_verified').notNull().default(false),
    rep: integer('rep_id').references(() => users.id, { onDelete: 'set null' }),
    zone: integer('zone_id').references(() => zones.id, { onDelete: 'set null' }),
    /** One-to-one: a lead is linked to at most one visit. */
    linked_lead: integer('linked_lead_id').references(() => leads.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('visits_linked_lead_unique').on(t.linked_lead).where(sql`${t.linked_lead} IS NOT NULL`),
    index('visits_rep_idx').on(t.rep),
    index('visits_zone_idx').on(t.zone),
    index('visits_visit_outcome_idx').on(t.visit_outcome),
    index('visits_date_time_idx').on(t.date_time),
  ],
);

export const leadActions = sqliteTable(
  'lead_actions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    type: text('type', { enum: followUpTypes }).notNull(),
    date: text('date').notNull().$defaultFn(nowIso),
    notes: text('notes').notNull().default(''),
    outcome: text('outcome').notNull().default(''),
    next_follow_up: text('next_follow_up'),
    lead: integer('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    created_by: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('lead_actions_lead_idx').on(t.lead, t.is_deleted), index('lead_actions_created_by_idx').on(t.created_by)],
);
