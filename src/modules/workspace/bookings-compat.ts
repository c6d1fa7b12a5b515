/**
 * What src/modules/bookings/ (before its move to workspace/bookings/ on the route kit) still
 * imports from workspace/common.ts. Delete this file and its re-export in common.ts when the
 * moved bookings module is merged: nothing else uses it.
 */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { paginate, pageRequest } from '../../core/pagination';
import { envelopeErrors } from '../../core/route';
import type { Db } from '../../db';
import type { AppEnv } from '../../env';
import { checkId, granted, wsPages, workspaceAccessStmt } from './common';

/** @deprecated the route kit documents these. */
export const failures = envelopeErrors;

/** @deprecated use `pageRequest(query, wsPages)`. */
export function pageOf(query: { page?: string; page_size?: string }) {
  const r = pageRequest(query, wsPages);
  return { page: r.page, size: r.pageSize, offset: r.offset };
}

/** @deprecated use `paginate(s.url, page, count, results, wsPages)`. */
export function pageInfo(c: Context<AppEnv>, page: { page: number; size: number; offset: number }, count: number) {
  const { results: _, ...info } = paginate(
    c.req.url,
    { page: page.page, pageSize: page.size, offset: page.offset },
    count,
    [],
    wsPages,
  );
  return info;
}

/** @deprecated the kit builds list envelopes. */
export const PageInfo = {
  count: z.number().int(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
};

/** @deprecated put `workspaceAccessStmt` in the route's batch and read it with `granted`. */
export async function workspaceAccess(db: Db, workspaceId: string, userId: number) {
  return granted(await workspaceAccessStmt(db, checkId(workspaceId, 'workspace'), userId), 'workspace');
}
