/**
 * A space as bookings see it: the space with its branch, its workspace and the caller's role there,
 * as one statement to put in a batch (plain reads of the workspace tables, which the workspace
 * routes own). Any signed-in user may book a space that is open to the public: available, in an
 * active branch of an active workspace. Members of the workspace also see the spaces that are not.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../db';
import { type ResultOf, statement } from '../../../db/compiled';
import { slot } from '../common';
import { type MemberRole, workspaceBranches, workspaceMembers, workspaces, workspaceSpaces } from '../../../db/schema/workspace';

export type SpaceRow = typeof workspaceSpaces.$inferSelect;
export type BranchRow = typeof workspaceBranches.$inferSelect;
export type WorkspaceRow = typeof workspaces.$inferSelect;

/**
 * The space, its branch and workspace, and the caller's active membership (if any), for a batch;
 * built once per isolate (db/compiled.ts).
 */
export function spaceStmt(db: Db, spaceId: string, userId?: number) {
  return statement(
    db,
    'workspace.bookableSpace',
    (q) =>
      q
        .select({
          space: workspaceSpaces,
          branch: workspaceBranches,
          workspace: workspaces,
          member_role: workspaceMembers.role,
          member_active: workspaceMembers.is_active,
        })
        .from(workspaceSpaces)
        .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
        .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
        .leftJoin(
          workspaceMembers,
          and(eq(workspaceMembers.workspace_id, workspaces.id), eq(workspaceMembers.user_id, slot.user)),
        )
        .where(eq(workspaceSpaces.id, slot.id))
        .limit(1),
    { id: spaceId, user: userId ?? -1 },
  );
}

export interface BookableSpace {
  space: SpaceRow;
  branch: BranchRow;
  workspace: WorkspaceRow;
  /** The caller's role in the workspace (`admin` for its owner), null for anyone else. */
  role: MemberRole | null;
  /** Available, in an active branch of an active workspace. */
  open: boolean;
}

/** Reads `spaceStmt`'s row; null when the space does not exist. */
export function bookableSpace(rows: ResultOf<ReturnType<typeof spaceStmt>>, userId?: number): BookableSpace | null {
  const row = rows[0];
  if (!row) return null;
  const role =
    userId !== undefined && row.workspace.admin_id === userId
      ? ('admin' as const)
      : row.member_role && row.member_active
        ? row.member_role
        : null;
  const open = row.space.is_available && row.branch.is_active && row.workspace.is_active;
  return { space: row.space, branch: row.branch, workspace: row.workspace, role, open };
}
