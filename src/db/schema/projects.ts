/**
 * Projects: projects, their members (ProjectMember), milestones and comments.
 * Tasks live in ./tasks.ts and point at projects and milestones.
 *
 * Contract for readers of this file (the dashboard): `projects.created_by` (SQL `created_by_id`),
 * `projects.status`, `projects.due_date`; visibility rules are in src/modules/projects/access.ts.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { baseModel, bool, jsonCol, money } from '../columns';
import { users } from './users';

export const PROJECT_STATUSES = ['planning', 'active', 'paused', 'review', 'complete', 'cancelled', 'archived'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const PROJECT_ROLES = ['owner', 'manager', 'contributor', 'viewer'] as const;

export const projects = sqliteTable(
  'projects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    client_name: text('client_name').notNull().default(''),
    status: text('status', { enum: PROJECT_STATUSES }).notNull().default('planning'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('medium'),
    start_date: text('start_date').notNull(),
    due_date: text('due_date').notNull(),
    estimated_hours: integer('estimated_hours'),
    actual_hours: integer('actual_hours').notNull().default(0),
    budget: money('budget'),
    /** Stored: floor(completed tasks / tasks × 100), recomputed in the batch of every task write. */
    completion_percentage: integer('completion_percentage').notNull().default(0),
    tags: jsonCol('tags')
      .notNull()
      .$defaultFn(() => []),
    created_by: integer('created_by_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    index('projects_created_by_idx').on(t.created_by),
    index('projects_status_idx').on(t.status),
    index('projects_priority_idx').on(t.priority),
    index('projects_due_date_idx').on(t.due_date),
  ],
);

/** ProjectMember: who else sees (and, by role, edits) a project. */
export const projectMembers = sqliteTable(
  'project_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    project: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    user: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: PROJECT_ROLES }).notNull(),
  },
  (t) => [uniqueIndex('project_members_project_user_unique').on(t.project, t.user), index('project_members_user_idx').on(t.user)],
);

export const projectMilestones = sqliteTable(
  'project_milestones',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    project: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    due_date: text('due_date').notNull(),
    completed: bool('completed').notNull().default(false),
    reward: text('reward').notNull().default(''),
    achievement_date: text('achievement_date'),
  },
  (t) => [index('project_milestones_project_idx').on(t.project)],
);

export const projectComments = sqliteTable(
  'project_comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    project: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    user: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    content: text('content').notNull(),
    is_internal: bool('is_internal').notNull().default(true),
  },
  (t) => [index('project_comments_project_idx').on(t.project), index('project_comments_user_idx').on(t.user)],
);
