/**
 * /api/projects/ and /api/projects/{id}/. The list (./list.ts) serves `ProjectListItem`s; create,
 * retrieve and update serve the full `ProjectDetail` (tasks, milestones, comments, members, counts).
 * Round trips: a GET is one (the page's task counts, or the project's tasks, milestones, comments
 * and members, load in the rows' own batch); a write two (the row with the caller's access to the
 * project, then one batch with the write and the read-back).
 */
import { z } from '@hono/zod-openapi';
import { and, asc, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { PatchedProject, Project, ProjectRequest } from '../../contract/tamiti/projects/projects.gen';
import { drf } from '../../core/errors';
import type { Expansion, Kit, ResourceDef } from '../../core/resource';
import { type AnyTable, childrenStmt, groupBy } from '../../db';
import { projectComments, projectMembers, projectMilestones, type projects } from '../../db/schema/projects';
import { tasks } from '../../db/schema/tasks';
import { deletionEvents, presentTasks, TASK_ORDER, type TaskRow, taskExpansion } from '../tasks/service';
import { accessCheck, requireLevel } from './access';
import { commentAuthors, memberEmails } from './expansions';
import { TaskRead } from '../tasks/schemas';
import { base, counts, type ProjectRow, type TaskCount, withCounts } from './list';
import { ProjectMemberEntry } from './schemas';

/**
 * The reference's `Project` with real types (counts are integers, `is_overdue` a boolean, `tasks`
 * an array of tasks), as create, retrieve and update serve it.
 */
export const ProjectDetail = z
  .object({
    ...Project.shape,
    tasks: z.array(TaskRead).openapi({ readOnly: true, description: 'The project’s tasks, ordered as the task list.' }),
    members: z.array(ProjectMemberEntry).openapi({ readOnly: true }),
    ...counts,
  })
  .openapi('ProjectDetail');

/** The ids of the children (rows of `table` whose `fk` is in `ids`), as a subquery. */
const childIds = (table: AnyTable, fk: SQLiteColumn, ids: SQL) => sql`(select ${table.id} from ${table} where ${fk} in ${ids})`;

/**
 * The detail: counts, tasks (with their dependencies, assignee emails and project names), milestones,
 * comments (with author names) and members (with emails), as statements for the rows' own batch.
 * Tasks, comments and members are presented as their own routes present them.
 */
const detailExpansion: Expansion<ProjectRow> = {
  load: (k, ids) => [
    childrenStmt(k.db, tasks, tasks.project, ids, undefined, TASK_ORDER),
    ...taskExpansion(k.db, childIds(tasks, tasks.project, ids)),
    childrenStmt(k.db, projectMilestones, projectMilestones.project, ids),
    childrenStmt(k.db, projectComments, projectComments.project, ids),
    ...commentAuthors.load(k, childIds(projectComments, projectComments.project, ids)),
    childrenStmt(k.db, projectMembers, projectMembers.project, ids),
    ...memberEmails.load(k, childIds(projectMembers, projectMembers.project, ids)),
  ],
  attach: (k, rows, loaded) => {
    // The statements of `load`, in order (the kit hands their results back untyped).
    const [taskRows, deps, assignees, names, milestones, comments, authors, members, emails] = loaded as [
      TaskRow[],
      unknown[],
      unknown[],
      unknown[],
      (typeof projectMilestones.$inferSelect)[],
      (typeof projectComments.$inferSelect)[],
      unknown[],
      (typeof projectMembers.$inferSelect)[],
      unknown[],
    ];
    const counts = new Map<number | null, TaskCount>();
    for (const t of taskRows) {
      const c = counts.get(t.project) ?? { project: t.project, total: 0, done: 0 };
      c.total += 1;
      if (t.is_completed) c.done += 1;
      counts.set(t.project, c);
    }
    const tasksBy = groupBy(presentTasks(k.user, taskRows, [deps, assignees, names]), 'project');
    const milestonesBy = groupBy(milestones, 'project');
    const commentsBy = groupBy(commentAuthors.attach(k, comments, [authors]), 'project');
    const membersBy = groupBy(memberEmails.attach(k, members, [emails]), 'project');
    return rows.map((row) => ({
      ...withCounts(row, counts),
      tasks: tasksBy.get(row.id) ?? [],
      milestones: milestonesBy.get(row.id) ?? [],
      comments: commentsBy.get(row.id) ?? [],
      members: membersBy.get(row.id) ?? [],
    }));
  },
};

/** Changing or deleting a project takes its creator or an owner/manager member: the access rides the row's round trip. */
const managing = (k: Kit, id: number) => accessCheck(k.db, k.user.id, id, (access) => requireLevel(access, 'manage'));

/** Create / retrieve / update / delete. Changing or deleting a project takes its creator or an owner/manager member. */
export const projectResource: ResourceDef<typeof projects> = {
  ...base,
  schemas: { read: ProjectDetail, write: ProjectRequest, patch: PatchedProject },
  actions: ['create', 'retrieve', 'update', 'partial_update', 'destroy'],
  checks: (k, _values, _existing, target) => (target.action === 'update' && target.id ? [managing(k, target.id)] : []),
  destroyChecks: (k, id) => [managing(k, id)],
  prepare: (k, values, existing) => {
    // The generated request schema lets these through; the model does not (DRF: blank name, null JSON).
    if (values.name === '') throw drf.field('name', 'This field may not be blank.');
    if (values.tags === null) throw drf.field('tags', 'This field may not be null.');
    return existing ? values : { ...values, created_by: k.user.id };
  },
  expansion: detailExpansion,
  // Deleting cascades to tasks, milestones, comments and members (foreign keys); each cascaded task
  // with an assignee tells them, as a direct delete does. The tasks are read in the delete's batch,
  // before the delete (the kit runs side effects first).
  sideEffects: (k, ev) =>
    ev.action === 'destroy'
      ? [
          k.db
            .select({ id: tasks.id, assigned_to: tasks.assigned_to })
            .from(tasks)
            .where(and(eq(tasks.project, ev.existing.id), isNotNull(tasks.assigned_to)))
            .orderBy(asc(tasks.id)),
        ]
      : [],
  // `effects` are the side effects' results, untyped (WriteEvent): here the cascaded tasks selected above.
  after: (k, ev) =>
    ev.action === 'destroy'
      ? deletionEvents((ev.effects?.[0] ?? []) as Pick<TaskRow, 'id' | 'assigned_to'>[], k.user.id)
      : undefined,
};
