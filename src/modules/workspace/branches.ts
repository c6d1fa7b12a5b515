/**
 * Branches (office locations) of a workspace. The seed's paths carry the workspace in the body
 * (`POST /branches/create/`) or the query (`GET /branches/?workspace_id=`); the original's
 * path-id forms are aliases. Only the admin creates and deletes branches; the admin or the
 * branch's manager edits one; every active member may view them.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { bool, email, str } from '../../core/fields';
import { paginate, pageRequest, wsPages } from '../../core/pagination';
import { mount, route } from '../../core/route';
import type { Db, Stmt } from '../../db';
import { statement } from '../../db/compiled';
import { users } from '../../db/schema/users';
import { workspaceBranches, workspaces, workspaceSpaces } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import {
  type AliasMap,
  aliasFields,
  BranchPath,
  branchAccessStmt,
  checkId,
  fail,
  forbidden,
  granted,
  managesBranch,
  notFound,
  pageQuery,
  sends,
  tags,
  uniqueColumns,
  unalias,
  WorkspacePath,
  workspaceAccessStmt,
  pathIdIntoBody,
  pathIdIntoQuery,
  slot,
} from './common';
import { Branch, BranchDetail, branchOut, newestBranches, selectBranches, selectSpaces, spaceOut } from './serializers';
import { selectWorkspaces, workspaceOut } from './workspace-out';
import { adminDelete, withPatch, writeAndRead } from './writes';

const blank = (max: number) => str({ max, blank: true }).optional();
const toNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
const coordinate = (limit: number) => z.preprocess(toNumber, z.number().min(-limit).max(limit).nullable()).optional();
const userUuid = () => z.uuid().nullable().optional().openapi({ description: "A user's id (users' UUID); null clears it." });

/** Input aliases: the original's name → the stored (seed's) name. */
const BRANCH_INPUT_ALIASES = { manager: 'manager_id' } as const satisfies AliasMap;

const branchFields = {
  name: str({ max: 255 }),
  description: z.string().nullable().optional().openapi({ description: 'Omitted or null: none (null).' }),
  manager_id: userUuid(),
  email: z.preprocess((v) => (v === '' ? null : v), email({ max: 254 }).nullable()).optional(),
  phone: blank(20),
  address: str({ max: 255 }),
  city: blank(100),
  state: blank(100),
  country: blank(100),
  postal_code: blank(20),
  latitude: coordinate(90),
  longitude: coordinate(180),
  operating_hours: z
    .record(z.string(), z.any())
    .nullable()
    .optional()
    .openapi({ description: 'Opening rules per weekday, e.g. {"monday": {"open": "08:00", "close": "18:00"}}.' }),
  images: z.array(z.any()).optional(),
  is_active: bool().optional(),
};
const branchInput = {
  ...branchFields,
  ...aliasFields(branchFields, BRANCH_INPUT_ALIASES, { manager: 'Alias of manager_id (the original name).' }),
};

export const BranchCreate = z
  .object({ workspace_id: z.uuid().openapi({ description: 'The workspace the branch belongs to.' }), ...branchInput })
  .openapi('WsBranchCreateRequest');
export const BranchCreateInPath = z.object(branchInput).openapi('WsBranchCreateInWorkspaceRequest');
export const BranchUpdate = z.object(branchInput).partial().openapi('WsBranchUpdateRequest');
type BranchInput = z.infer<typeof BranchUpdate>;

const DUPLICATE = { non_field_errors: ['The fields workspace, name must make a unique set.'] };

/**
 * The user a manager UUID names, and whether they are an active member of the workspace `ws` (an
 * id, or a subquery selecting it): a statement for the checks' batch.
 */
const managerStmt = (db: Db, ws: string | SQL, uuid: string) =>
  db
    .select({
      id: users.id,
      active: sql<number>`exists (select 1 from workspace_members m where m.user_id = "users"."id" and m.workspace_id = ${ws} and m.is_active = 1)`,
    })
    .from(users)
    .where(eq(users.uuid, uuid))
    .limit(1);

/** The manager a body sets: undefined when not sent, null when cleared, else the UUID. */
const managerOf = (input: BranchInput) => {
  const { values } = unalias(input, BRANCH_INPUT_ALIASES);
  return values.manager_id as string | null | undefined;
};

/**
 * The manager's user id once the checks' rows are in: the user must exist and be the workspace's
 * admin or an active member (a stranger never gains rights over a branch).
 */
function resolveManager(
  rows: { id: number; active: number }[],
  uuid: string | null | undefined,
  adminId: number,
  field: string,
  message: string,
) {
  if (uuid === undefined) return undefined;
  if (uuid === null) return null;
  const row = rows[0];
  if (!row) throw fail(400, message, { [field]: [`Invalid pk "${uuid}" - object does not exist.`] });
  if (row.id !== adminId && !row.active)
    throw fail(400, message, { [field]: ['User is not an active member of this workspace.'] });
  return row.id;
}

const managerField = (input: BranchInput) => (input.manager_id !== undefined ? 'manager_id' : 'manager');

function writeValues(input: BranchInput) {
  const { values } = unalias(input, BRANCH_INPUT_ALIASES);
  delete values.manager_id;
  return values as Partial<typeof workspaceBranches.$inferInsert>;
}

/** Runs a write batch that ends with reading the branch back; a duplicate name is a 400. */
async function writeAndReadBranch(db: Db, stmts: Stmt[], id: string, message: string) {
  const readBack = selectBranches(db).where(eq(workspaceBranches.id, id)).limit(1);
  return branchOut(await writeAndRead(db, stmts, readBack, message, (err) => (uniqueColumns(err) ? DUPLICATE : undefined)));
}

const created = route({
  method: 'post',
  path: '/api/workspace/branches/create/',
  operationId: 'workspace_branches_create',
  responseDescription: 'Created',
  summary: 'Create a branch in the workspace named by workspace_id (admin only)',
  tags,
  body: BranchCreate,
  status: 201,
  response: Branch,
  envelope: {
    message: 'Branch created successfully',
    failure: 'Branch creation failed',
    key: 'branch',
    name: 'WsBranchResponse',
  },
  aliases: [
    {
      path: '/api/workspace/workspaces/{workspace_id}/branches/create/',
      operationId: 'workspace_workspaces_branches_create',
      summary: 'Create a branch (the original path form; admin only)',
      params: WorkspacePath,
      body: BranchCreateInPath,
      into: pathIdIntoBody<z.infer<typeof BranchCreate>>('workspace_id'),
    },
  ],
  async handler({ db, actor, body }) {
    const { workspace_id: workspaceId, ...input } = body;
    checkId(workspaceId, 'workspace');
    const manager = managerOf(input);
    const [access, managers] = await db.batch([
      workspaceAccessStmt(db, workspaceId, actor.id),
      managerStmt(db, workspaceId, manager ?? ''),
    ]);
    const { workspace, role } = granted(access, 'workspace');
    if (role !== 'admin') throw forbidden('Only workspace admin can create branches');
    const managerId = resolveManager(managers, manager, workspace.admin_id, managerField(input), 'Branch creation failed');
    const id = crypto.randomUUID();
    const insert = db.insert(workspaceBranches).values({
      ...writeValues(input),
      name: input.name,
      address: input.address,
      id,
      workspace_id: workspace.id,
      manager_id: managerId ?? null,
    });
    return writeAndReadBranch(db, [insert], id, 'Branch creation failed');
  },
});

const list = route({
  method: 'get',
  path: '/api/workspace/branches/',
  operationId: 'workspace_branches_list',
  responseDescription: 'Branches',
  summary: "A workspace's branches (workspace_id required), newest first",
  tags,
  query: z.object({ workspace_id: z.uuid().openapi({ description: 'Required.' }), ...pageQuery }),
  response: Branch,
  envelope: {
    message: 'Branches retrieved successfully',
    failure: 'Invalid query parameters',
    key: 'branches',
    list: true,
    name: 'WsBranchListResponse',
  },
  aliases: [
    {
      path: '/api/workspace/workspaces/{workspace_id}/branches/',
      operationId: 'workspace_workspaces_branches_list',
      summary: "A workspace's branches (the original path form)",
      params: WorkspacePath,
      query: z.object(pageQuery),
      into: pathIdIntoQuery<{ workspace_id: string; page?: string; page_size?: string }>('workspace_id'),
    },
  ],
  async handler({ s, db, actor, query }) {
    const workspaceId = checkId(query.workspace_id, 'workspace');
    const page = pageRequest(query, wsPages);
    const [access, rows] = await db.batch([
      workspaceAccessStmt(db, workspaceId, actor.id),
      statement(
        db,
        'workspace.branchesOf',
        (q) =>
          selectBranches(q)
            .where(eq(workspaceBranches.workspace_id, slot.id))
            .orderBy(...newestBranches)
            .limit(slot.limit)
            .offset(slot.offset),
        { id: workspaceId, limit: page.pageSize, offset: page.offset },
      ),
    ]);
    granted(access, 'workspace');
    return paginate(s.url, page, rows[0]?.total ?? 0, rows.map(branchOut), wsPages);
  },
});

const retrieve = route({
  method: 'get',
  path: '/api/workspace/branches/{branch_id}/',
  operationId: 'workspace_branches_retrieve',
  responseDescription: 'The branch',
  summary: 'A branch with its available spaces',
  tags,
  params: BranchPath,
  response: BranchDetail,
  envelope: { message: 'Branch retrieved successfully', key: 'branch', name: 'WsBranchDetailResponse' },
  async handler({ db, actor, params }) {
    const id = checkId(params.branch_id, 'branch');
    const [access, rows, spaces, found] = await db.batch([
      branchAccessStmt(db, id, actor.id),
      statement(db, 'workspace.branch', (q) => selectBranches(q).where(eq(workspaceBranches.id, slot.id)).limit(1), { id }),
      statement(
        db,
        'workspace.branchSpaces',
        (q) =>
          selectSpaces(q)
            .where(and(eq(workspaceSpaces.branch_id, slot.id), eq(workspaceSpaces.is_available, true)))
            .orderBy(workspaceSpaces.name, workspaceSpaces.id),
        { id },
      ),
      statement(
        db,
        'workspace.branchWorkspace',
        (q) =>
          selectWorkspaces(q)
            .where(sql`${workspaces.id} = (select workspace_id from workspace_branches where id = ${slot.id})`)
            .limit(1),
        { id },
      ),
    ]);
    granted(access, 'branch');
    if (!rows[0] || !found[0]) throw notFound('branch');
    return { ...branchOut(rows[0]), workspace: workspaceOut(found[0]), spaces: spaces.map(spaceOut) };
  },
});

const [update, partialUpdate] = withPatch(
  route({
    method: 'put',
    path: '/api/workspace/branches/{branch_id}/',
    operationId: 'workspace_branches_update',
    responseDescription: 'Updated',
    summary: "Update a branch (admin or the branch's manager; only the admin changes the manager)",
    tags,
    params: BranchPath,
    body: BranchUpdate,
    response: Branch,
    envelope: { message: 'Branch updated successfully', failure: 'Update failed', key: 'branch', name: 'WsBranchResponse' },
    async handler({ db, actor, params, body }) {
      const id = checkId(params.branch_id, 'branch');
      const manager = managerOf(body);
      const [access, managers] = await db.batch([
        branchAccessStmt(db, id, actor.id),
        managerStmt(db, sql`(select workspace_id from workspace_branches where id = ${id})`, manager ?? ''),
      ]);
      const { workspace, branch, role } = granted(access, 'branch');
      if (!managesBranch(role, branch, actor.id)) throw forbidden('Only workspace admin or branch manager can update branches');
      const changesManager = sends(body, BRANCH_INPUT_ALIASES, 'manager_id');
      if (changesManager && role !== 'admin') throw forbidden('Only workspace admin can change the branch manager');
      const managerId = resolveManager(managers, manager, workspace.admin_id, managerField(body), 'Update failed');
      const values = writeValues(body);
      if (managerId !== undefined) values.manager_id = managerId;
      const stmts = Object.keys(values).length
        ? [db.update(workspaceBranches).set(values).where(eq(workspaceBranches.id, id))]
        : [];
      return writeAndReadBranch(db, stmts, id, 'Update failed');
    },
  }),
  'workspace_branches_partial_update',
);

const destroy = adminDelete({
  path: '/api/workspace/branches/{branch_id}/',
  operationId: 'workspace_branches_destroy',
  summary: 'Delete a branch and its spaces (admin only)',
  params: BranchPath,
  what: 'branch',
  id: (params) => params.branch_id,
  message: 'Branch deleted successfully',
  denied: 'Only workspace admin can delete branches',
  access: branchAccessStmt,
  spaces: (id) => sql`(select id from workspace_spaces where branch_id = ${id})`,
  table: workspaceBranches,
  workspaceOf: (id) => sql`(select workspace_id from workspace_branches where id = ${id})`,
});

export function mountBranches(app: OpenAPIHono<AppEnv>) {
  mount(app, created);
  mount(app, list);
  mount(app, retrieve);
  mount(app, update);
  mount(app, partialUpdate);
  mount(app, destroy);
}
