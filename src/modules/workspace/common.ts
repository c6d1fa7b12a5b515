/**
 * What every workspace route shares: the failures, the path parameters, the field-alias map, and
 * the access rules as statements that ride in the same batch as the route's data (one round trip)
 * and are evaluated after it.
 *
 * Access model: the workspace's admin (its creator, `workspaces.admin_id`, who also holds an
 * `admin` membership row) does everything; an active member (manager, staff, user) may view;
 * anyone else (outsiders, removed or inactive members) gets the same 404 as for a row that does
 * not exist, so a workspace's existence never leaks.
 */
import { z } from '@hono/zod-openapi';
import { eq, type Placeholder, sql } from 'drizzle-orm';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError, constraintViolation, type FieldErrors, ws } from '../../core/errors';
import { MAX_PAGE_SIZE } from '../../core/pagination';
import type { Db } from '../../db';
import { statement } from '../../db/compiled';
import { type MemberRole, workspaceBranches, workspaces, workspaceSpaces } from '../../db/schema/workspace';

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type BranchRow = typeof workspaceBranches.$inferSelect;
export type SpaceRow = typeof workspaceSpaces.$inferSelect;

export const tags = ['workspace'];

// ---- failures --------------------------------------------------------------------------------

/**
 * A workspace-family failure, always `{success:false, message, errors}`; without field errors the
 * message is repeated under `non_field_errors`, so clients read every failure the same way.
 */
export function fail(status: ContentfulStatusCode, message: string, errors?: FieldErrors) {
  return ws.fail(status, message, errors ?? { non_field_errors: [message] });
}

/** Our message and the original's model name (DRF's get_object_or_404 `detail`). */
const NOT_FOUND = {
  workspace: ['Workspace not found', 'Workspace'],
  branch: ['Branch not found', 'Branch'],
  space: ['Space not found', 'Space'],
  member: ['Member not found', 'WorkspaceUser'],
} as const;

/** A 404 in the envelope, with the original's DRF `detail` beside it (issue 20, item 2). */
export function notFound(what: keyof typeof NOT_FOUND) {
  const [message, model] = NOT_FOUND[what];
  return new ApiError(404, {
    success: false,
    message,
    errors: { non_field_errors: [message] },
    detail: `No ${model} matches the given query.`,
  });
}

export const forbidden = (message: string) => fail(403, message);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Path ids are UUIDs; anything else is the same 404 as a missing row. */
export const isUuid = (value: string | undefined | null): value is string => !!value && UUID_RE.test(value);

/** The unique rule a failed write broke (`name`, `email`, `admin_id` ...), or undefined. */
export function uniqueColumns(err: unknown): string[] | undefined {
  const v = constraintViolation(err);
  return v?.kind === 'unique' ? v.columns : undefined;
}

// ---- path parameters -------------------------------------------------------------------------

const uuidParam = (description?: string) => z.string().openapi({ format: 'uuid', ...(description ? { description } : {}) });
export const WorkspacePath = z.object({ workspace_id: uuidParam() });
export const BranchPath = z.object({ branch_id: uuidParam() });
export const SpacePath = z.object({ space_id: uuidParam() });
export const MemberPath = WorkspacePath.extend({ member_id: uuidParam('The membership id (not the user id).') });

type AliasInput = { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown };

/**
 * The `into` of an original path-id form whose seed form names the parent in the body: `POST
 * /workspaces/{workspace_id}/branches/create/` is `branches/create/` with `workspace_id` in the body.
 */
export const pathIdIntoBody =
  <B>(key: string) =>
  ({ params, body }: AliasInput) => ({ params: {}, query: {}, body: { ...(body as object), [key]: String(params[key]) } as B });

/** Likewise for a list whose seed form names the parent in the query (`branches/?workspace_id=`). */
export const pathIdIntoQuery =
  <Q>(key: string) =>
  ({ params, query }: AliasInput) => ({ params: {}, query: { ...query, [key]: String(params[key]) } as Q, body: {} });

// ---- field aliases -----------------------------------------------------------------------------

/** A resource's field aliases: the seed's name → the original's name (`hourly_rate` → `price_per_hour`). */
export type AliasMap = Record<string, string>;

/**
 * Reads a write body through its alias map: each alias pair becomes its stored name (the
 * original's), from whichever was sent. Both sent and different is a field error under the alias.
 */
export function unalias<T extends Record<string, unknown>>(
  input: T,
  aliases: AliasMap,
  same: (a: unknown, b: unknown) => boolean = (a, b) => a === b,
): { values: Record<string, unknown>; errors: FieldErrors } {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined && !(k in aliases)) values[k] = v;
  for (const [seed, stored] of Object.entries(aliases)) {
    const a = input[seed];
    const b = input[stored];
    if (a !== undefined && b !== undefined && !same(a, b)) errors[stored] = [`Must equal ${seed} when both are sent.`];
    if (a !== undefined || b !== undefined) values[stored] = b !== undefined ? b : a;
  }
  return { values, errors };
}

/**
 * The schema fields of an alias map: each alias documented as the field it repeats (with its own
 * description when `notes` gives one).
 */
export function aliasFields<S extends Record<string, z.ZodType>, M extends Record<string, keyof S & string>>(
  shape: S,
  aliases: M,
  notes: Partial<Record<keyof M, string>> = {},
): { [K in keyof M]: S[M[K]] } {
  const out = {} as { [K in keyof M]: S[M[K]] };
  for (const [alias, name] of Object.entries(aliases)) {
    const note = notes[alias as keyof M];
    Object.assign(out, { [alias]: note ? shape[name].openapi({ description: note }) : shape[name] });
  }
  return out;
}

/** Whether a body names any field of an alias pair. */
export const sends = (input: Record<string, unknown>, aliases: AliasMap, stored: string) =>
  input[stored] !== undefined || Object.entries(aliases).some(([seed, s]) => s === stored && input[seed] !== undefined);

// ---- access ----------------------------------------------------------------------------------

/**
 * The caller's role in the workspace of the row being read (`workspaces` must be in the FROM):
 * `admin` for its owner, an active membership's role, otherwise null.
 */
export const roleIn = (userId: number | Placeholder) =>
  // Qualified by hand: drizzle leaves columns unqualified in a one-table select, where `id` would
  // name the subquery's own column.
  sql<MemberRole | null>`case when "workspaces"."admin_id" = ${userId} then 'admin' else (select m.role from workspace_members m where m.workspace_id = "workspaces"."id" and m.user_id = ${userId} and m.is_active = 1) end`;

/** The values of the statements built once per isolate (db/compiled.ts `statement`). */
export const slot = {
  id: sql.placeholder('id'),
  user: sql.placeholder('user'),
  limit: sql.placeholder('limit'),
  offset: sql.placeholder('offset'),
};
const caller = roleIn(slot.user);

/** A workspace and the caller's role in it, as a statement for the route's batch. */
export const workspaceAccessStmt = (db: Db, workspaceId: string, userId: number) =>
  statement(
    db,
    'workspace.access',
    (q) => q.select({ workspace: workspaces, role: caller }).from(workspaces).where(eq(workspaces.id, slot.id)).limit(1),
    { id: workspaceId, user: userId },
  );

/** A branch, its workspace and the caller's role, as a statement for the route's batch. */
export const branchAccessStmt = (db: Db, branchId: string, userId: number) =>
  statement(
    db,
    'workspace.branchAccess',
    (q) =>
      q
        .select({ branch: workspaceBranches, workspace: workspaces, role: caller })
        .from(workspaceBranches)
        .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
        .where(eq(workspaceBranches.id, slot.id))
        .limit(1),
    { id: branchId, user: userId },
  );

/** A space with its branch and workspace and the caller's role, as a statement for the route's batch. */
export const spaceAccessStmt = (db: Db, spaceId: string, userId: number) =>
  statement(
    db,
    'workspace.spaceAccess',
    (q) =>
      q
        .select({ space: workspaceSpaces, branch: workspaceBranches, workspace: workspaces, role: caller })
        .from(workspaceSpaces)
        .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
        .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
        .where(eq(workspaceSpaces.id, slot.id))
        .limit(1),
    { id: spaceId, user: userId },
  );

/** The access row of a batch: 404 (as for a missing row) when there is none or the caller has no role. */
export function granted<T extends { role: MemberRole | null }>(
  rows: T[],
  what: keyof typeof NOT_FOUND,
): T & { role: MemberRole } {
  const row = rows[0];
  if (!row?.role) throw notFound(what);
  return row as T & { role: MemberRole };
}

/** Admin, a workspace manager, or the branch's own manager (while an active member). */
export const managesBranch = (role: MemberRole, branch: BranchRow, userId: number) =>
  role === 'admin' || role === 'manager' || branch.manager_id === userId;

/** Throws the 404 of a path id that is not a UUID, before any query. */
export function checkId(id: string, what: keyof typeof NOT_FOUND) {
  if (!isUuid(id)) throw notFound(what);
  return id;
}

// ---- pagination --------------------------------------------------------------------------------

export const pageQuery = {
  page: z.string().optional().openapi({ type: 'integer', description: 'Page number (default 1).' }),
  page_size: z
    .string()
    .optional()
    .openapi({ type: 'integer', description: `Rows per page (default and maximum ${MAX_PAGE_SIZE}).` }),
};
