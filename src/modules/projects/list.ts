/**
 * GET /api/projects/: the list of projects as summaries (`ProjectListItem`), with their task counts
 * in the page's own batch (one round trip). Its own module: a first list builds neither the detail's
 * schemas (its tasks, members, milestones and comments) nor the other routes of /api/projects/
 * (src/app.ts serves GETs of the list from it; ./projects.ts mounts it again with the rest).
 */
import { z } from '@hono/zod-openapi';
import { count, type SQL, sql } from 'drizzle-orm';
import { PatchedProject, Project_READ_ONLY, ProjectRequest, ProjectStatus } from '../../contract/tamiti/projects/projects.gen';
import { paginated, PriorityEnum } from '../../contract/tamiti/shared.gen';
import type { Expansion, Kit, ResourceDef } from '../../core/resource';
import type { Db } from '../../db';
import { todayIso } from '../../db/columns';
import { projects } from '../../db/schema/projects';
import { tasks } from '../../db/schema/tasks';
import { projectVisibleTo } from './access';

/** The counts a project carries as listed and in detail. */
export const counts = {
  task_count: z.number().int().openapi({ readOnly: true, description: 'Tasks in the project (any status).' }),
  completed_task_count: z.number().int().openapi({ readOnly: true, description: 'Tasks with is_completed = true.' }),
  is_overdue: z.boolean().openapi({ readOnly: true, description: 'Past its due date and not complete, cancelled or archived.' }),
};

/**
 * The list item. The reference names it `ProjectSummary`, but that component is the dashboard's
 * `{total, active, completed}` (a drf-spectacular name clash); the list really serves the original's
 * ProjectSummarySerializer fields, registered here as `ProjectListItem`.
 */
export const ProjectListItem = z
  .object({
    id: z.number().int().openapi({ readOnly: true }),
    name: z.string(),
    status: ProjectStatus,
    priority: PriorityEnum,
    completion_percentage: z.number().int().openapi({ readOnly: true }),
    due_date: z.string().openapi({ format: 'date' }),
    ...counts,
  })
  .openapi('ProjectListItem');

export const PaginatedProjectListItemList = paginated(ProjectListItem, 'PaginatedProjectListItemList');

const CLOSED = new Set(['complete', 'cancelled', 'archived']);

/** A project is overdue when today (UTC) is past its due date and it is not complete, cancelled or archived. */
export const projectIsOverdue = (p: { due_date: string; status: string }, today = todayIso()) =>
  !CLOSED.has(p.status) && today > p.due_date;

export type ProjectRow = typeof projects.$inferSelect;
export interface TaskCount {
  project: number | null;
  total: number;
  done: number;
}

/** task_count / completed_task_count of the projects `ids` selects, as one grouped statement. */
const taskCountsStmt = (db: Db, ids: SQL) =>
  db
    .select({ project: tasks.project, total: count(), done: sql<number>`coalesce(sum(${tasks.is_completed}), 0)` })
    .from(tasks)
    .where(sql`${tasks.project} in ${ids}`)
    .groupBy(tasks.project);

export const withCounts = (row: ProjectRow, counts: Map<number | null, TaskCount>) => ({
  ...row,
  task_count: counts.get(row.id)?.total ?? 0,
  completed_task_count: Number(counts.get(row.id)?.done ?? 0),
  is_overdue: projectIsOverdue(row),
});

/** The list's counts, in the page's own batch (an expansion's results come back untyped, as the kit's `loaded`). */
const countsExpansion: Expansion<ProjectRow> = {
  load: (k, ids) => [taskCountsStmt(k.db, ids)],
  attach: (_k, rows, [counts]) => {
    const byProject = new Map((counts as TaskCount[]).map((c) => [c.project, c]));
    return rows.map((r) => withCounts(r, byProject));
  },
};

const readOnly = [...Project_READ_ONLY, 'is_deleted', 'deleted_at'];

/** What the list and the detail resources share. */
export const base = {
  path: '/projects/',
  operationId: 'projects',
  tag: 'projects',
  model: 'Project',
  table: projects,
  scope: (k: Kit) => projectVisibleTo(k.user.id),
  readOnly,
} satisfies Partial<ResourceDef<typeof projects>>;

/** GET /api/projects/: summaries; filters status, priority (exact), name (icontains); `?search=` name/description. */
export const projectListResource: ResourceDef<typeof projects> = {
  ...base,
  schemas: { read: ProjectListItem, write: ProjectRequest, patch: PatchedProject, page: PaginatedProjectListItemList },
  actions: ['list'],
  search: [projects.name, projects.description],
  filters: {
    status: { column: projects.status, description: 'planning, active, paused, review, complete, cancelled or archived.' },
    priority: { column: projects.priority, description: 'low, medium, high or critical.' },
    name: { column: projects.name, op: 'icontains', description: 'Name contains (case-insensitive).' },
  },
  expansion: countsExpansion,
};
