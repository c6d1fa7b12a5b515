/**
 * Accounts / HR: the org structure (departments, designations, branches), staff roles (which double
 * as virtual assistants when `is_virtual`), staff and customer profiles, and referrals.
 * A StaffRole's id is also the assistant id used by the assistants module.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { baseModel, bool, nowIso } from '../columns';
import { users } from './users';

export const departments = sqliteTable('departments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
});

export const designations = sqliteTable('designations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
});

/** Org branches (SQL `org_branches`, so as not to clash with workspace branches). */
export const orgBranches = sqliteTable('org_branches', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
});

/** The original's users.Tag: tags attachable to staff roles (no endpoint manages them). */
export const userTags = sqliteTable('user_tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
});

export const staffRoles = sqliteTable(
  'staff_roles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    dashboard_url: text('dashboard_url'),
    is_virtual: bool('is_virtual').notNull().default(false),
    /** The assistant's system prompt when `is_virtual`. */
    prompt_context: text('prompt_context').notNull().default(''),
  },
  (t) => [index('staff_roles_is_virtual_idx').on(t.is_virtual, t.is_deleted)],
);

/** StaffRole.tags (many-to-many with user_tags). */
export const staffRoleTags = sqliteTable(
  'staff_role_tags',
  {
    role_id: integer('role_id')
      .notNull()
      .references(() => staffRoles.id, { onDelete: 'cascade' }),
    tag_id: integer('tag_id')
      .notNull()
      .references(() => userTags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.role_id, t.tag_id] }), index('staff_role_tags_tag_idx').on(t.tag_id)],
);

export const staffProfiles = sqliteTable(
  'staff_profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    /** Only used for virtual assistants or aliases. */
    name: text('name').notNull().default(''),
    /** One-to-one and nullable: virtual assistants have no user. */
    user: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    department: integer('department_id').references(() => departments.id, { onDelete: 'set null' }),
    designation: integer('designation_id').references(() => designations.id, { onDelete: 'set null' }),
    branch: integer('branch_id').references(() => orgBranches.id, { onDelete: 'set null' }),
    assigned_to: integer('assigned_to_id').references(() => users.id, { onDelete: 'set null' }),
    created_by: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    role: integer('role_id').references(() => staffRoles.id, { onDelete: 'set null' }),
  },
  (t) => [
    // One live profile per user; a soft-deleted profile does not block a new one.
    uniqueIndex('staff_profiles_user_unique').on(t.user).where(sql`${t.is_deleted} = 0`),
    index('staff_profiles_department_idx').on(t.department),
    index('staff_profiles_designation_idx').on(t.designation),
    index('staff_profiles_branch_idx').on(t.branch),
    index('staff_profiles_assigned_to_idx').on(t.assigned_to),
    index('staff_profiles_created_by_idx').on(t.created_by),
    index('staff_profiles_role_idx').on(t.role),
  ],
);

/** The original's accounts.Referral (no endpoint; referenced by customer profiles). */
export const referrals = sqliteTable(
  'referrals',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    code: text('code').notNull().default(''),
    referrer: integer('referrer_id').references(() => users.id, { onDelete: 'set null' }),
    created_at: text('created_at').notNull().$defaultFn(nowIso),
  },
  (t) => [index('referrals_referrer_idx').on(t.referrer)],
);

export const customerProfiles = sqliteTable(
  'customer_profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    user: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    referred_by: integer('referred_by_id').references(() => referrals.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('customer_profiles_user_unique').on(t.user).where(sql`${t.is_deleted} = 0`),
    index('customer_profiles_referred_by_idx').on(t.referred_by),
  ],
);
