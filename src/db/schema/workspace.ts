/**
 * Workspaces (seed 002): a workspace owned by its admin, its branches (office locations), their
 * bookable spaces and the workspace's memberships. Ids are UUIDs (text primary keys), as the
 * workspace family serves them; people are `users` rows (integer id inside, `users.uuid` outside).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { bool, jsonCol, money, nowIsoMs, timestamps } from '../columns';
import { users } from './users';

const uuidPk = () =>
  text('id')
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());

export const MEMBER_ROLES = ['admin', 'manager', 'staff', 'user'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The reference's six space types, plus the seed's `private_office` (its own example uses it). */
export const SPACE_TYPES = ['meeting_room', 'office', 'coworking', 'event_space', 'desk', 'lounge', 'private_office'] as const;
export type SpaceType = (typeof SPACE_TYPES)[number];

export const workspaces = sqliteTable(
  'workspaces',
  {
    id: uuidPk(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** The owner: does everything in the workspace. Also holds an `admin` membership row. */
    admin_id: integer('admin_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    logo_url: text('logo_url'),
    website: text('website'),
    email: text('email'),
    phone: text('phone').notNull().default(''),
    address: text('address').notNull().default(''),
    city: text('city').notNull().default(''),
    state: text('state'),
    country: text('country').notNull().default(''),
    postal_code: text('postal_code'),
    social_media_links: jsonCol<Record<string, unknown>>('social_media_links')
      .notNull()
      .$defaultFn(() => ({})),
    is_active: bool('is_active').notNull().default(true),
    /** Set on the workspace created by admin onboarding, which may run once per admin. */
    via_onboarding: bool('via_onboarding').notNull().default(false),
    ...timestamps(nowIsoMs),
  },
  (t) => [
    uniqueIndex('workspaces_name_unique').on(t.name),
    uniqueIndex('workspaces_email_unique').on(t.email),
    index('workspaces_admin_idx').on(t.admin_id, t.created_at),
    uniqueIndex('workspaces_onboarding_once').on(t.admin_id).where(sql`via_onboarding = 1`),
  ],
);

export const workspaceBranches = sqliteTable(
  'workspace_branches',
  {
    id: uuidPk(),
    workspace_id: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /**
     * Null when none was given (the original's answer). Kept in `description_text` (migration 0009):
     * the first `description` column is NOT NULL DEFAULT '' and stays, unread.
     */
    description: text('description_text'),
    manager_id: integer('manager_id').references(() => users.id, { onDelete: 'set null' }),
    /** Opening rules, e.g. {"monday": {"open": "08:00", "close": "18:00"}}; null when none. */
    operating_hours: jsonCol<Record<string, unknown>>('operating_hours'),
    images: jsonCol<unknown[]>('images')
      .notNull()
      .$defaultFn(() => []),
    email: text('email'),
    phone: text('phone'),
    address: text('address').notNull().default(''),
    city: text('city').notNull().default(''),
    state: text('state'),
    country: text('country').notNull().default(''),
    postal_code: text('postal_code'),
    latitude: real('latitude'),
    longitude: real('longitude'),
    is_active: bool('is_active').notNull().default(true),
    ...timestamps(nowIsoMs),
  },
  (t) => [
    uniqueIndex('workspace_branches_name_unique').on(t.workspace_id, t.name),
    index('workspace_branches_workspace_idx').on(t.workspace_id, t.created_at),
    index('workspace_branches_manager_idx').on(t.manager_id),
  ],
);

export const workspaceMembers = sqliteTable(
  'workspace_members',
  {
    id: uuidPk(),
    workspace_id: text('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    user_id: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: MEMBER_ROLES }).notNull().default('staff'),
    is_active: bool('is_active').notNull().default(true),
    joined_at: text('joined_at').notNull().$defaultFn(nowIsoMs),
    updated_at: text('updated_at').notNull().$defaultFn(nowIsoMs).$onUpdateFn(nowIsoMs),
  },
  (t) => [
    uniqueIndex('workspace_members_unique').on(t.workspace_id, t.user_id),
    index('workspace_members_user_idx').on(t.user_id, t.is_active),
  ],
);

export const workspaceSpaces = sqliteTable(
  'workspace_spaces',
  {
    id: uuidPk(),
    branch_id: text('branch_id')
      .notNull()
      .references(() => workspaceBranches.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    space_type: text('space_type', { enum: SPACE_TYPES }).notNull(),
    capacity: integer('capacity').notNull(),
    /** The seed's `hourly_rate` (the original renamed it `price_per_hour`); both are served. */
    price_per_hour: money('price_per_hour').notNull(),
    daily_rate: money('daily_rate'),
    monthly_rate: money('monthly_rate'),
    image_url: text('image_url'),
    amenities: jsonCol<unknown[]>('amenities')
      .notNull()
      .$defaultFn(() => []),
    rules: text('rules'),
    cancellation_policy: text('cancellation_policy'),
    operational_hours: jsonCol<Record<string, unknown>>('operational_hours'),
    availability_schedule: jsonCol<Record<string, unknown>>('availability_schedule'),
    is_available: bool('is_available').notNull().default(true),
    ...timestamps(nowIsoMs),
  },
  (t) => [
    uniqueIndex('workspace_spaces_name_unique').on(t.branch_id, t.name),
    check('workspace_spaces_capacity_check', sql`${t.capacity} >= 1`),
    check(
      'workspace_spaces_rates_check',
      sql`${t.price_per_hour} >= 0 AND coalesce(${t.daily_rate}, 0) >= 0 AND coalesce(${t.monthly_rate}, 0) >= 0`,
    ),
  ],
);

/**
 * Photos of a space (issue 18), in the order the branch's managers chose: `file` is a stored R2 key
 * (or the URL a client sent). The first one is the space's `main_photo_url` in the public listing.
 */
export const workspaceSpacePhotos = sqliteTable(
  'workspace_space_photos',
  {
    id: uuidPk(),
    space_id: text('space_id')
      .notNull()
      .references(() => workspaceSpaces.id, { onDelete: 'cascade' }),
    file: text('file').notNull(),
    position: integer('position').notNull().default(0),
    created_at: text('created_at').notNull().$defaultFn(nowIsoMs),
  },
  (t) => [index('workspace_space_photos_space_idx').on(t.space_id, t.position)],
);
