/**
 * The write shapes the workspace, branch and space routes share: a write batch ending in the row's
 * read-back, an update's PUT and PATCH forms, and the admin-only delete that takes its spaces'
 * stored photos with it.
 */
import type { z } from '@hono/zod-openapi';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { FieldErrors } from '../../core/errors';
import { fileDeleteEvent } from '../../core/files';
import { type RouteSpec, route } from '../../core/route';
import { publish } from '../../core/scope';
import { type AnyTable, type Db, runBatch, type Stmt } from '../../db';
import type { MemberRole } from '../../db/schema/workspace';
import { checkId, fail, forbidden, granted, roleIn, tags } from './common';
import { photoFilesStmt, photoRelease } from './space-photos';

/**
 * Runs a write's statements and then `readBack` as one batch (one round trip, one transaction) and
 * returns the row read back. A failed write that `conflict` recognises (a unique rule) is the
 * route's 400 with its field errors; anything else is rethrown.
 */
export async function writeAndRead<T>(
  db: Db,
  stmts: Stmt[],
  readBack: Stmt & PromiseLike<T[]>,
  message: string,
  conflict: (err: unknown) => FieldErrors | undefined,
): Promise<T> {
  let rows: unknown[];
  try {
    rows = await runBatch(db, [...stmts, readBack]);
  } catch (err) {
    const errors = conflict(err);
    if (errors) throw fail(400, message, errors);
    throw err;
  }
  return (rows[rows.length - 1] as T[])[0];
}

/**
 * An update's two routes: the PUT as declared, and its PATCH twin (same path, handler and docs)
 * under the partial-update operationId. Both read the body as partial, as the original does.
 */
export function withPatch<R extends { method: string; operationId: string }>(put: R, patchOperationId: string): [R, R] {
  return [put, { ...put, method: 'patch', operationId: patchOperationId }];
}

/**
 * True where the caller is the admin of the workspace `workspaceId` names (an id, or a subquery
 * selecting it): the condition that makes an admin-only write a no-op for anyone else.
 */
export const callerIsAdmin = (workspaceId: SQL, userId: number) =>
  sql`exists (select 1 from workspaces where "workspaces"."id" = ${workspaceId} and ${roleIn(userId)} = 'admin')`;

type Level = 'workspace' | 'branch' | 'space';

/** What an admin-only delete declares (see `adminDelete`). */
export interface AdminDelete<P extends z.ZodObject, A extends { role: MemberRole | null }> {
  path: string;
  operationId: string;
  summary: string;
  params: P;
  /** The row's kind: its path id's 404. */
  what: Level;
  id: (params: z.output<P>) => string;
  /** The success message and the 403 for a caller who may view but not delete. */
  message: string;
  denied: string;
  /** The row with the caller's role (`granted` reads it). */
  access: (db: Db, id: string, userId: number) => Stmt & { readonly _: { readonly result: A[] } };
  /** The ids of the spaces whose photos go with the row, as a subquery. */
  spaces: (id: string) => SQL;
  /** The row's table (its primary key `id`). */
  table: AnyTable;
  /** The workspace the row belongs to, as an id or a subquery selecting it. */
  workspaceOf: (id: string) => SQL;
  /** Stored files of the row itself (a workspace's logo), released with its photos. */
  files?: (row: A) => string[];
}

/**
 * An admin-only delete in one round trip: the caller's access row, the photo keys of the spaces
 * that cascade away, and the delete made conditional on the caller being the workspace's admin run
 * as one batch; then a missing row is the 404, a member who is not the admin the 403 (the delete
 * deleted nothing), and the released files are queued for removal from R2.
 */
export function adminDelete<P extends z.ZodObject, A extends { role: MemberRole | null }>(spec: AdminDelete<P, A>) {
  const declared: RouteSpec<P, undefined, undefined, undefined, 'user'> = {
    method: 'delete',
    path: spec.path,
    operationId: spec.operationId,
    responseDescription: 'Deleted',
    summary: spec.summary,
    tags,
    params: spec.params,
    envelope: { message: spec.message },
    async handler({ s, db, actor, params }) {
      const id = checkId(spec.id(params as z.output<P>), spec.what);
      const adminOnly = callerIsAdmin(spec.workspaceOf(id), actor.id);
      const [access, photos] = await runBatch(db, [
        spec.access(db, id, actor.id),
        photoFilesStmt(db, spec.spaces(id)),
        // Deletes nothing for anyone but the admin: a refusal below leaves the row in place.
        db.delete(spec.table).where(and(eq(spec.table.id, id), adminOnly)),
      ]);
      const row = granted(access as A[], spec.what);
      if (row.role !== 'admin') throw forbidden(spec.denied);
      const own = spec.files?.(row) ?? [];
      publish(s, ...photoRelease(photos as { file: string }[]), ...(own.length ? [fileDeleteEvent(own)] : []));
    },
  };
  return route(declared);
}
