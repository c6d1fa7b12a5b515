/**
 * /api/projects/{project_id}/members/ (our addition: the contract shows `members` on a project but
 * has no way to manage them). Members see the project; role `owner`/`manager` also manage it,
 * `contributor` adds tasks and milestones, `viewer` reads and comments. Listing takes sight of the
 * project; adding, changing and removing take manage access, except that a member may remove
 * themselves.
 * Round trips: the list is one (the caller's access to the project, count, page and emails); a
 * write two (the access with the membership, the user and duplicate checks; then the write with
 * its read-back).
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { and, asc, count, eq, sql } from 'drizzle-orm';
import { ProjectMember_READ_ONLY } from '../../contract/tamiti/projects/projects.gen';
import { drf } from '../../core/errors';
import { type PageRequest, pageParams, pageRequest, paginate } from '../../core/pagination';
import { createRow, destroyRow, kitOf, parseId, pickAs, updateRow } from '../../core/resource';
import type { Kit, ResourceDef, Row } from '../../core/resource';
import { mount, route } from '../../core/route';
import { runBatch } from '../../db';
import { projectMembers } from '../../db/schema/projects';
import { users } from '../../db/schema/users';
import type { AppEnv } from '../../env';
import { accessCheck, accessIn, atLeast, childOfVisibleProject, projectAccessStmt, requireLevel } from './access';
import { memberEmails } from './expansions';
import { PaginatedProjectMemberList, PatchedProjectMemberWrite, ProjectMemberEntry, ProjectMemberWrite } from './schemas';

const UNIQUE = 'The fields project, user must make a unique set.';
const projectNotFound = () => drf.notFound('No Project matches the given query.');

export const memberResource: ResourceDef<typeof projectMembers> = {
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
  // Adding takes managing the project (404 when the caller does not see it, 403 below manage),
  // decided before the user and duplicate checks' 400s, all in the first round trip.
  checks: (k, values, _existing, target) =>
    target.action === 'create'
      ? [
          accessCheck(k.db, k.user.id, values.project as number, (access) => {
            if (!access || access.level === 'none') throw projectNotFound();
            return requireLevel(access, 'manage');
          }),
          {
            stmt: k.db
              .select({ id: projectMembers.id })
              .from(projectMembers)
              .where(and(eq(projectMembers.project, values.project as number), eq(projectMembers.user, values.user as number)))
              .limit(1),
            verify: (rows) => (rows.length ? { non_field_errors: [UNIQUE] } : undefined),
          },
        ]
      : [],
  expansion: memberEmails,
};

const projectParam = { project_id: z.string().openapi({ param: { name: 'project_id', in: 'path' }, type: 'integer' }) };
const detailParams = z.object({
  ...projectParam,
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, type: 'integer', description: 'The membership id.' }),
});

/** The caller's level on the project from a `projectAccessStmt`'s rows: 404 when they do not see it. */
function sightOf(k: Kit, rows: unknown[]) {
  const access = accessIn(rows, k.user.id);
  if (!access || access.level === 'none') throw projectNotFound();
  return access;
}

/** A page of a project's members: access, count, page and emails in one round trip. */
async function listMembers(k: Kit, projectId: number, query: Record<string, string | undefined>) {
  // A malformed page is a 404 too, but the project's own 404 comes first (as when it was checked apart).
  let page: PageRequest | undefined;
  let invalidPage: unknown;
  try {
    page = pageRequest(query);
  } catch (err) {
    invalidPage = err;
  }
  const where = eq(projectMembers.project, projectId);
  const pageOf = (p: PageRequest) =>
    k.db.select().from(projectMembers).where(where).orderBy(asc(projectMembers.id)).limit(p.pageSize).offset(p.offset);
  const idsOf = (p: PageRequest) =>
    k.db
      .select({ id: projectMembers.id })
      .from(projectMembers)
      .where(where)
      .orderBy(asc(projectMembers.id))
      .limit(p.pageSize)
      .offset(p.offset);
  const stmts = page
    ? [
        k.db.select({ total: count() }).from(projectMembers).where(where),
        pageOf(page),
        ...memberEmails.load(k, sql`(${idsOf(page)})`),
      ]
    : [];
  const [access, ...rest] = await runBatch(k.db, [projectAccessStmt(k.db, k.user.id, projectId), ...stmts]);
  // runBatch types each statement's result as unknown (drizzle's BatchItem list loses them).
  sightOf(k, access as unknown[]);
  if (!page) throw invalidPage;
  const [[{ total }], rows, ...loaded] = rest as [[{ total: number }], Row[], ...unknown[][]];
  const results = memberEmails.attach(k, rows, loaded).map((r) => pickAs(ProjectMemberEntry, r));
  return paginate(k.s.url, page, total, results);
}

/**
 * The membership of the URL with the caller's level on its project, in one round trip: 404 when the
 * project is not visible or the membership is not one of its own.
 */
async function membership(k: Kit, params: { project_id: string; id: string }) {
  const projectId = parseId(params.project_id, 'Project');
  // A malformed membership id matches no row: the same 404, after the project's.
  const id = /^\d{1,15}$/.test(params.id) ? Number(params.id) : 0;
  // runBatch types each statement's result as unknown (drizzle's BatchItem list loses them).
  const [access, [row]] = (await runBatch(k.db, [
    projectAccessStmt(k.db, k.user.id, projectId),
    k.db
      .select()
      .from(projectMembers)
      .where(and(eq(projectMembers.id, id), eq(projectMembers.project, projectId)))
      .limit(1),
  ])) as [unknown[], Row[]];
  const level = sightOf(k, access).level;
  if (!row) throw drf.notFound('No ProjectMember matches the given query.');
  return { row, manages: atLeast(level, 'manage') };
}

const tags = ['projects'];

const listRoute = route({
  tags,
  audience: 'staff',
  method: 'get',
  path: '/api/projects/{project_id}/members/',
  operationId: 'projects_members_list',
  summary: "List a project's members",
  description:
    'The members of a project with their roles (`owner`, `manager`, `contributor`, `viewer`), one page at a time (`?page=`, `?page_size=`). Anyone who sees the project; 404 otherwise. Our addition: the original shows members on a project but has no way to manage them.',
  params: z.object(projectParam),
  query: z.object(pageParams),
  response: PaginatedProjectMemberList,
  handler: ({ c, params, query }) => listMembers(kitOf(c), parseId(params.project_id, 'Project'), query),
});

const createMemberRoute = route({
  tags,
  audience: 'staff',
  method: 'post',
  path: '/api/projects/{project_id}/members/',
  operationId: 'projects_members_create',
  summary: 'Add a member to a project',
  description:
    'Adds a user with a role; a user already in the project is a 400 (`non_field_errors`). Owners and managers of the project only (403 for other members, 404 for those who do not see it).',
  params: z.object(projectParam),
  body: ProjectMemberWrite,
  status: 201,
  response: ProjectMemberEntry,
  handler: async ({ c, params, body }) => {
    const projectId = parseId(params.project_id, 'Project');
    return pickAs(ProjectMemberEntry, await createRow(memberResource, kitOf(c), { ...body, project: projectId }));
  },
});

const patchRoute = route({
  tags,
  audience: 'staff',
  method: 'patch',
  path: '/api/projects/{project_id}/members/{id}/',
  operationId: 'projects_members_partial_update',
  summary: "Change a project member's role",
  description:
    'Changes the role of a membership of this project. Owners and managers of the project only (403 for other members, 404 for those who do not see it).',
  params: detailParams,
  body: PatchedProjectMemberWrite,
  response: ProjectMemberEntry,
  handler: async ({ c, params, body }) => {
    const k = kitOf(c);
    const { row, manages } = await membership(k, params);
    if (!manages) throw drf.forbidden();
    return pickAs(ProjectMemberEntry, await updateRow(memberResource, k, row, body));
  },
});

const deleteRoute = route({
  tags,
  audience: 'staff',
  method: 'delete',
  path: '/api/projects/{project_id}/members/{id}/',
  operationId: 'projects_members_destroy',
  summary: 'Remove a member from a project',
  description:
    'Removes a membership of this project; 204 with no body. Owners and managers of the project, or the member themselves (leaving); 403 for anyone else who sees the project.',
  params: detailParams,
  status: 204,
  handler: async ({ c, params }) => {
    const k = kitOf(c);
    const { row, manages } = await membership(k, params);
    if (!manages && row.user !== k.user.id) throw drf.forbidden();
    await destroyRow(memberResource, k, row);
  },
});

/** Mounts the member routes. */
export function mountMembers(app: OpenAPIHono<AppEnv>) {
  mount(app, listRoute);
  mount(app, createMemberRoute);
  mount(app, patchRoute);
  mount(app, deleteRoute);
  return app;
}
