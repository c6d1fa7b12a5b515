/**
 * Workspaces: create (the caller becomes its admin: `admin_id` and an `admin` membership row),
 * list the caller's workspaces, the whole hierarchy in a fixed number of reads, and the admin's
 * update/delete (not in the seed; the original offered them).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { FieldErrors } from '../../core/errors';
import { bool, email, str, url } from '../../core/fields';
import type { Db } from '../../core/resource';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { workspaceMembers, workspaces } from '../../db/schema/workspace';
import { currentUser, requireAuth } from '../../middleware/auth';
import {
  Done,
  fail,
  failures,
  forbidden,
  notFound,
  pageInfo,
  PageInfo,
  pageOf,
  pageQuery,
  uniqueViolation,
  workspaceAccess,
} from './common';
import { newestWorkspaces, selectWorkspaces, Workspace, WorkspaceDetail, workspaceDetail, workspaceOut } from './views';

/** A blank optional URL is "no URL". */
const optionalUrl = () => z.preprocess((v) => (v === '' ? null : v), url({ max: 200 }).nullable()).optional();
const blank = (max: number) => str({ max, blank: true }).optional();

const workspaceFields = {
  name: str({ max: 255 }),
  description: z.string().optional(),
  email: z.preprocess((v) => (v === '' ? null : v), email({ max: 254 }).nullable()).optional(),
  logo_url: optionalUrl(),
  website: optionalUrl(),
  phone: blank(20),
  address: blank(255),
  city: blank(100),
  state: blank(100),
  country: blank(100),
  postal_code: blank(20),
  social_media_links: z.record(z.string(), z.any()).optional(),
  is_active: bool().optional(),
};

export const WorkspaceCreate = z.object(workspaceFields).openapi('WsWorkspaceCreateRequest');
export const WorkspaceUpdate = z.object(workspaceFields).partial().openapi('WsWorkspaceUpdateRequest');
type WorkspaceInput = z.infer<typeof WorkspaceUpdate>;

export type Conflict = 'name' | 'email' | 'onboarding';

/** Which of name/email another workspace already uses. */
export async function takenFields(db: Db, name: string | undefined, mail: string | null | undefined, exceptId?: string) {
  const clauses = [
    name !== undefined ? eq(workspaces.name, name) : undefined,
    mail ? eq(workspaces.email, mail) : undefined,
  ].filter(Boolean);
  if (!clauses.length) return { name: false, email: false };
  const rows = await db
    .select({ name: workspaces.name, email: workspaces.email })
    .from(workspaces)
    .where(and(or(...clauses), exceptId ? ne(workspaces.id, exceptId) : undefined));
  return { name: rows.some((r) => r.name === name), email: !!mail && rows.some((r) => r.email === mail) };
}

/** Maps a D1 unique violation on workspaces to the field it concerns. */
function conflictOf(err: unknown): Conflict | undefined {
  const cols = uniqueViolation(err);
  if (!cols) return undefined;
  if (cols.includes('workspaces.name')) return 'name';
  if (cols.includes('workspaces.email')) return 'email';
  if (cols.includes('workspaces.admin_id')) return 'onboarding';
  return undefined;
}

/**
 * Inserts a workspace and its admin's membership row in one batch. Returns the new id, or which
 * unique rule a concurrent write broke.
 */
export async function insertWorkspace(
  db: Db,
  values: Omit<typeof workspaces.$inferInsert, 'id' | 'admin_id'>,
  adminId: number,
): Promise<{ id: string } | { conflict: Conflict }> {
  const id = crypto.randomUUID();
  try {
    await db.batch([
      db.insert(workspaces).values({ ...values, id, admin_id: adminId }),
      db.insert(workspaceMembers).values({ workspace_id: id, user_id: adminId, role: 'admin' }),
    ]);
  } catch (err) {
    const conflict = conflictOf(err);
    if (conflict) return { conflict };
    throw err;
  }
  return { id };
}

const UNIQUE_MESSAGES = {
  name: 'workspace with this name already exists.',
  email: 'workspace with this email already exists.',
};

function conflictErrors(taken: { name: boolean; email: boolean }): FieldErrors | undefined {
  const errors: FieldErrors = {};
  if (taken.name) errors.name = [UNIQUE_MESSAGES.name];
  if (taken.email) errors.email = [UNIQUE_MESSAGES.email];
  return Object.keys(errors).length ? errors : undefined;
}

async function loadWorkspace(db: Db, id: string) {
  const [row] = await selectWorkspaces(db).where(eq(workspaces.id, id)).limit(1);
  return workspaceOut(row);
}

const WorkspaceResponse = z
  .object({ success: z.boolean(), message: z.string(), data: Workspace, workspace: Workspace })
  .openapi('WsWorkspaceResponse');
const WorkspaceDetailResponse = z
  .object({ success: z.boolean(), message: z.string(), data: WorkspaceDetail, workspace: WorkspaceDetail })
  .openapi('WsWorkspaceDetailResponse');
const WorkspaceListResponse = z
  .object({ success: z.boolean(), message: z.string(), ...PageInfo, data: z.array(Workspace), workspaces: z.array(Workspace) })
  .openapi('WsWorkspaceListResponse');

const WorkspacePath = z.object({ workspace_id: z.string().openapi({ format: 'uuid' }) });

function writeValues(input: WorkspaceInput) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out as Partial<typeof workspaces.$inferInsert>;
}

export function workspaceRoutes() {
  const app = createRouter();
  const tags = ['workspace'];
  const auth = requireAuth();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/workspaces/create/',
      operationId: 'workspace_workspaces_create',
      summary: 'Create a workspace; the caller becomes its admin',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { body: jsonBody(WorkspaceCreate) },
      responses: { 201: jsonResponse(WorkspaceResponse, 'Created'), ...failures },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const db = c.get('db');
      const user = currentUser(c);
      const taken = conflictErrors(await takenFields(db, input.name, input.email));
      if (taken) throw fail(400, 'Workspace creation failed', taken);
      const result = await insertWorkspace(db, { ...(writeValues(input) as { name: string }), via_onboarding: false }, user.id);
      if ('conflict' in result)
        throw fail(
          400,
          'Workspace creation failed',
          conflictErrors({ name: result.conflict === 'name', email: result.conflict === 'email' }),
        );
      const out = await loadWorkspace(db, result.id);
      return c.json({ success: true, message: 'Workspace created successfully', data: out, workspace: out }, 201);
    },
    envelopeHook('Workspace creation failed'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/workspaces/',
      operationId: 'workspace_workspaces_list',
      summary: 'Workspaces the caller administers or is an active member of, newest first',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { query: z.object(pageQuery) },
      responses: { 200: jsonResponse(WorkspaceListResponse, 'Workspaces'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const user = currentUser(c);
      const page = pageOf(c.req.valid('query'));
      const rows = await selectWorkspaces(db)
        .where(
          sql`(${workspaces.admin_id} = ${user.id} or ${workspaces.id} in (select workspace_id from workspace_members where user_id = ${user.id} and is_active = 1))`,
        )
        .orderBy(...newestWorkspaces)
        .limit(page.size)
        .offset(page.offset);
      const info = pageInfo(c, page, rows[0]?.total ?? 0);
      const list = rows.map(workspaceOut);
      return c.json({ success: true, message: 'Workspaces retrieved successfully', ...info, data: list, workspaces: list }, 200);
    },
    envelopeHook('Invalid query parameters'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/workspaces/{workspace_id}/',
      operationId: 'workspace_workspaces_retrieve',
      summary: 'The whole hierarchy: active branches (with spaces_count) and active members',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: WorkspacePath },
      responses: { 200: jsonResponse(WorkspaceDetailResponse, 'The workspace'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const { workspace_id } = c.req.valid('param');
      await workspaceAccess(db, workspace_id, currentUser(c).id);
      const detail = await workspaceDetail(db, workspace_id);
      if (!detail) throw notFound('workspace');
      return c.json({ success: true, message: 'Workspace retrieved successfully', data: detail, workspace: detail }, 200);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/workspace/workspaces/{workspace_id}/',
        operationId: method === 'put' ? 'workspace_workspaces_update' : 'workspace_workspaces_partial_update',
        summary: 'Update a workspace (admin only; partial: send only what changes)',
        tags,
        security: bearer,
        middleware: [auth] as const,
        request: { params: WorkspacePath, body: jsonBody(WorkspaceUpdate) },
        responses: { 200: jsonResponse(WorkspaceResponse, 'Updated'), ...failures },
      }),
      async (c) => {
        const db = c.get('db');
        const { workspace_id } = c.req.valid('param');
        const input = c.req.valid('json');
        const access = await workspaceAccess(db, workspace_id, currentUser(c).id);
        if (access.role !== 'admin') throw forbidden('Only workspace admin can update workspace');
        const taken = conflictErrors(await takenFields(db, input.name, input.email, workspace_id));
        if (taken) throw fail(400, 'Update failed', taken);
        const values = writeValues(input);
        if (Object.keys(values).length) {
          try {
            await db.update(workspaces).set(values).where(eq(workspaces.id, workspace_id));
          } catch (err) {
            const conflict = conflictOf(err);
            if (conflict === 'name' || conflict === 'email')
              throw fail(400, 'Update failed', { [conflict]: [UNIQUE_MESSAGES[conflict]] });
            throw err;
          }
        }
        const out = await loadWorkspace(db, workspace_id);
        return c.json({ success: true, message: 'Workspace updated successfully', data: out, workspace: out }, 200);
      },
      envelopeHook('Update failed'),
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/workspace/workspaces/{workspace_id}/',
      operationId: 'workspace_workspaces_destroy',
      summary: 'Delete a workspace with its branches, spaces and memberships (admin only)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: WorkspacePath },
      responses: { 200: jsonResponse(Done, 'Deleted'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const { workspace_id } = c.req.valid('param');
      const access = await workspaceAccess(db, workspace_id, currentUser(c).id);
      if (access.role !== 'admin') throw forbidden('Only workspace admin can delete workspace');
      await db.delete(workspaces).where(eq(workspaces.id, workspace_id));
      return c.json({ success: true, message: 'Workspace deleted successfully' }, 200);
    },
  );

  return app;
}
