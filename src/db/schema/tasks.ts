/**
 * Tasks and their dependencies. A task may belong to a project (or none: a personal task).
 *
 * Contract for readers of this file (the dashboard): `tasks.assigned_to` (SQL `assigned_to_id`),
 * `tasks.is_completed`, `tasks.due_date` (UTC ISO datetime), `tasks.project` (SQL `project_id`),
 * `tasks.created_by` (SQL `created_by_id`); visibility rules are in src/modules/projects/access.ts.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { baseModel, bool, jsonCol } from '../columns';
import { PRIORITIES, projectMilestones, projects } from './projects';
import { users } from './users';

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export const ORIGIN_APPS = ['tasks', 'projects', 'digital', 'leads', ''] as const;

export const tasks = sqliteTable(
  'tasks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...baseModel(),
    project: integer('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: TASK_STATUSES }).notNull().default('todo'),
    priority: text('priority', { enum: PRIORITIES }).notNull().default('medium'),
    due_date: text('due_date'),
    estimated_hours: integer('estimated_hours'),
    actual_hours: integer('actual_hours').default(0),
    assigned_to: integer('assigned_to_id').references(() => users.id, { onDelete: 'set null' }),
    milestone: integer('milestone_id').references(() => projectMilestones.id, { onDelete: 'set null' }),
    origin_app: text('origin_app', { enum: ORIGIN_APPS }).notNull().default(''),
    created_by: integer('created_by_id').references(() => users.id, { onDelete: 'set null' }),
    /** Free tags (a JSON list of strings). */
    tags: jsonCol<string[]>('tags')
      .notNull()
      .$defaultFn(() => []),
    notes: text('notes').notNull().default(''),
    position: integer('position').notNull().default(0),
    is_completed: bool('is_completed').notNull().default(false),
    completed_at: text('completed_at'),
  },
  (t) => [
    index('tasks_project_order_idx').on(t.project, t.is_completed, t.position, t.due_date),
    index('tasks_order_idx').on(t.is_completed, t.position, t.due_date),
    index('tasks_assigned_to_idx').on(t.assigned_to, t.is_completed),
    index('tasks_created_by_idx').on(t.created_by),
    index('tasks_milestone_idx').on(t.milestone),
    index('tasks_status_idx').on(t.status),
    index('tasks_priority_idx').on(t.priority),
    index('tasks_due_date_idx').on(t.due_date),
  ],
);

/** Task.dependencies: `task` depends on `depends_on`. */
export const taskDependencies = sqliteTable(
  'task_dependencies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    task: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    depends_on: integer('depends_on_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
  },
  (t) => [
    uniqueIndex('task_dependencies_pair_unique').on(t.task, t.depends_on),
    index('task_dependencies_depends_on_idx').on(t.depends_on),
  ],
);
