/**
 * Task behaviour: serialisation for a page of tasks (bounded queries), validation of references,
 * create / update / toggle as single `db.batch` writes, and the notification events of §7
 * (actor = the acting user, which fixes the original's "always the creator").
 *
 * Assignment (issue 14 #7): assigning a task shows its whole project to the assignee, so only those
 * who manage the task (its creator, or a manager of its project) set or change `assigned_to`, and
 * only to someone who already sees the project. A project manager may also assign someone who does
 * not: that person becomes a `viewer` member in the same batch as the assignment (visible in the
 * members list, and removable there). Anyone else gets a 400 on `assigned_to`.
 *
 * Completion is one rule wherever it changes (create with status `done`, update, toggle):
 * `completed_at` is set/cleared, `status` follows (`done` / back to `todo`), the project's stored
 * completion_percentage is recomputed, and the credited user's counters move — the assignee, or the
 * acting user when the task has none — all in the same batch as the task write.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { contactField, type Viewer } from '../../core/contact';
import { drf } from '../../core/errors';
import { eventId } from '../../core/events';
import type { OutboundEvent } from '../../core/events';
import type { Db, Stmt } from '../../core/resource';
import { idByUuid } from '../../core/resource';
import { referencedIds, runBatch } from '../../db';
import { idsSubquery, rowStmt, statement } from '../../db/compiled';
import { nowIso, todayIso } from '../../db/columns';
import { projectMembers, projectMilestones, projects } from '../../db/schema/projects';
import { taskDependencies, tasks } from '../../db/schema/tasks';
import { users } from '../../db/schema/users';
import type { AuthUser } from '../../env';
import {
  accessOf,
  atLeast,
  checkProjectAccess,
  type ProjectAccess,
  type ProjectAccessRow,
  projectAccessStmt,
  taskVisibleTo,
  visibleProjectIds,
} from '../projects/access';
import type { TaskCreateBody, TaskUpdateBody } from './inputs';

export type TaskRow = typeof tasks.$inferSelect;
type Actor = Pick<AuthUser, 'id'>;

const asStmt = (q: unknown) => q as Stmt;

/** `is_overdue` of a task: a due date in the past and not completed (false, not null, without a due date). */
export const taskIsOverdue = (t: Pick<TaskRow, 'due_date' | 'is_completed'>, now = Date.now()) =>
  !!t.due_date && !t.is_completed && now > Date.parse(t.due_date);

/**
 * What a task's response shows besides its row, for the tasks `ids` selects (a subquery or a
 * parenthesised list), as statements for the rows' own batch: dependencies, assignee emails,
 * project names. Read them with `presentTasks`.
 */
export function taskExpansion(db: Db, ids: SQL): Stmt[] {
  // Each built once per shape (db/compiled.ts); `ids` is the where clause's part of the shape.
  return [
    statement(
      db,
      'tasks.dependencies',
      (q, where) =>
        q
          .select({ task: taskDependencies.task, depends_on: taskDependencies.depends_on })
          .from(taskDependencies)
          .where(where)
          .orderBy(asc(taskDependencies.depends_on)),
      {},
      sql`${taskDependencies.task} in ${ids}`,
    ),
    statement(
      db,
      'tasks.assigneeEmails',
      (q, where) => q.select({ id: users.id, email: users.email }).from(users).where(where),
      {},
      sql`${users.id} in ${referencedIds(tasks, tasks.assigned_to, ids)}`,
    ),
    statement(
      db,
      'tasks.projectNames',
      (q, where) => q.select({ id: projects.id, name: projects.name }).from(projects).where(where),
      {},
      sql`${projects.id} in ${referencedIds(tasks, tasks.project, ids)}`,
    ),
  ];
}

/**
 * Tasks for `viewer` with their computed and related fields, from what `taskExpansion` loaded.
 * `assigned_to_email` follows the contact rule (core/contact.ts): null unless the viewer is the
 * assignee or an Admin.
 */
export function presentTasks(viewer: Viewer, rows: TaskRow[], loaded: unknown[][]) {
  const [deps, emails, names] = loaded as [
    { task: number; depends_on: number }[],
    { id: number; email: string }[],
    { id: number; name: string }[],
  ];
  const depMap = new Map<number, number[]>();
  for (const d of deps) depMap.set(d.task, [...(depMap.get(d.task) ?? []), d.depends_on]);
  const emailOf = new Map(emails.map((u) => [u.id, u.email]));
  const nameOf = new Map(names.map((p) => [p.id, p.name]));
  const now = Date.now();
  return rows.map((r) => ({
    id: r.id,
    project: r.project,
    project_name: r.project == null ? null : (nameOf.get(r.project) ?? null),
    title: r.title,
    description: r.description,
    status: r.status,
    priority: r.priority,
    due_date: r.due_date,
    estimated_hours: r.estimated_hours,
    actual_hours: r.actual_hours,
    assigned_to: r.assigned_to,
    assigned_to_email: r.assigned_to == null ? null : contactField(viewer, r.assigned_to, emailOf.get(r.assigned_to) ?? null),
    dependencies: depMap.get(r.id) ?? [],
    milestone: r.milestone,
    origin_app: r.origin_app,
    created_by: r.created_by,
    notes: r.notes,
    position: r.position,
    is_completed: r.is_completed,
    completed_at: r.completed_at,
    created_at: r.created_at,
    updated_at: r.updated_at,
    is_overdue: taskIsOverdue(r, now),
  }));
}

/** The statement selecting a task the user can see (no row otherwise). */
export function visibleTaskStmt(db: Db, user: Actor, id: number) {
  return rowStmt(db, tasks, and(eq(tasks.id, id), taskVisibleTo(user.id)) as SQL);
}

/** Who may edit (update, toggle) a task: its creator, its assignee, or a contributor of its project. */
export function mayEditTask(user: Actor, task: Pick<TaskRow, 'created_by' | 'assigned_to' | 'project'>, access?: ProjectAccess) {
  if (task.created_by === user.id || task.assigned_to === user.id) return true;
  if (task.project == null) return false;
  return atLeast(access?.level, 'contribute');
}

/** Who may manage a task (delete it, change its assignee): its creator, or a manager of its project. */
export function mayManageTask(user: Actor, task: Pick<TaskRow, 'created_by' | 'project'>, access?: ProjectAccess) {
  if (task.created_by === user.id) return true;
  if (task.project == null) return false;
  return atLeast(access?.level, 'manage');
}

/** The project of task `id`, as a subquery (for statements that run before the task is read). */
export const projectOfTask = (id: number) => sql`(SELECT ${tasks.project} FROM ${tasks} WHERE ${tasks.id} = ${id})`;

const CANNOT_SEE_PROJECT = "This user cannot see the task's project; a project manager must add them as a member first.";

const invalidPk = (id: unknown) => `Invalid pk "${id}" - object does not exist.`;

type ReferenceInput = { assigned_to?: number | null; milestone?: number | null; dependencies?: number[] };
type ReferenceQuery = { key: 'assigned_to' | 'milestone' | 'dependencies'; q: Stmt };
type ReferenceRow = { id: number; project?: number; sees?: number };

/**
 * The statements loading what a body refers to: the assignee (and whether they see `project`),
 * the milestone if the user sees its project, and the dependencies among the tasks the user sees.
 */
function referenceQueries(db: Db, user: Actor, input: ReferenceInput, project: number | null | SQL, deps: number[]) {
  const queries: ReferenceQuery[] = [];
  if (input.assigned_to != null)
    queries.push({
      key: 'assigned_to',
      q: db
        .select({
          id: users.id,
          sees: project == null ? sql<number>`1` : sql<number>`${project} IN (${visibleProjectIds(input.assigned_to)})`,
        })
        .from(users)
        .where(eq(users.id, input.assigned_to)),
    });
  if (input.milestone != null)
    queries.push({
      key: 'milestone',
      q: db
        .select({ id: projectMilestones.id, project: projectMilestones.project })
        .from(projectMilestones)
        .where(
          and(eq(projectMilestones.id, input.milestone), sql`${projectMilestones.project} IN (${visibleProjectIds(user.id)})`),
        ),
    });
  if (deps.length)
    queries.push({
      key: 'dependencies',
      q: db
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(inArray(tasks.id, deps), taskVisibleTo(user.id))),
    });
  return queries;
}

/** Adds the field errors the loaded references show to `errors`; returns whether the assignee sees the project. */
function checkReferences(
  queries: ReferenceQuery[],
  results: ReferenceRow[][],
  input: ReferenceInput,
  deps: number[],
  project: number | null,
  errors: Record<string, string[]>,
) {
  let assigneeSeesProject = true;
  queries.forEach(({ key }, i) => {
    const rows = results[i];
    if (key === 'assigned_to') {
      if (!rows.length) errors.assigned_to = [invalidPk(input.assigned_to)];
      else assigneeSeesProject = !!rows[0].sees;
    }
    if (key === 'milestone') {
      if (!rows.length) errors.milestone = [invalidPk(input.milestone)];
      else if (rows[0].project !== project) errors.milestone = ["The milestone does not belong to the task's project."];
    }
    if (key === 'dependencies') {
      const found = new Set(rows.map((r) => r.id));
      const missing = deps.find((d) => !found.has(d));
      if (missing !== undefined) errors.dependencies = [invalidPk(missing)];
    }
  });
  return assigneeSeesProject;
}

/**
 * Checks assignee, milestone and dependencies: statements for the write's first round trip and,
 * once they ran, `verify` reporting every bad field at once, as DRF does. Dependencies must be tasks
 * the user can see, never the task itself; a milestone must belong to the task's project
 * (`project` is its id, or a subquery selecting it when the task is not loaded yet).
 */
function references(db: Db, user: Actor, input: ReferenceInput, ctx: { project: number | null | SQL; selfId?: number }) {
  const errors: Record<string, string[]> = {};
  const deps = input.dependencies ? [...new Set(input.dependencies)] : [];
  if (ctx.selfId !== undefined && deps.includes(ctx.selfId)) errors.dependencies = ['A task cannot depend on itself.'];
  const queries = referenceQueries(db, user, input, ctx.project, errors.dependencies ? [] : deps);
  const verify = (loaded: unknown[], project: number | null) => {
    const assigneeSeesProject = checkReferences(queries, loaded as ReferenceRow[][], input, deps, project, errors);
    if (Object.keys(errors).length) throw drf.fields(errors);
    return { deps, assigneeSeesProject };
  };
  return { stmts: queries.map((x) => x.q), verify };
}

/**
 * The statements an assignment needs (see the header): none when the assignee already sees the
 * project (or there is no project, or no assignee); a `viewer` membership when the actor manages the
 * project; otherwise a 400 on `assigned_to`.
 */
function assignmentAccess(
  db: Db,
  assignee: number | null | undefined,
  project: number | null,
  seesProject: boolean,
  actorManagesProject: boolean,
): Stmt[] {
  if (assignee == null || project == null || seesProject) return [];
  if (!actorManagesProject) throw drf.field('assigned_to', CANNOT_SEE_PROJECT);
  return [asStmt(db.insert(projectMembers).values({ project, user: assignee, role: 'viewer' }).onConflictDoNothing())];
}

/** Recomputes a project's stored completion_percentage (floor), optionally ignoring a task being deleted. */
export function recomputeCompletion(db: Db, projectId: number, excludeTaskId?: number): Stmt {
  const exclude = excludeTaskId === undefined ? sql`` : sql` AND "id" <> ${excludeTaskId}`;
  return asStmt(
    db
      .update(projects)
      .set({
        completion_percentage: sql`coalesce((SELECT (sum("is_completed") * 100) / count(*) FROM "tasks" WHERE "project_id" = ${projectId}${exclude}), 0)`,
        // A derived figure, not an edit of the project: keep updated_at (the original saved only this field).
        updated_at: sql`${projects.updated_at}`,
      })
      .where(eq(projects.id, projectId)),
  );
}

const yesterdayIso = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

/**
 * Moves a user's completion counters. Completing increments total_tasks_completed and applies the
 * streak rule (§1): last active day today → unchanged, yesterday → +1, otherwise 1; then the last
 * active day (current_streak_started) becomes today. Reopening decrements the total (never below 0).
 */
export function completionCounters(db: Db, userId: number, completed: boolean, guard?: SQL): Stmt {
  const where = guard ? and(eq(users.id, userId), guard) : eq(users.id, userId);
  if (!completed)
    return asStmt(
      db
        .update(users)
        .set({ total_tasks_completed: sql`max(0, ${users.total_tasks_completed} - 1)` })
        .where(where),
    );
  const today = todayIso();
  return asStmt(
    db
      .update(users)
      .set({
        total_tasks_completed: sql`${users.total_tasks_completed} + 1`,
        streak_days: sql`CASE WHEN ${users.current_streak_started} = ${today} THEN ${users.streak_days}
          WHEN ${users.current_streak_started} = ${yesterdayIso()} THEN ${users.streak_days} + 1 ELSE 1 END`,
        current_streak_started: today,
      })
      .where(where),
  );
}

/** A §7 task notification, with the acting user as actor. */
export function taskEvent(recipient: number, actor: number, verb: string, taskId: number, withUrl = true): OutboundEvent {
  return {
    type: 'notification',
    id: eventId(),
    recipient_id: recipient,
    actor_id: actor,
    verb,
    url: withUrl ? `/tasks/${taskId}/` : '',
    target_type: 'task',
    target_id: taskId,
  };
}

/** The "assigned" / "unassigned" events for an assignee change (both on a reassignment). */
function assignmentEvents(before: number | null, after: number | null, actor: number, taskId: number): OutboundEvent[] {
  const out: OutboundEvent[] = [];
  if (after != null && after !== before) out.push(taskEvent(after, actor, 'assigned you to a task', taskId));
  if (before != null && before !== after) out.push(taskEvent(before, actor, 'unassigned you from a task', taskId));
  return out;
}

/** A written task: its row, its response body (with tags) and the events to publish. */
export interface WrittenTask {
  row: TaskRow;
  /** The response: the task as read, with its tags. */
  body: ReturnType<typeof presentTasks>[number] & { tags: string[] };
  events: OutboundEvent[];
}

/**
 * Creates a task (with its dependencies, the project's completion and counters) in two round trips:
 * the project access and reference checks, then one batch with the writes and the read-back.
 */
export async function createTask(db: Db, actor: Actor & Viewer, input: TaskCreateBody): Promise<WrittenTask> {
  const project = input.project ?? null;
  const refs = references(db, actor, input, { project });
  const first: Stmt[] = [...(project != null ? [projectAccessStmt(db, actor.id, project)] : []), ...refs.stmts];
  const checked = await runBatch(db, first);
  const access =
    project != null
      ? checkProjectAccess(accessOf((checked[0] as ProjectAccessRow[])[0], actor.id), project, 'contribute')
      : undefined;
  const { deps, assigneeSeesProject } = refs.verify(checked.slice(project != null ? 1 : 0), project);
  const grant = assignmentAccess(db, input.assigned_to, project, assigneeSeesProject, atLeast(access?.level, 'manage'));
  const completed = input.status === 'done';
  const uuid = crypto.randomUUID();
  const values = {
    uuid,
    project,
    title: input.title,
    description: input.description ?? '',
    status: input.status ?? 'todo',
    priority: input.priority ?? 'medium',
    due_date: input.due_date ?? null,
    estimated_hours: input.estimated_hours ?? null,
    assigned_to: input.assigned_to ?? null,
    milestone: input.milestone ?? null,
    origin_app: input.origin_app ?? '',
    created_by: actor.id,
    tags: input.tags ?? [],
    notes: input.notes ?? '',
    position: input.position ?? 0,
    is_completed: completed,
    completed_at: completed ? nowIso() : null,
  } satisfies typeof tasks.$inferInsert;
  const stmts: Stmt[] = [db.insert(tasks).values(values), ...grant];
  if (deps.length)
    stmts.push(db.insert(taskDependencies).values(deps.map((d) => ({ task: idByUuid(tasks, uuid), depends_on: d }))));
  if (project != null) stmts.push(recomputeCompletion(db, project));
  if (completed) stmts.push(completionCounters(db, values.assigned_to ?? actor.id, true));
  const { row, body } = await writeAndReadBack(db, actor, stmts, eq(tasks.uuid, uuid));
  const events = [
    taskEvent(row.assigned_to ?? actor.id, actor.id, 'created a task', row.id),
    ...assignmentEvents(null, row.assigned_to, actor.id, row.id),
  ];
  return { row, body, events };
}

/** Runs a task's writes and reads the task back with its related fields, in one batch. */
async function writeAndReadBack(db: Db, viewer: Viewer, stmts: Stmt[], where: SQL) {
  const results = await runBatch(db, [...stmts, rowStmt(db, tasks, where), ...taskExpansion(db, idsSubquery(db, tasks, where))]);
  const row = (results[stmts.length] as TaskRow[])[0];
  const [task] = presentTasks(viewer, [row], results.slice(stmts.length + 1) as unknown[][]);
  return { row, body: { ...task, tags: row.tags ?? [] }, task, results };
}

/**
 * The first round trip of a write on task `id`: the task (if visible), the caller's access to its
 * project, and `extra` statements; the task's 404 is the caller's to throw.
 */
export async function loadTaskForWrite(db: Db, actor: Actor, id: number, extra: Stmt[] = []) {
  const [found, accessRows, ...rest] = await runBatch(db, [
    visibleTaskStmt(db, actor, id),
    projectAccessStmt(db, actor.id, projectOfTask(id)),
    ...extra,
  ]);
  const existing = (found as TaskRow[])[0] as TaskRow | undefined;
  const access = existing?.project != null ? accessOf((accessRows as ProjectAccessRow[])[0], actor.id) : undefined;
  return { existing, access, rest };
}

/** The completion fields after a write: is_completed wins over status; status follows completion. */
function completionAfter(existing: TaskRow, input: { is_completed?: boolean; status?: TaskRow['status'] }) {
  const isCompleted = input.is_completed ?? (input.status !== undefined ? input.status === 'done' : existing.is_completed);
  const status: TaskRow['status'] = isCompleted
    ? 'done'
    : input.status && input.status !== 'done'
      ? input.status
      : existing.status === 'done'
        ? 'todo'
        : existing.status;
  const completedAt = isCompleted ? (existing.completed_at ?? nowIso()) : null;
  return { is_completed: isCompleted, status, completed_at: completedAt };
}

/**
 * Updates task `id` (PUT and PATCH: only the given fields change; `project` never does) in two round
 * trips: the task, the caller's project access and the reference checks, then one batch with the
 * writes and the read-back. Undefined when the caller cannot see the task.
 */
export async function updateTask(
  db: Db,
  actor: Actor & Viewer,
  id: number,
  input: TaskUpdateBody,
): Promise<WrittenTask | undefined> {
  const refs = references(db, actor, input, { project: projectOfTask(id), selfId: id });
  const { existing, access, rest } = await loadTaskForWrite(db, actor, id, refs.stmts);
  if (!existing) return undefined;
  if (!mayEditTask(actor, existing, access)) throw drf.forbidden();
  const reassigning = input.assigned_to !== undefined && input.assigned_to !== existing.assigned_to;
  const managesProject = reassigning && existing.project != null && atLeast(access?.level, 'manage');
  if (reassigning && existing.created_by !== actor.id && !managesProject) throw drf.forbidden();
  const { deps, assigneeSeesProject } = refs.verify(rest, existing.project);
  const grant = reassigning ? assignmentAccess(db, input.assigned_to, existing.project, assigneeSeesProject, managesProject) : [];
  const values: Partial<typeof tasks.$inferInsert> = {};
  for (const key of [
    'title',
    'description',
    'priority',
    'due_date',
    'estimated_hours',
    'actual_hours',
    'assigned_to',
    'tags',
    'notes',
    'milestone',
    'position',
  ] as const) {
    if (input[key] !== undefined) (values as Record<string, unknown>)[key] = input[key];
  }
  const completion = completionAfter(existing, input);
  Object.assign(values, completion, { updated_at: nowIso() });
  const changed = completion.is_completed !== existing.is_completed ? completion.is_completed : undefined;
  const assignee = values.assigned_to !== undefined ? values.assigned_to : existing.assigned_to;
  const stmts: Stmt[] = [];
  if (changed !== undefined) {
    // Counters move only if the task still has the completion this request read, checked before the
    // task row changes in the same batch: two parallel "complete" PATCHes count once.
    const stillAsRead = sql`(SELECT ${tasks.is_completed} FROM ${tasks} WHERE ${tasks.id} = ${existing.id}) = ${existing.is_completed ? 1 : 0}`;
    stmts.push(completionCounters(db, assignee ?? actor.id, changed, stillAsRead));
  }
  stmts.push(db.update(tasks).set(values).where(eq(tasks.id, existing.id)), ...grant);
  if (input.dependencies !== undefined) {
    stmts.push(db.delete(taskDependencies).where(eq(taskDependencies.task, existing.id)));
    if (deps.length) stmts.push(db.insert(taskDependencies).values(deps.map((d) => ({ task: existing.id, depends_on: d }))));
  }
  if (existing.project != null) stmts.push(recomputeCompletion(db, existing.project));
  const { row, body } = await writeAndReadBack(db, actor, stmts, eq(tasks.id, existing.id));
  return { row, body, events: assignmentEvents(existing.assigned_to, row.assigned_to, actor.id, row.id) };
}

/**
 * Flips completion of task `id` in two round trips: the task and the caller's access, then one
 * batch for the task, the project's percentage, the counters and the read-back. Undefined when the
 * caller cannot see the task.
 */
export async function toggleTask(db: Db, actor: Actor & Viewer, id: number) {
  const { existing, access } = await loadTaskForWrite(db, actor, id);
  if (!existing) return undefined;
  if (!mayEditTask(actor, existing, access)) throw drf.forbidden();
  // One flip per request, computed by SQLite from the row as it is (SET expressions see the old row),
  // so parallel toggles never lose one; the counters then follow the flipped state in the same batch.
  const now = nowIso();
  const today = todayIso();
  const flipped = sql`(SELECT ${tasks.is_completed} FROM ${tasks} WHERE ${tasks.id} = ${existing.id})`;
  const { task, results } = await writeAndReadBack(
    db,
    actor,
    [
      db
        .update(tasks)
        .set({
          is_completed: sql`NOT ${tasks.is_completed}`,
          status: sql`CASE WHEN ${tasks.is_completed} THEN (CASE WHEN ${tasks.status} = 'done' THEN 'todo' ELSE ${tasks.status} END) ELSE 'done' END`,
          completed_at: sql`CASE WHEN ${tasks.is_completed} THEN NULL ELSE coalesce(${tasks.completed_at}, ${now}) END`,
          updated_at: now,
        })
        .where(eq(tasks.id, existing.id))
        .returning({ is_completed: tasks.is_completed }),
      db
        .update(users)
        .set({
          total_tasks_completed: sql`CASE WHEN ${flipped} THEN ${users.total_tasks_completed} + 1 ELSE max(0, ${users.total_tasks_completed} - 1) END`,
          streak_days: sql`CASE WHEN ${flipped} THEN (CASE WHEN ${users.current_streak_started} = ${today} THEN ${users.streak_days}
            WHEN ${users.current_streak_started} = ${yesterdayIso()} THEN ${users.streak_days} + 1 ELSE 1 END) ELSE ${users.streak_days} END`,
          current_streak_started: sql`CASE WHEN ${flipped} THEN ${today} ELSE ${users.current_streak_started} END`,
        })
        .where(eq(users.id, existing.assigned_to ?? actor.id)),
      ...(existing.project != null ? [recomputeCompletion(db, existing.project)] : []),
    ],
    eq(tasks.id, existing.id),
  );
  // The message reports this request's own flip (another may have followed it already).
  const mine = (results[0] as { is_completed: boolean | number }[])[0];
  return { task, message: mine?.is_completed ? 'Task completed' : 'Task reopened' };
}

/** The "deleted a task assigned to you" events for tasks about to be deleted. */
export const deletionEvents = (rows: Pick<TaskRow, 'id' | 'assigned_to'>[], actor: number): OutboundEvent[] =>
  rows
    .filter((r) => r.assigned_to != null)
    .map((r) => taskEvent(r.assigned_to!, actor, 'deleted a task assigned to you', r.id, false));

/** Tasks ordered as the task list orders them: open first, then position, then due date (nulls first). */
export const TASK_ORDER: SQL[] = [asc(tasks.is_completed), asc(tasks.position), asc(tasks.due_date), asc(tasks.id)];
