/**
 * /api/projects/{project_id}/comments/: a project's comments (oldest first), visible to whoever
 * sees the project. Listing a project the caller cannot see gives an empty page, as the original;
 * posting to one is a 404 (the original crashed with a 500, §14.14). The author is the caller and
 * the project comes from the URL (`project` in the body is optional and ignored).
 * Round trips: the list is one (count, page and the authors' names); a post two (the caller's
 * access to the project, then the insert with its read-back).
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { ProjectComment, ProjectComment_READ_ONLY } from '../../contract/tamiti/projects.gen';
import { PaginatedProjectCommentList } from '../../contract/tamiti/projects/comments.gen';
import { drf } from '../../core/errors';
import { pageParams } from '../../core/pagination';
import { createRow, kitOf, listRows, parseId, pickAs } from '../../core/resource';
import type { ResourceDef } from '../../core/resource';
import { mount, route } from '../../core/route';
import { projectComments } from '../../db/schema/projects';
import type { AppEnv } from '../../env';
import { accessCheck, childOfVisibleProject } from './access';
import { commentAuthors } from './expansions';
import { ProjectCommentWrite } from './schemas';

export const commentResource: ResourceDef<typeof projectComments> = {
  path: '/projects/{project_id}/comments/',
  operationId: 'projects_comments',
  tag: 'projects',
  model: 'ProjectComment',
  table: projectComments,
  schemas: { read: ProjectComment, write: ProjectCommentWrite, patch: ProjectCommentWrite, page: PaginatedProjectCommentList },
  readOnly: [...ProjectComment_READ_ONLY, 'is_deleted', 'deleted_at'],
  scope: (k) => childOfVisibleProject(projectComments.project, k.user.id),
  // Posting takes sight of the project (any level, viewers included): a 404 otherwise.
  checks: (k, values) => [
    accessCheck(k.db, k.user.id, values.project as number, (access) => {
      if (!access || access.level === 'none') throw drf.notFound('No Project matches the given query.');
      return undefined;
    }),
  ],
  prepare: (k, values) => ({ ...values, user: k.user.id }),
  expansion: commentAuthors,
};

const params = z.object({
  project_id: z.string().openapi({ param: { name: 'project_id', in: 'path' }, type: 'integer' }),
});

const listRoute = route({
  method: 'get',
  path: '/api/projects/{project_id}/comments/',
  operationId: 'projects_comments_list',
  summary: "List a project's comments",
  description:
    "A project's comments, oldest first, one page at a time (`?page=`, `?page_size=`). A project the caller cannot see gives an empty page, as the original. Any signed-in user.",
  tags: ['projects'],
  audience: 'staff',
  params,
  query: z.object(pageParams),
  response: PaginatedProjectCommentList,
  handler: async ({ c, params, query }) => {
    const projectId = parseId(params.project_id, 'Project');
    const page = await listRows(commentResource, kitOf(c), query, eq(projectComments.project, projectId));
    return { ...page, results: page.results.map((r) => pickAs(ProjectComment, r)) };
  },
});

const createCommentRoute = route({
  method: 'post',
  path: '/api/projects/{project_id}/comments/',
  operationId: 'projects_comments_create',
  summary: 'Comment on a project',
  description:
    'Posts a comment as the caller; the project comes from the URL (`project` in the body is optional and ignored). A project the caller cannot see is a 404 (the original crashed with a 500). Anyone who sees the project, viewers included.',
  tags: ['projects'],
  audience: 'staff',
  params,
  body: ProjectCommentWrite,
  status: 201,
  response: ProjectComment,
  handler: async ({ c, params, body }) => {
    const projectId = parseId(params.project_id, 'Project');
    return pickAs(ProjectComment, await createRow(commentResource, kitOf(c), { ...body, project: projectId }));
  },
});

/** Mounts the comment routes. */
export function mountComments(app: OpenAPIHono<AppEnv>) {
  mount(app, listRoute);
  mount(app, createCommentRoute);
  return app;
}
