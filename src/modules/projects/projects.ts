/**
 * /api/projects/ and /api/projects/{id}/. The list serves `ProjectListItem`s; create, retrieve and
 * update serve the full `ProjectDetail` (tasks, milestones, comments, members, counts).
 * Counts come from one grouped query per page, never a query per project.
 */
import { and, asc, count, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { PatchedProject, ProjectRequest, Project_READ_ONLY } from '../../contract/tamiti/projects.gen';
import { contactField, publicName } from '../../core/contact';
import { drf } from '../../core/errors';
import { publish } from '../../core/events';
import type { Kit, ResourceDef, Row } from '../../core/resource';
import { todayIso } from '../../db/columns';
import { projectComments, projectMembers, projectMilestones, projects } from '../../db/schema/projects';
import { tasks } from '../../db/schema/tasks';
import { users } from '../../db/schema/users';
import { TASK_ORDER, deletionEvents, serializeTasks } from '../tasks/service';
import type { TaskRow } from '../tasks/service';
import { atLeast, projectAccess, projectVisibleTo } from './access';
import { PaginatedProjectListItemList, ProjectDetail, ProjectListItem } from './schemas';

const CLOSED = new Set(['complete', 'cancelled', 'archived']);

/** A project is overdue when today (UTC) is past its due date and it is not complete, cancelled or archived. */
export const projectIsOverdue = (p: { due_date: string; status: string }, today = todayIso()) =>
  !CLOSED.has(p.status) && today > p.due_date;

/** task_count / completed_task_count for a page of projects, in one grouped query. */
async function taskCounts(k: Kit, ids: number[]) {
  const rows = ids.length
    ? await k.db
        .select({
          project: tasks.project,
          total: count(),
          done: sql<number>`coalesce(sum(${tasks.is_completed}), 0)`,
        })
        .from(tasks)
        .where(inArray(tasks.project, ids))
        .groupBy(tasks.project)
    : [];
  return new Map(rows.map((r) => [r.project as number, { total: r.total, done: Number(r.done) }]));
}

const withCounts = (row: Row, counts: Map<number, { total: number; done: number }>) => ({
  ...row,
  task_count: counts.get(row.id)?.total ?? 0,
  completed_task_count: counts.get(row.id)?.done ?? 0,
  is_overdue: projectIsOverdue(row as unknown as { due_date: string; status: string }),
});

/** `get_full_name`: first and last name, trimmed (no fallback to the username). */
export const fullName = sql<string>`trim(${users.first_name} || ' ' || ${users.last_name})`;

/** Full projects: counts, tasks, milestones, comments and members, in two round trips for any number of rows. */
async function expandDetail(k: Kit, rows: Row[]) {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [taskRows, milestoneRows, commentRows, memberRows] = (await k.db.batch([
    k.db
      .select()
      .from(tasks)
      .where(inArray(tasks.project, ids))
      .orderBy(...TASK_ORDER),
    k.db.select().from(projectMilestones).where(inArray(projectMilestones.project, ids)).orderBy(asc(projectMilestones.id)),
    k.db
      .select({ comment: projectComments, user_name: fullName })
      .from(projectComments)
      .innerJoin(users, eq(users.id, projectComments.user))
      .where(inArray(projectComments.project, ids))
      .orderBy(asc(projectComments.id)),
    k.db
      .select({ member: projectMembers, user_email: users.email })
      .from(projectMembers)
      .innerJoin(users, eq(users.id, projectMembers.user))
      .where(inArray(projectMembers.project, ids))
      .orderBy(asc(projectMembers.id)),
  ])) as unknown as [
    TaskRow[],
    (typeof projectMilestones.$inferSelect)[],
    { comment: typeof projectComments.$inferSelect; user_name: string }[],
    { member: typeof projectMembers.$inferSelect; user_email: string }[],
  ];
  const serialized = await serializeTasks(k.db, k.user, taskRows);
  const counts = new Map<number, { total: number; done: number }>();
  const group = <T>(items: T[], projectOf: (t: T) => number | null) => {
    const map = new Map<number, T[]>();
    for (const item of items) {
      const pid = projectOf(item);
      if (pid != null) map.set(pid, [...(map.get(pid) ?? []), item]);
    }
    return map;
  };
  taskRows.forEach((t) => {
    const c = counts.get(t.project!) ?? { total: 0, done: 0 };
    c.total += 1;
    if (t.is_completed) c.done += 1;
    counts.set(t.project!, c);
  });
  const tasksBy = group(serialized, (t) => t.project as number);
  const milestonesBy = group(milestoneRows, (m) => m.project);
  const commentsBy = group(
    commentRows.map((r) => ({ ...r.comment, user_name: publicName(k.user, r.comment.user, r.user_name) })),
    (c) => c.project,
  );
  const membersBy = group(
    memberRows.map((r) => ({ ...r.member, user_email: contactField(k.user, r.member.user, r.user_email) })),
    (m) => m.project,
  );
  return rows.map((row) => ({
    ...withCounts(row, counts),
    tasks: tasksBy.get(row.id) ?? [],
    milestones: milestonesBy.get(row.id) ?? [],
    comments: commentsBy.get(row.id) ?? [],
    members: membersBy.get(row.id) ?? [],
  }));
}

const readOnly = [...Project_READ_ONLY, 'is_deleted', 'deleted_at'];

const base = {
  path: '/projects/',
  operationId: 'projects',
  tag: 'projects',
  model: 'Project',
  table: projects,
  scope: (k: Kit) => projectVisibleTo(k.user.id),
  readOnly,
} satisfies Partial<ResourceDef>;

/** GET /api/projects/: summaries; filters status, priority (exact), name (icontains); `?search=` name/description. */
export const projectListResource: ResourceDef = {
  ...base,
  schemas: { read: ProjectListItem, write: ProjectRequest, patch: PatchedProject, page: PaginatedProjectListItemList },
  actions: ['list'],
  search: [projects.name, projects.description],
  filters: {
    status: { column: projects.status, description: 'planning, active, paused, review, complete, cancelled or archived.' },
    priority: { column: projects.priority, description: 'low, medium, high or critical.' },
    name: { column: projects.name, op: 'icontains', description: 'Name contains (case-insensitive).' },
  },
  expand: async (k, rows) => {
    const counts = await taskCounts(
      k,
      rows.map((r) => r.id),
    );
    return rows.map((r) => withCounts(r, counts));
  },
};

/** Create / retrieve / update / delete. Changing or deleting a project takes its creator or an owner/manager member. */
export const projectResource: ResourceDef = {
  ...base,
  schemas: { read: ProjectDetail, write: ProjectRequest, patch: PatchedProject },
  actions: ['create', 'retrieve', 'update', 'partial_update', 'destroy'],
  can: async (k, action, row) => {
    if (action === 'create' || action === 'retrieve' || !row) return true;
    if (row.created_by === k.user.id) return true;
    return atLeast((await projectAccess(k.db, k.user.id, row.id))?.level, 'manage');
  },
  prepare: (k, values, existing) => {
    // The generated request schema lets these through; the model does not (DRF: blank name, null JSON).
    if (values.name === '') throw drf.field('name', 'This field may not be blank.');
    if (values.tags === null) throw drf.field('tags', 'This field may not be null.');
    return existing ? values : { ...values, created_by: k.user.id };
  },
  expand: expandDetail,
  // Deleting cascades to tasks, milestones, comments and members (foreign keys); each cascaded task
  // with an assignee tells them, as a direct delete does.
  sideEffects: async (k, ev) => {
    if (ev.action === 'destroy' && ev.existing) {
      ev.values.cascaded = await k.db
        .select({ id: tasks.id, assigned_to: tasks.assigned_to })
        .from(tasks)
        .where(and(eq(tasks.project, ev.existing.id), isNotNull(tasks.assigned_to)));
    }
    return [];
  },
  after: (k, ev) => {
    if (ev.action === 'destroy') publish(k.c, ...deletionEvents((ev.values.cascaded as TaskRow[]) ?? [], k.user.id));
  },
};
