/**
 * Branches (office locations) of a workspace. The seed's paths carry the workspace in the body
 * (`POST /branches/create/`) or the query (`GET /branches/?workspace_id=`); the original's
 * path-id forms are served as aliases. Only the admin creates and deletes branches; the admin or
 * the branch's manager edits one; every active member may view them.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { bool, email, str } from '../../core/fields';
import type { Db } from '../../core/resource';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { users } from '../../db/schema/users';
import { workspaceBranches, workspaceMembers, workspaceSpaces } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import { currentUser, requireAuth } from '../../middleware/auth';
import {
  branchAccess,
  Done,
  fail,
  failures,
  forbidden,
  pageInfo,
  PageInfo,
  pageOf,
  pageQuery,
  uniqueViolation,
  workspaceAccess,
} from './common';
import { Branch, branchOut, newestBranches, selectBranches, selectSpaces, Space, spaceOut } from './views';

const blank = (max: number) => str({ max, blank: true }).optional();
const toNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : v);
const coordinate = (limit: number) => z.preprocess(toNumber, z.number().min(-limit).max(limit).nullable()).optional();
const userUuid = () => z.uuid().nullable().optional().openapi({ description: "A user's id (users' UUID); null clears it." });

const branchFields = {
  name: str({ max: 255 }),
  description: z.string().optional(),
  manager_id: userUuid(),
  manager: userUuid().openapi({ description: 'Alias of manager_id (the original name).' }),
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

export const BranchCreate = z
  .object({ workspace_id: z.uuid().openapi({ description: 'The workspace the branch belongs to.' }), ...branchFields })
  .openapi('WsBranchCreateRequest');
export const BranchCreateInPath = z.object(branchFields).openapi('WsBranchCreateInWorkspaceRequest');
export const BranchUpdate = z.object(branchFields).partial().openapi('WsBranchUpdateRequest');
type BranchInput = z.infer<typeof BranchUpdate>;

const DUPLICATE = { non_field_errors: ['The fields workspace, name must make a unique set.'] };

/**
 * The user id of a manager given by UUID: the user must exist and be the workspace's admin or an
 * active member (a stranger never gains rights over a branch). Undefined when not sent.
 */
async function resolveManager(db: Db, workspace: { id: string; admin_id: number }, input: BranchInput, message: string) {
  const field = input.manager_id !== undefined ? 'manager_id' : input.manager !== undefined ? 'manager' : undefined;
  if (!field) return undefined;
  const value = input[field];
  if (value === null || value === undefined) return null;
  const [row] = await db
    .select({ id: users.id, active: workspaceMembers.is_active })
    .from(users)
    .leftJoin(workspaceMembers, and(eq(workspaceMembers.user_id, users.id), eq(workspaceMembers.workspace_id, workspace.id)))
    .where(eq(users.uuid, value))
    .limit(1);
  if (!row) throw fail(400, message, { [field]: [`Invalid pk "${value}" - object does not exist.`] });
  if (row.id !== workspace.admin_id && !row.active)
    throw fail(400, message, { [field]: ['User is not an active member of this workspace.'] });
  return row.id;
}

function writeValues(input: BranchInput) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined && k !== 'manager' && k !== 'manager_id') out[k] = v;
  return out as Partial<typeof workspaceBranches.$inferInsert>;
}

async function loadBranch(db: Db, id: string) {
  const [row] = await selectBranches(db).where(eq(workspaceBranches.id, id)).limit(1);
  return branchOut(row);
}

/** Creates a branch in a workspace the caller administers. */
async function createBranch(c: Context<AppEnv>, workspaceId: string, input: z.infer<typeof BranchCreateInPath>) {
  const db = c.get('db');
  const { workspace, role } = await workspaceAccess(db, workspaceId, currentUser(c).id);
  if (role !== 'admin') throw forbidden('Only workspace admin can create branches');
  const managerId = await resolveManager(db, workspace, input, 'Branch creation failed');
  const id = crypto.randomUUID();
  try {
    await db.insert(workspaceBranches).values({
      ...(writeValues(input) as { name: string }),
      id,
      workspace_id: workspace.id,
      manager_id: managerId ?? null,
    });
  } catch (err) {
    if (uniqueViolation(err)) throw fail(400, 'Branch creation failed', DUPLICATE);
    throw err;
  }
  return loadBranch(db, id);
}

/** One page of a workspace's branches (inactive ones too), newest first. */
async function listBranches(c: Context<AppEnv>, workspaceId: string, query: { page?: string; page_size?: string }) {
  const db = c.get('db');
  await workspaceAccess(db, workspaceId, currentUser(c).id);
  const page = pageOf(query);
  const rows = await selectBranches(db)
    .where(eq(workspaceBranches.workspace_id, workspaceId))
    .orderBy(...newestBranches)
    .limit(page.size)
    .offset(page.offset);
  const list = rows.map(branchOut);
  return {
    success: true,
    message: 'Branches retrieved successfully',
    ...pageInfo(c, page, rows[0]?.total ?? 0),
    data: list,
    branches: list,
  };
}

const BranchResponse = z
  .object({ success: z.boolean(), message: z.string(), data: Branch, branch: Branch })
  .openapi('WsBranchResponse');
const BranchDetail = Branch.extend({ spaces: z.array(Space).openapi({ description: 'Available spaces, by name.' }) }).openapi(
  'WsBranchDetail',
);
const BranchDetailResponse = z
  .object({ success: z.boolean(), message: z.string(), data: BranchDetail, branch: BranchDetail })
  .openapi('WsBranchDetailResponse');
const BranchListResponse = z
  .object({ success: z.boolean(), message: z.string(), ...PageInfo, data: z.array(Branch), branches: z.array(Branch) })
  .openapi('WsBranchListResponse');

const WorkspacePath = z.object({ workspace_id: z.string().openapi({ format: 'uuid' }) });
const BranchPath = z.object({ branch_id: z.string().openapi({ format: 'uuid' }) });

export function branchRoutes() {
  const app = createRouter();
  const tags = ['workspace'];
  const auth = requireAuth();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/branches/create/',
      operationId: 'workspace_branches_create',
      summary: 'Create a branch in the workspace named by workspace_id (admin only)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { body: jsonBody(BranchCreate) },
      responses: { 201: jsonResponse(BranchResponse, 'Created'), ...failures },
    }),
    async (c) => {
      const { workspace_id, ...input } = c.req.valid('json');
      const out = await createBranch(c, workspace_id, input);
      return c.json({ success: true, message: 'Branch created successfully', data: out, branch: out }, 201);
    },
    envelopeHook('Branch creation failed'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/workspaces/{workspace_id}/branches/create/',
      operationId: 'workspace_workspaces_branches_create',
      summary: 'Create a branch (the original path form; admin only)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: WorkspacePath, body: jsonBody(BranchCreateInPath) },
      responses: { 201: jsonResponse(BranchResponse, 'Created'), ...failures },
    }),
    async (c) => {
      const out = await createBranch(c, c.req.valid('param').workspace_id, c.req.valid('json'));
      return c.json({ success: true, message: 'Branch created successfully', data: out, branch: out }, 201);
    },
    envelopeHook('Branch creation failed'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/branches/',
      operationId: 'workspace_branches_list',
      summary: "A workspace's branches (workspace_id required), newest first",
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { query: z.object({ workspace_id: z.uuid().openapi({ description: 'Required.' }), ...pageQuery }) },
      responses: { 200: jsonResponse(BranchListResponse, 'Branches'), ...failures },
    }),
    async (c) => {
      const { workspace_id, ...page } = c.req.valid('query');
      return c.json(await listBranches(c, workspace_id, page), 200);
    },
    envelopeHook('Invalid query parameters'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/workspaces/{workspace_id}/branches/',
      operationId: 'workspace_workspaces_branches_list',
      summary: "A workspace's branches (the original path form)",
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: WorkspacePath, query: z.object(pageQuery) },
      responses: { 200: jsonResponse(BranchListResponse, 'Branches'), ...failures },
    }),
    async (c) => c.json(await listBranches(c, c.req.valid('param').workspace_id, c.req.valid('query')), 200),
    envelopeHook('Invalid query parameters'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/branches/{branch_id}/',
      operationId: 'workspace_branches_retrieve',
      summary: 'A branch with its available spaces',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: BranchPath },
      responses: { 200: jsonResponse(BranchDetailResponse, 'The branch'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const { branch } = await branchAccess(db, c.req.valid('param').branch_id, currentUser(c).id);
      const [rows, spaces] = await Promise.all([
        selectBranches(db).where(eq(workspaceBranches.id, branch.id)).limit(1),
        selectSpaces(db)
          .where(and(eq(workspaceSpaces.branch_id, branch.id), eq(workspaceSpaces.is_available, true)))
          .orderBy(workspaceSpaces.name, workspaceSpaces.id),
      ]);
      const out = { ...branchOut(rows[0]), spaces: spaces.map(spaceOut) };
      return c.json({ success: true, message: 'Branch retrieved successfully', data: out, branch: out }, 200);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/workspace/branches/{branch_id}/',
        operationId: method === 'put' ? 'workspace_branches_update' : 'workspace_branches_partial_update',
        summary: "Update a branch (admin or the branch's manager; only the admin changes the manager)",
        tags,
        security: bearer,
        middleware: [auth] as const,
        request: { params: BranchPath, body: jsonBody(BranchUpdate) },
        responses: { 200: jsonResponse(BranchResponse, 'Updated'), ...failures },
      }),
      async (c) => {
        const db = c.get('db');
        const input = c.req.valid('json');
        const access = await branchAccess(db, c.req.valid('param').branch_id, currentUser(c).id);
        if (!access.managesBranch) throw forbidden('Only workspace admin or branch manager can update branches');
        const changesManager = input.manager_id !== undefined || input.manager !== undefined;
        if (changesManager && access.role !== 'admin') throw forbidden('Only workspace admin can change the branch manager');
        const managerId = await resolveManager(db, access.workspace, input, 'Update failed');
        const values = writeValues(input);
        if (managerId !== undefined) values.manager_id = managerId;
        if (Object.keys(values).length) {
          try {
            await db.update(workspaceBranches).set(values).where(eq(workspaceBranches.id, access.branch.id));
          } catch (err) {
            if (uniqueViolation(err)) throw fail(400, 'Update failed', DUPLICATE);
            throw err;
          }
        }
        const out = await loadBranch(db, access.branch.id);
        return c.json({ success: true, message: 'Branch updated successfully', data: out, branch: out }, 200);
      },
      envelopeHook('Update failed'),
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/workspace/branches/{branch_id}/',
      operationId: 'workspace_branches_destroy',
      summary: 'Delete a branch and its spaces (admin only)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: BranchPath },
      responses: { 200: jsonResponse(Done, 'Deleted'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const access = await branchAccess(db, c.req.valid('param').branch_id, currentUser(c).id);
      if (access.role !== 'admin') throw forbidden('Only workspace admin can delete branches');
      await db.delete(workspaceBranches).where(eq(workspaceBranches.id, access.branch.id));
      return c.json({ success: true, message: 'Branch deleted successfully' }, 200);
    },
  );

  return app;
}
