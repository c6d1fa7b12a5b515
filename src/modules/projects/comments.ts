/**
 * /api/projects/{project_id}/comments/: a project's comments (oldest first), visible to whoever
 * sees the project. Listing a project the caller cannot see gives an empty page, as the original;
 * posting to one is a 404 (the original crashed with a 500, §14.14). The author is the caller and
 * the project comes from the URL (`project` in the body is optional and ignored).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { PaginatedProjectCommentList, ProjectComment, ProjectComment_READ_ONLY } from '../../contract/tamiti/projects.gen';
import { publicName } from '../../core/contact';
import { drf } from '../../core/errors';
import { pageParams } from '../../core/pagination';
import { byId, createRow, kitOf, listRows, parseId } from '../../core/resource';
import type { ResourceDef } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { projectComments } from '../../db/schema/projects';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { childOfVisibleProject, projectAccess } from './access';
import { ProjectCommentWrite } from './schemas';

export const commentResource: ResourceDef = {
  path: '/projects/{project_id}/comments/',
  operationId: 'projects_comments',
  tag: 'projects',
  model: 'ProjectComment',
  table: projectComments,
  schemas: { read: ProjectComment, write: ProjectCommentWrite, patch: ProjectCommentWrite, page: PaginatedProjectCommentList },
  readOnly: [...ProjectComment_READ_ONLY, 'is_deleted', 'deleted_at'],
  scope: (k) => childOfVisibleProject(projectComments.project, k.user.id),
  prepare: (k, values) => ({ ...values, user: k.user.id }),
  expand: async (k, rows) => {
    const authors = await byId<typeof users.$inferSelect>(
      k.db,
      users,
      rows.map((r) => r.user as number),
    );
    return rows.map((r) => {
      const u = authors.get(r.user as number);
      return { ...r, user_name: u ? publicName(k.user, u.id, `${u.first_name} ${u.last_name}`.trim()) : '' };
    });
  },
};

const params = z.object({
  project_id: z.string().openapi({ param: { name: 'project_id', in: 'path' }, type: 'integer' }),
});
const auth = requireAuth();

const listRoute = createRoute({
  method: 'get',
  path: '/api/projects/{project_id}/comments/',
  operationId: 'projects_comments_list',
  summary: "List a project's comments",
  description:
    "A project's comments, oldest first, one page at a time (`?page=`, `?page_size=`). A project the caller cannot see gives an empty page, as the original. Any signed-in user.",
  tags: ['projects'],
  security: bearer,
  middleware: [auth] as const,
  request: { params, query: z.object(pageParams) },
  responses: { 200: jsonResponse(PaginatedProjectCommentList, ''), ...drfErrors },
});

const createCommentRoute = createRoute({
  method: 'post',
  path: '/api/projects/{project_id}/comments/',
  operationId: 'projects_comments_create',
  summary: 'Comment on a project',
  description:
    'Posts a comment as the caller; the project comes from the URL (`project` in the body is optional and ignored). A project the caller cannot see is a 404 (the original crashed with a 500). Anyone who sees the project, viewers included.',
  tags: ['projects'],
  security: bearer,
  middleware: [auth] as const,
  request: { params, body: jsonBody(ProjectCommentWrite) },
  responses: { 201: jsonResponse(ProjectComment, ''), ...drfErrors },
});

/** Mounts the comment routes. */
export function mountComments(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const k = kitOf(c);
    const projectId = parseId(c.req.param('project_id') ?? '', 'Project');
    return c.json((await listRows(commentResource, k, c.req.query(), eq(projectComments.project, projectId))) as never, 200);
  });

  app.openapi(createCommentRoute, async (c) => {
    const k = kitOf(c);
    const projectId = parseId(c.req.param('project_id') ?? '', 'Project');
    const access = await projectAccess(k.db, k.user.id, projectId);
    if (!access || access.level === 'none') throw drf.notFound('No Project matches the given query.');
    const body = await createRow(commentResource, k, { ...c.req.valid('json'), project: projectId });
    return c.json(body as never, 201);
  });
  return app;
}
