/**
 * What every workspace route shares: the error envelope, list pagination, and the access rules
 * (who the caller is in a workspace, resolved with the row in one query).
 *
 * Access model: the workspace's admin (its creator, `workspaces.admin_id`, who also holds an
 * `admin` membership row) does everything; an active member (manager, staff, user) may view;
 * anyone else (outsiders, removed or inactive members) gets the same 404 as for a row that does
 * not exist, so a workspace's existence never leaks.
 */
import { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ws, type FieldErrors } from '../../core/errors';
import { lastPossiblePage, pageSizeOf } from '../../core/pagination';
import type { Db } from '../../core/resource';
import { jsonResponse } from '../../core/router';
import { workspaceBranches, workspaceMembers, workspaces, workspaceSpaces, type MemberRole } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';

export type WorkspaceRow = typeof workspaces.$inferSelect;
export type BranchRow = typeof workspaceBranches.$inferSelect;
export type SpaceRow = typeof workspaceSpaces.$inferSelect;
export type MemberRow = typeof workspaceMembers.$inferSelect;

// ---- errors ----------------------------------------------------------------------------------

/**
 * A workspace-family failure, always `{success:false, message, errors}`; without field errors the
 * message is repeated under `non_field_errors`, so clients read every failure the same way.
 */
export function fail(status: ContentfulStatusCode, message: string, errors?: FieldErrors) {
  return ws.fail(status, message, errors ?? { non_field_errors: [message] });
}

export const NOT_FOUND = {
  workspace: 'Workspace not found',
  branch: 'Branch not found',
  space: 'Space not found',
  member: 'Member not found',
} as const;

export const notFound = (what: keyof typeof NOT_FOUND) => fail(404, NOT_FOUND[what]);
export const forbidden = (message: string) => fail(403, message);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Path ids are UUIDs; anything else is the same 404 as a missing row. */
export const isUuid = (value: string | undefined | null): value is string => !!value && UUID_RE.test(value);

/** D1's unique-constraint text for a failed write, or undefined when the error is something else. */
export function uniqueViolation(err: unknown): string | undefined {
  const msg = String((err as Error)?.message ?? err) + String((err as { cause?: Error })?.cause?.message ?? '');
  return /UNIQUE constraint failed: ([^:]+?)(?::|$)/.exec(msg)?.[1];
}

export const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    message: z.string(),
    errors: z.record(z.string(), z.any()),
  })
  .openapi('WsErrorEnvelope');

/** A success without payload (deletes). */
export const Done = z.object({ success: z.boolean(), message: z.string() }).openapi('WsDone');

/** Documented failures, spread into each route's responses. */
export const failures = {
  400: jsonResponse(ErrorEnvelope, 'Invalid input'),
  401: jsonResponse(z.object({ detail: z.string() }), 'Not authenticated'),
  403: jsonResponse(ErrorEnvelope, 'The caller may view but not do this'),
  404: jsonResponse(ErrorEnvelope, 'Not found, or not visible to the caller'),
} as const;

// ---- pagination ------------------------------------------------------------------------------

export const MAX_PAGE_SIZE = 100;

export interface Page {
  page: number;
  size: number;
  offset: number;
}

export const pageQuery = {
  page: z.string().optional().openapi({ type: 'integer', description: 'Page number (default 1).' }),
  page_size: z
    .string()
    .optional()
    .openapi({ type: 'integer', description: `Rows per page (default and maximum ${MAX_PAGE_SIZE}).` }),
};

/**
 * `?page` / `?page_size`: by default the first 100 rows, so small lists come back whole. A page
 * beyond any list's end is "Invalid page." before any query; an unreadable page_size is the default.
 */
export function pageOf(query: { page?: string; page_size?: string }): Page {
  const size = pageSizeOf(query.page_size, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  let page = 1;
  if (query.page !== undefined && query.page !== '') {
    if (!/^\d+$/.test(query.page) || Number(query.page) < 1 || Number(query.page) > lastPossiblePage(size))
      throw fail(404, 'Invalid page.');
    page = Number(query.page);
  }
  return { page, size, offset: (page - 1) * size };
}

/** `{count, next, previous}` for a page; a page past the end (other than 1) is a 404. */
export function pageInfo(c: Context<AppEnv>, page: Page, count: number) {
  const last = Math.max(1, Math.ceil(count / page.size));
  if (page.page > last) throw fail(404, 'Invalid page.');
  const link = (n: number) => {
    const u = new URL(c.req.url);
    u.searchParams.set('page', String(n));
    return u.toString();
  };
  return {
    count,
    next: page.page < last ? link(page.page + 1) : null,
    previous: page.page > 1 ? link(page.page - 1) : null,
  };
}

export const PageInfo = {
  count: z.number().int(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
};

// ---- access ----------------------------------------------------------------------------------

/** The caller's role in a workspace: `admin` for its owner, the membership role otherwise. */
function roleOf(ownerId: number, userId: number, member: { role: MemberRole | null; is_active: boolean | null }) {
  if (ownerId === userId) return 'admin' as const;
  return member.role && member.is_active ? member.role : null;
}

const memberJoin = (userId: number) =>
  and(eq(workspaceMembers.workspace_id, workspaces.id), eq(workspaceMembers.user_id, userId));

export interface WorkspaceAccess {
  workspace: WorkspaceRow;
  role: MemberRole;
}

/** The workspace and the caller's role in it; 404 when it does not exist or the caller has no access. */
export async function workspaceAccess(db: Db, workspaceId: string, userId: number): Promise<WorkspaceAccess> {
  if (!isUuid(workspaceId)) throw notFound('workspace');
  const [row] = await db
    .select({ workspace: workspaces, role: workspaceMembers.role, is_active: workspaceMembers.is_active })
    .from(workspaces)
    .leftJoin(workspaceMembers, memberJoin(userId))
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  const role = row && roleOf(row.workspace.admin_id, userId, row);
  if (!role) throw notFound('workspace');
  return { workspace: row.workspace, role };
}

export interface BranchAccess extends WorkspaceAccess {
  branch: BranchRow;
  /** Admin, a workspace manager, or the branch's own manager (while an active member). */
  managesBranch: boolean;
}

const managesBranch = (role: MemberRole, branch: BranchRow, userId: number) =>
  role === 'admin' || role === 'manager' || branch.manager_id === userId;

/** A branch, its workspace and the caller's role; 404 as for the workspace. */
export async function branchAccess(db: Db, branchId: string, userId: number): Promise<BranchAccess> {
  if (!isUuid(branchId)) throw notFound('branch');
  const [row] = await db
    .select({
      branch: workspaceBranches,
      workspace: workspaces,
      role: workspaceMembers.role,
      is_active: workspaceMembers.is_active,
    })
    .from(workspaceBranches)
    .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
    .leftJoin(workspaceMembers, memberJoin(userId))
    .where(eq(workspaceBranches.id, branchId))
    .limit(1);
  const role = row && roleOf(row.workspace.admin_id, userId, row);
  if (!role) throw notFound('branch');
  return { workspace: row.workspace, branch: row.branch, role, managesBranch: managesBranch(role, row.branch, userId) };
}

export interface SpaceAccess extends BranchAccess {
  space: SpaceRow;
}

/** A space with its branch and workspace and the caller's role; 404 as for the workspace. */
export async function spaceAccess(db: Db, spaceId: string, userId: number): Promise<SpaceAccess> {
  const found = await loadSpaceForBooking(db, spaceId, userId);
  if (!found?.role) throw notFound('space');
  return { ...found, role: found.role, managesBranch: managesBranch(found.role, found.branch, userId) };
}

/**
 * A space with its branch, workspace and the caller's role (null when the caller is not an
 * active member, or when no caller is given), in one query; null when the space does not exist.
 * Meant for the bookings module: rates are exact decimal strings, `branch.operating_hours` holds
 * the opening rules if any.
 */
export async function loadSpaceForBooking(
  db: Db,
  spaceId: string,
  userId?: number,
): Promise<{ space: SpaceRow; branch: BranchRow; workspace: WorkspaceRow; role: MemberRole | null } | null> {
  if (!isUuid(spaceId)) return null;
  const [row] = await db
    .select({
      space: workspaceSpaces,
      branch: workspaceBranches,
      workspace: workspaces,
      role: workspaceMembers.role,
      is_active: workspaceMembers.is_active,
    })
    .from(workspaceSpaces)
    .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
    .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
    .leftJoin(workspaceMembers, memberJoin(userId ?? -1))
    .where(eq(workspaceSpaces.id, spaceId))
    .limit(1);
  if (!row) return null;
  const role = userId === undefined ? null : roleOf(row.workspace.admin_id, userId, row);
  return { space: row.space, branch: row.branch, workspace: row.workspace, role };
}
