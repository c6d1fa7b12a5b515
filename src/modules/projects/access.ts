/**
 * Who sees and who may change a project and what hangs off it (our decision #3, which fixes the
 * original's "creator only" scope and its task-list/dashboard inconsistency):
 *
 * - a project, its tasks, milestones, comments and members are visible to its creator, its members
 *   (any role) and the assignees of its tasks;
 * - a task without a project is visible to its creator and its assignee;
 * - managing a project (update, delete, members) takes its creator or a member with role
 *   `owner`/`manager`; contributing (tasks, milestones) also allows role `contributor`;
 *   `viewer` members and plain assignees read and comment.
 *
 * The SQL helpers are exported for other modules (the dashboard counts only what the user sees).
 */
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Check, Db, Row } from '../../core/resource';
import { drf, type FieldErrors } from '../../core/errors';
import { projects } from '../../db/schema/projects';

/** Ids of the projects a user can see, as a subquery: `projects.id IN (${visibleProjectIds(u)})`. */
export const visibleProjectIds = (userId: number): SQL =>
  sql`SELECT "id" FROM "projects" WHERE "created_by_id" = ${userId}
      UNION SELECT "project_id" FROM "project_members" WHERE "user_id" = ${userId}
      UNION SELECT "project_id" FROM "tasks" WHERE "assigned_to_id" = ${userId} AND "project_id" IS NOT NULL`;

/** WHERE for the `projects` table: rows the user can see. */
export const projectVisibleTo = (userId: number): SQL => sql`"projects"."id" IN (${visibleProjectIds(userId)})`;

/** WHERE for the `tasks` table: rows the user can see. */
export const taskVisibleTo = (userId: number): SQL =>
  sql`("tasks"."project_id" IN (${visibleProjectIds(userId)})
       OR "tasks"."assigned_to_id" = ${userId}
       OR ("tasks"."project_id" IS NULL AND "tasks"."created_by_id" = ${userId}))`;

/** WHERE for a table with a `project_id` column (milestones, comments, members). */
export const childOfVisibleProject = (column: SQLiteColumn, userId: number): SQL =>
  sql`${column} IN (${visibleProjectIds(userId)})`;

export type ProjectLevel = 'none' | 'read' | 'contribute' | 'manage';

export interface ProjectAccess {
  id: number;
  name: string;
  created_by: number;
  level: ProjectLevel;
}

const MANAGE_ROLES = new Set(['owner', 'manager']);

/** What `projectAccessStmt` selects. */
export interface ProjectAccessRow {
  id: number;
  name: string;
  created_by: number;
  member_role: string | null;
  assignee: number;
}

/**
 * The statement reading a user's access to one project, for a batch: `projectId` is an id or a
 * subquery selecting it (e.g. the project of a task being written). Read its row with `accessOf`.
 */
export function projectAccessStmt(db: Db, userId: number, projectId: number | SQL) {
  return db
    .select({
      id: projects.id,
      name: projects.name,
      created_by: projects.created_by,
      // "projects"."id" spelled out: drizzle renders a column of the queried table unqualified here.
      member_role: sql<
        string | null
      >`(SELECT m."role" FROM "project_members" m WHERE m."project_id" = "projects"."id" AND m."user_id" = ${userId})`,
      assignee: sql<number>`EXISTS (SELECT 1 FROM "tasks" t WHERE t."project_id" = "projects"."id" AND t."assigned_to_id" = ${userId})`,
    })
    .from(projects)
    .where(sql`${projects.id} = ${projectId}`)
    .limit(1);
}

/** The access a `projectAccessStmt` row grants `userId`; `undefined` when the project does not exist. */
export function accessOf(row: ProjectAccessRow | undefined, userId: number): ProjectAccess | undefined {
  if (!row) return undefined;
  let level: ProjectLevel = 'none';
  if (row.created_by === userId || (row.member_role && MANAGE_ROLES.has(row.member_role))) level = 'manage';
  else if (row.member_role === 'contributor') level = 'contribute';
  else if (row.member_role || row.assignee) level = 'read';
  return { id: row.id, name: row.name, created_by: row.created_by, level };
}

/** `accessOf` over the rows a `projectAccessStmt` returned in a batch (which types them loosely). */
export function accessIn(rows: readonly unknown[], userId: number): ProjectAccess | undefined {
  return accessOf(rows[0] as ProjectAccessRow | undefined, userId);
}

/**
 * A check of the resource kit on the caller's access to a project, run in a write's first round
 * trip: `projectId` is an id or a subquery selecting it; `verify` receives the access (undefined
 * when the project does not exist) and the row being written (updates and deletes), and returns
 * field errors or throws (403, 404).
 */
export function accessCheck<R = Row>(
  db: Db,
  userId: number,
  projectId: number | SQL,
  verify: (access: ProjectAccess | undefined, existing?: R) => FieldErrors | undefined,
): Check<R> {
  return {
    stmt: projectAccessStmt(db, userId, projectId),
    verify: (rows, existing) => verify(accessIn(rows, userId), existing),
  };
}

/** Throws the DRF 403 unless `access` is at least `wanted`. */
export function requireLevel(access: ProjectAccess | undefined, wanted: ProjectLevel): undefined {
  if (!atLeast(access?.level, wanted)) throw drf.forbidden();
  return undefined;
}

const RANK: Record<ProjectLevel, number> = { none: 0, read: 1, contribute: 2, manage: 3 };

/** True when `level` is at least `wanted`. */
export const atLeast = (level: ProjectLevel | undefined, wanted: ProjectLevel) => RANK[level ?? 'none'] >= RANK[wanted];

/**
 * A project id given in a request body, over the caller's access loaded in a write's first batch:
 * invisible projects are reported like missing ones (DRF's "Invalid pk"), a visible project
 * without the wanted level is a 403.
 */
export function checkProjectAccess(
  access: ProjectAccess | undefined,
  projectId: number,
  wanted: ProjectLevel,
  field = 'project',
) {
  if (!access || access.level === 'none') throw drf.field(field, `Invalid pk "${projectId}" - object does not exist.`);
  if (!atLeast(access.level, wanted)) throw drf.forbidden();
  return access;
}
