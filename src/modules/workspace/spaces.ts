/**
 * Spaces: the bookable units of a branch (desks, rooms, offices). The seed names the branch in
 * the body (`POST /spaces/create/`) or the query (`GET /spaces/?branch_id=`); the original's
 * path-id forms are aliases. The admin, a workspace manager or the branch's manager creates and
 * edits spaces; only the admin deletes them; every active member views them. Rates are exact
 * (integer cents in D1), sent as `hourly_rate` (seed) or `price_per_hour` (original).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { bool, choice, decimal, int, str, url } from '../../core/fields';
import { toCents } from '../../core/money';
import type { Db } from '../../core/resource';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { SPACE_TYPES, workspaceSpaces } from '../../db/schema/workspace';
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
  spaceAccess,
  uniqueViolation,
} from './common';
import { selectSpaces, Space, spaceOut } from './views';

const rate = () => decimal({ maxDigits: 10, places: 2, min: 0 });
const jsonObject = () => z.record(z.string(), z.any()).nullable().optional();

const spaceFields = {
  name: str({ max: 255 }),
  description: z.string().optional(),
  space_type: choice(SPACE_TYPES).openapi({ description: "The original's six types plus the seed's private_office." }),
  capacity: int({ min: 1 }),
  hourly_rate: rate()
    .optional()
    .openapi({ description: "Price per hour (the seed's name); required unless price_per_hour is sent." }),
  price_per_hour: rate().optional().openapi({ description: 'Alias of hourly_rate (the original name).' }),
  daily_rate: rate().nullable().optional(),
  monthly_rate: rate().nullable().optional(),
  image_url: z.preprocess((v) => (v === '' ? null : v), url({ max: 200 }).nullable()).optional(),
  amenities: z.array(z.any()).optional().openapi({ description: 'A JSON list, e.g. ["WiFi", "Coffee"].' }),
  rules: z.string().nullable().optional(),
  cancellation_policy: z.string().nullable().optional(),
  operational_hours: jsonObject(),
  availability_schedule: jsonObject(),
  is_available: bool().optional(),
};

export const SpaceCreate = z
  .object({ branch_id: z.uuid().openapi({ description: 'The branch the space belongs to.' }), ...spaceFields })
  .openapi('WsSpaceCreateRequest');
export const SpaceCreateInPath = z.object(spaceFields).openapi('WsSpaceCreateInBranchRequest');
export const SpaceUpdate = z.object(spaceFields).partial().openapi('WsSpaceUpdateRequest');
type SpaceInput = z.infer<typeof SpaceUpdate>;

const DUPLICATE = { non_field_errors: ['The fields branch, name must make a unique set.'] };

/** The hourly price from either name; both sent must agree. */
function hourlyRate(input: SpaceInput, required: boolean, message: string): string | undefined {
  const { hourly_rate: seed, price_per_hour: original } = input;
  if (seed !== undefined && original !== undefined && toCents(seed) !== toCents(original))
    throw fail(400, message, { price_per_hour: ['Must equal hourly_rate when both are sent.'] });
  const value = seed ?? original;
  if (value === undefined && required) throw fail(400, message, { hourly_rate: ['This field is required.'] });
  return value;
}

function writeValues(input: SpaceInput, message: string, required: boolean) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined && k !== 'hourly_rate') out[k] = v;
  const price = hourlyRate(input, required, message);
  if (price !== undefined) out.price_per_hour = price;
  return out as Partial<typeof workspaceSpaces.$inferInsert>;
}

async function loadSpace(db: Db, id: string) {
  const [row] = await selectSpaces(db).where(eq(workspaceSpaces.id, id)).limit(1);
  return spaceOut(row);
}

async function createSpace(c: Context<AppEnv>, branchId: string, input: z.infer<typeof SpaceCreateInPath>) {
  const db = c.get('db');
  const access = await branchAccess(db, branchId, currentUser(c).id);
  if (!access.managesBranch) throw forbidden('Only workspace admin or branch manager can create spaces');
  const values = writeValues(input, 'Space creation failed', true) as typeof workspaceSpaces.$inferInsert;
  const id = crypto.randomUUID();
  try {
    await db.insert(workspaceSpaces).values({ ...values, id, branch_id: access.branch.id });
  } catch (err) {
    if (uniqueViolation(err)) throw fail(400, 'Space creation failed', DUPLICATE);
    throw err;
  }
  return loadSpace(db, id);
}

/** One page of a branch's spaces (unavailable ones too), by name. */
async function listSpaces(c: Context<AppEnv>, branchId: string, query: { page?: string; page_size?: string }) {
  const db = c.get('db');
  const { branch } = await branchAccess(db, branchId, currentUser(c).id);
  const page = pageOf(query);
  const rows = await selectSpaces(db)
    .where(eq(workspaceSpaces.branch_id, branch.id))
    .orderBy(workspaceSpaces.name, workspaceSpaces.id)
    .limit(page.size)
    .offset(page.offset);
  const list = rows.map(spaceOut);
  return {
    success: true,
    message: 'Spaces retrieved successfully',
    ...pageInfo(c, page, rows[0]?.total ?? 0),
    data: list,
    spaces: list,
  };
}

const SpaceResponse = z
  .object({ success: z.boolean(), message: z.string(), data: Space, space: Space })
  .openapi('WsSpaceResponse');
const SpaceListResponse = z
  .object({ success: z.boolean(), message: z.string(), ...PageInfo, data: z.array(Space), spaces: z.array(Space) })
  .openapi('WsSpaceListResponse');

const BranchPath = z.object({ branch_id: z.string().openapi({ format: 'uuid' }) });
const SpacePath = z.object({ space_id: z.string().openapi({ format: 'uuid' }) });

export function spaceRoutes() {
  const app = createRouter();
  const tags = ['workspace'];
  const auth = requireAuth();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/spaces/create/',
      operationId: 'workspace_spaces_create',
      summary: 'Create a space in the branch named by branch_id (admin, workspace manager or branch manager)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { body: jsonBody(SpaceCreate) },
      responses: { 201: jsonResponse(SpaceResponse, 'Created'), ...failures },
    }),
    async (c) => {
      const { branch_id, ...input } = c.req.valid('json');
      const out = await createSpace(c, branch_id, input);
      return c.json({ success: true, message: 'Space created successfully', data: out, space: out }, 201);
    },
    envelopeHook('Space creation failed'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/branches/{branch_id}/spaces/create/',
      operationId: 'workspace_branches_spaces_create',
      summary: 'Create a space (the original path form)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: BranchPath, body: jsonBody(SpaceCreateInPath) },
      responses: { 201: jsonResponse(SpaceResponse, 'Created'), ...failures },
    }),
    async (c) => {
      const out = await createSpace(c, c.req.valid('param').branch_id, c.req.valid('json'));
      return c.json({ success: true, message: 'Space created successfully', data: out, space: out }, 201);
    },
    envelopeHook('Space creation failed'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/spaces/',
      operationId: 'workspace_spaces_list',
      summary: "A branch's spaces (branch_id required), by name",
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { query: z.object({ branch_id: z.uuid().openapi({ description: 'Required.' }), ...pageQuery }) },
      responses: { 200: jsonResponse(SpaceListResponse, 'Spaces'), ...failures },
    }),
    async (c) => {
      const { branch_id, ...page } = c.req.valid('query');
      return c.json(await listSpaces(c, branch_id, page), 200);
    },
    envelopeHook('Invalid query parameters'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/branches/{branch_id}/spaces/',
      operationId: 'workspace_branches_spaces_list',
      summary: "A branch's spaces (the original path form)",
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: BranchPath, query: z.object(pageQuery) },
      responses: { 200: jsonResponse(SpaceListResponse, 'Spaces'), ...failures },
    }),
    async (c) => c.json(await listSpaces(c, c.req.valid('param').branch_id, c.req.valid('query')), 200),
    envelopeHook('Invalid query parameters'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/spaces/{space_id}/',
      operationId: 'workspace_spaces_retrieve',
      summary: 'A space',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: SpacePath },
      responses: { 200: jsonResponse(SpaceResponse, 'The space'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const { space } = await spaceAccess(db, c.req.valid('param').space_id, currentUser(c).id);
      const out = await loadSpace(db, space.id);
      return c.json({ success: true, message: 'Space retrieved successfully', data: out, space: out }, 200);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/workspace/spaces/{space_id}/',
        operationId: method === 'put' ? 'workspace_spaces_update' : 'workspace_spaces_partial_update',
        summary: 'Update a space (admin, workspace manager or branch manager; partial)',
        tags,
        security: bearer,
        middleware: [auth] as const,
        request: { params: SpacePath, body: jsonBody(SpaceUpdate) },
        responses: { 200: jsonResponse(SpaceResponse, 'Updated'), ...failures },
      }),
      async (c) => {
        const db = c.get('db');
        const input = c.req.valid('json');
        const access = await spaceAccess(db, c.req.valid('param').space_id, currentUser(c).id);
        if (!access.managesBranch) throw forbidden('Only workspace admin or branch manager can update spaces');
        const values = writeValues(input, 'Update failed', false);
        if (Object.keys(values).length) {
          try {
            await db.update(workspaceSpaces).set(values).where(eq(workspaceSpaces.id, access.space.id));
          } catch (err) {
            if (uniqueViolation(err)) throw fail(400, 'Update failed', DUPLICATE);
            throw err;
          }
        }
        const out = await loadSpace(db, access.space.id);
        return c.json({ success: true, message: 'Space updated successfully', data: out, space: out }, 200);
      },
      envelopeHook('Update failed'),
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/workspace/spaces/{space_id}/',
      operationId: 'workspace_spaces_destroy',
      summary: 'Delete a space (admin only)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: SpacePath },
      responses: { 200: jsonResponse(Done, 'Deleted'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const access = await spaceAccess(db, c.req.valid('param').space_id, currentUser(c).id);
      if (access.role !== 'admin') throw forbidden('Only workspace admin can delete spaces');
      await db.delete(workspaceSpaces).where(eq(workspaceSpaces.id, access.space.id));
      return c.json({ success: true, message: 'Space deleted successfully' }, 200);
    },
  );

  return app;
}
