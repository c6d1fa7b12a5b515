/**
 * GET /api/workspace/workspaces/: the workspaces the caller administers or is an active member of,
 * newest first, one page at a time (one round trip). Its own module: a first list builds neither the
 * writes' bodies nor their helpers (src/app.ts serves GETs of the list from it; ./workspaces.ts
 * mounts it again with the rest of /api/workspace/workspaces/).
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { paginate, pageRequest, wsPages } from '../../core/pagination';
import { mount, route } from '../../core/route';
import { runOne, statement } from '../../db/compiled';
import { workspaces } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import { pageQuery, slot, tags } from './common';
import { newestWorkspaces, selectWorkspaces, Workspace, workspaceOut } from './workspace-out';

export const workspaceList = route({
  method: 'get',
  path: '/api/workspace/workspaces/',
  operationId: 'workspace_workspaces_list',
  responseDescription: 'Workspaces',
  summary: 'Workspaces the caller administers or is an active member of, newest first',
  tags,
  query: z.object(pageQuery),
  response: Workspace,
  envelope: {
    message: 'Workspaces retrieved successfully',
    failure: 'Invalid query parameters',
    key: 'workspaces',
    list: true,
    name: 'WsWorkspaceListResponse',
  },
  async handler({ s, db, actor, query }) {
    const page = pageRequest(query, wsPages);
    const rows = await runOne(
      db,
      statement(
        db,
        'workspace.mine',
        (q) =>
          selectWorkspaces(q)
            .where(
              sql`(${workspaces.admin_id} = ${slot.user} or ${workspaces.id} in (select workspace_id from workspace_members where user_id = ${slot.user} and is_active = 1))`,
            )
            .orderBy(...newestWorkspaces)
            .limit(slot.limit)
            .offset(slot.offset),
        { user: actor.id, limit: page.pageSize, offset: page.offset },
      ),
    );
    return paginate(s.url, page, rows[0]?.total ?? 0, rows.map(workspaceOut), wsPages);
  },
});

/** Mounts the list alone (the area's read app). */
export function mountWorkspaceList(app: OpenAPIHono<AppEnv>) {
  mount(app, workspaceList);
}
