/**
 * /api/projects/{project_id}/members/ (our addition: the contract shows `members` on a project but
 * has no way to manage them). Members see the project; role `owner`/`manager` also manage it,
 * `contributor` adds tasks and milestones, `viewer` reads and comments. Listing takes sight of the
 * project; adding, changing and removing take manage access, except that a member may remove
 * themselves.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { ProjectMember_READ_ONLY } from '../../contract/tamiti/projects.gen';
import { contactField } from '../../core/contact';
import { drf } from '../../core/errors';
import { pageParams } from '../../core/pagination';
import { byId, createRow, destroyRow, kitOf, listRows, parseId, updateRow } from '../../core/resource';
import type { Kit, ResourceDef, Row } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { projectMembers } from '../../db/schema/projects';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { atLeast, childOfVisibleProject, projectAccess } from './access';
import type { ProjectLevel } from './access';
import { PaginatedProjectMemberList, PatchedProjectMemberWrite, ProjectMemberEntry, ProjectMemberWrite } from './schemas';

const UNIQUE = 'The fields project, user must make a unique set.';

export const memberResource: ResourceDef = {
  path: '/projects/{project_id}/members/',
  operationId: 'projects_members',
  tag: 'projects',
  model: 'ProjectMember',
  table: projectMembers,
  schemas: {
    read: ProjectMemberEntry,
    write: ProjectMemberWrite,
    patch: PatchedProjectMemberWrite,
    page: PaginatedProjectMemberList,
  },
  readOnly: [...ProjectMember_READ_ONLY, 'is_deleted', 'deleted_at'],
  scope: (k) => childOfVisibleProject(projectMembers.project, k.user.id),
  foreignKeys: { user: users },
  uniques: { project: UNIQUE },
  prepare: async (k, values, existing) => {
    if (existing) return values;
    const [dup] = await k.db
      .select({ id: projectMembers.id })
      .from(projectMembers)
      .where(and(eq(projectMembers.project, values.project as number), eq(projectMembers.user, values.user as number)))
      .limit(1);
    if (dup) throw drf.nonField(UNIQUE);
    return values;
  },
  expand: async (k, rows) => {
    const people = await byId<typeof users.$inferSelect>(
      k.db,
      users,
      rows.map((r) => r.user as number),
    );
    return rows.map((r) => ({
      ...r,
      user_email: contactField(k.user, r.user as number, people.get(r.user as number)?.email ?? null),
    }));
  },
};

const projectParam = { project_id: z.string().openapi({ param: { name: 'project_id', in: 'path' }, type: 'integer' }) };
const detailParams = z.object({
  ...projectParam,
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, type: 'integer', description: 'The membership id.' }),
});
const auth = requireAuth();

const listRoute = createRoute({
  tags: ['projects'],
  security: bearer,
  middleware: [auth] as const,
  method: 'get',
  path: '/api/projects/{project_id}/members/',
  operationId: 'projects_members_list',
  summary: "List a project's members",
  description:
    'The members of a project with their roles (`owner`, `manager`, `contributor`, `viewer`), one page at a time (`?page=`, `?page_size=`). Anyone who sees the project; 404 otherwise. Our addition: the original shows members on a project but has no way to manage them.',
  request: { params: z.object(projectParam), query: z.object(pageParams) },
  responses: { 200: jsonResponse(PaginatedProjectMemberList, ''), ...drfErrors },
});
const createMemberRoute = createRoute({
  tags: ['projects'],
  security: bearer,
  middleware: [auth] as const,
  method: 'post',
  path: '/api/projects/{project_id}/members/',
  operationId: 'projects_members_create',
  summary: 'Add a member to a project',
  description:
    'Adds a user with a role; a user already in the project is a 400 (`non_field_errors`). Owners and managers of the project only (403 for other members, 404 for those who do not see it).',
  request: { params: z.object(projectParam), body: jsonBody(ProjectMemberWrite) },
  responses: { 201: jsonResponse(ProjectMemberEntry, ''), ...drfErrors },
});
const patchRoute = createRoute({
  tags: ['projects'],
  security: bearer,
  middleware: [auth] as const,
  method: 'patch',
  path: '/api/projects/{project_id}/members/{id}/',
  operationId: 'projects_members_partial_update',
  summary: "Change a project member's role",
  description:
    'Changes the role of a membership of this project. Owners and managers of the project only (403 for other members, 404 for those who do not see it).',
  request: { params: detailParams, body: jsonBody(PatchedProjectMemberWrite) },
  responses: { 200: jsonResponse(ProjectMemberEntry, ''), ...drfErrors },
});
const deleteRoute = createRoute({
  tags: ['projects'],
  security: bearer,
  middleware: [auth] as const,
  method: 'delete',
  path: '/api/projects/{project_id}/members/{id}/',
  operationId: 'projects_members_destroy',
  summary: 'Remove a member from a project',
  description:
    'Removes a membership of this project; 204 with no body. Owners and managers of the project, or the member themselves (leaving); 403 for anyone else who sees the project.',
  request: { params: detailParams },
  responses: { 204: { description: 'No response body' }, ...drfErrors },
});

/** The project of the URL with the caller's level: 404 when invisible, 403 below `wanted`. */
async function projectFor(k: Kit, raw: string | undefined, wanted: ProjectLevel) {
  const projectId = parseId(raw ?? '', 'Project');
  const access = await projectAccess(k.db, k.user.id, projectId);
  if (!access || access.level === 'none') throw drf.notFound('No Project matches the given query.');
  return { projectId, allowed: atLeast(access.level, wanted) };
}

async function membership(k: Kit, projectId: number, raw: string | undefined): Promise<Row> {
  const id = parseId(raw ?? '', 'ProjectMember');
  const [row] = await k.db
    .select()
    .from(projectMembers)
    .where(and(eq(projectMembers.id, id), eq(projectMembers.project, projectId)))
    .limit(1);
  if (!row) throw drf.notFound('No ProjectMember matches the given query.');
  return row as Row;
}

/** Mounts the member routes. */
export function mountMembers(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const k = kitOf(c);
    const { projectId } = await projectFor(k, c.req.param('project_id'), 'read');
    return c.json((await listRows(memberResource, k, c.req.query(), eq(projectMembers.project, projectId))) as never, 200);
  });

  app.openapi(createMemberRoute, async (c) => {
    const k = kitOf(c);
    const { projectId, allowed } = await projectFor(k, c.req.param('project_id'), 'manage');
    if (!allowed) throw drf.forbidden();
    const body = await createRow(memberResource, k, { ...c.req.valid('json'), project: projectId });
    return c.json(body as never, 201);
  });

  app.openapi(patchRoute, async (c) => {
    const k = kitOf(c);
    const { projectId, allowed } = await projectFor(k, c.req.param('project_id'), 'manage');
    const existing = await membership(k, projectId, c.req.param('id'));
    if (!allowed) throw drf.forbidden();
    const body = await updateRow(memberResource, k, existing, c.req.valid('json'));
    return c.json(body as never, 200);
  });

  app.openapi(deleteRoute, async (c) => {
    const k = kitOf(c);
    const { projectId, allowed } = await projectFor(k, c.req.param('project_id'), 'manage');
    const existing = await membership(k, projectId, c.req.param('id'));
    if (!allowed && existing.user !== k.user.id) throw drf.forbidden();
    await destroyRow(memberResource, k, existing);
    return c.body(null, 204);
  });
  return app;
}
