/**
 * Spaces: the bookable units of a branch (desks, rooms, offices). The seed names the branch in
 * the body (`POST /spaces/create/`) or the query (`GET /spaces/?branch_id=`); the original's
 * path-id forms are aliases. The admin, a workspace manager or the branch's manager creates and
 * edits spaces; only the admin deletes them; every active member views them. Rates are exact
 * (integer cents in D1), sent as `hourly_rate` (seed) or `price_per_hour` (original).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { FieldErrors } from '../../core/errors';
import { bool, choice, decimal, int, str, url } from '../../core/fields';
import { toCents } from '../../core/money';
import { paginate, pageRequest, wsPages } from '../../core/pagination';
import { mount, route } from '../../core/route';
import type { Db, Stmt } from '../../db';
import { runOne, statement } from '../../db/compiled';
import { SPACE_TYPES, workspaceBranches, workspaceSpaces } from '../../db/schema/workspace';
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
  SpacePath,
  sends,
  spaceAccessStmt,
  tags,
  uniqueColumns,
  unalias,
  pathIdIntoBody,
  pathIdIntoQuery,
  slot,
} from './common';
import { branchOut, selectBranches, selectSpaces, Space, SpaceDetail, spaceOut } from './serializers';
import { mountSpacePhotos } from './space-photos';
import { adminDelete, withPatch, writeAndRead } from './writes';

const rate = () => decimal({ maxDigits: 10, places: 2, min: 0 });
const jsonObject = () => z.record(z.string(), z.any()).nullable().optional();

/** Input aliases: the seed's name → the stored (original's) name. */
const SPACE_INPUT_ALIASES = { hourly_rate: 'price_per_hour' } as const satisfies AliasMap;

const spaceFields = {
  name: str({ max: 255 }),
  description: z.string().optional(),
  space_type: choice(SPACE_TYPES).openapi({ description: "The original's six types plus the seed's private_office." }),
  capacity: int({ min: 1 }),
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
const spaceInput = {
  ...spaceFields,
  ...aliasFields(spaceFields, SPACE_INPUT_ALIASES, {
    hourly_rate: "Price per hour (the seed's name); required unless price_per_hour is sent.",
  }),
};

export const SpaceCreate = z
  .object({ branch_id: z.uuid().openapi({ description: 'The branch the space belongs to.' }), ...spaceInput })
  .openapi('WsSpaceCreateRequest');
export const SpaceCreateInPath = z.object(spaceInput).openapi('WsSpaceCreateInBranchRequest');
export const SpaceUpdate = z.object(spaceInput).partial().openapi('WsSpaceUpdateRequest');
type SpaceInput = z.infer<typeof SpaceUpdate>;

const DUPLICATE = { non_field_errors: ['The fields branch, name must make a unique set.'] };
const sameRate = (a: unknown, b: unknown) => toCents(String(a)) === toCents(String(b));

/** The stored values of a space body; a create without a price names both of its keys (issue 20, item 6). */
function writeValues(input: SpaceInput, message: string, creating: boolean) {
  const { values, errors } = unalias(input, SPACE_INPUT_ALIASES, sameRate);
  if (creating && !sends(input, SPACE_INPUT_ALIASES, 'price_per_hour')) {
    const required = ['This field is required.'];
    (errors as FieldErrors).price_per_hour = required;
    (errors as FieldErrors).hourly_rate = required;
  }
  if (Object.keys(errors).length) throw fail(400, message, errors);
  return values as Partial<typeof workspaceSpaces.$inferInsert>;
}

/** Runs a write batch that ends with reading the space back; a duplicate name is a 400. */
async function writeAndReadSpace(db: Db, stmts: Stmt[], id: string, message: string) {
  const readBack = selectSpaces(db).where(eq(workspaceSpaces.id, id)).limit(1);
  return spaceOut(await writeAndRead(db, stmts, readBack, message, (err) => (uniqueColumns(err) ? DUPLICATE : undefined)));
}

const created = route({
  method: 'post',
  path: '/api/workspace/spaces/create/',
  operationId: 'workspace_spaces_create',
  responseDescription: 'Created',
  summary: 'Create a space in the branch named by branch_id (admin, workspace manager or branch manager)',
  tags,
  body: SpaceCreate,
  status: 201,
  response: Space,
  envelope: { message: 'Space created successfully', failure: 'Space creation failed', key: 'space', name: 'WsSpaceResponse' },
  aliases: [
    {
      path: '/api/workspace/branches/{branch_id}/spaces/create/',
      operationId: 'workspace_branches_spaces_create',
      summary: 'Create a space (the original path form)',
      params: BranchPath,
      body: SpaceCreateInPath,
      into: pathIdIntoBody<z.infer<typeof SpaceCreate>>('branch_id'),
    },
  ],
  async handler({ db, actor, body }) {
    const { branch_id: branchId, ...input } = body;
    checkId(branchId, 'branch');
    const { branch, role } = granted(await runOne(db, branchAccessStmt(db, branchId, actor.id)), 'branch');
    if (!managesBranch(role, branch, actor.id)) throw forbidden('Only workspace admin or branch manager can create spaces');
    const values = writeValues(input, 'Space creation failed', true);
    const id = crypto.randomUUID();
    const insert = db.insert(workspaceSpaces).values({
      ...values,
      name: input.name,
      space_type: input.space_type,
      capacity: input.capacity,
      price_per_hour: values.price_per_hour as string,
      id,
      branch_id: branch.id,
    });
    return writeAndReadSpace(db, [insert], id, 'Space creation failed');
  },
});

const list = route({
  method: 'get',
  path: '/api/workspace/spaces/',
  operationId: 'workspace_spaces_list',
  responseDescription: 'Spaces',
  summary: "A branch's spaces (branch_id required), by name",
  tags,
  query: z.object({ branch_id: z.uuid().openapi({ description: 'Required.' }), ...pageQuery }),
  response: Space,
  envelope: {
    message: 'Spaces retrieved successfully',
    failure: 'Invalid query parameters',
    key: 'spaces',
    list: true,
    name: 'WsSpaceListResponse',
  },
  aliases: [
    {
      path: '/api/workspace/branches/{branch_id}/spaces/',
      operationId: 'workspace_branches_spaces_list',
      summary: "A branch's spaces (the original path form)",
      params: BranchPath,
      query: z.object(pageQuery),
      into: pathIdIntoQuery<{ branch_id: string; page?: string; page_size?: string }>('branch_id'),
    },
  ],
  async handler({ s, db, actor, query }) {
    const branchId = checkId(query.branch_id, 'branch');
    const page = pageRequest(query, wsPages);
    const [access, rows] = await db.batch([
      branchAccessStmt(db, branchId, actor.id),
      statement(
        db,
        'workspace.spacesOfBranch',
        (q) =>
          selectSpaces(q)
            .where(eq(workspaceSpaces.branch_id, slot.id))
            .orderBy(workspaceSpaces.name, workspaceSpaces.id)
            .limit(slot.limit)
            .offset(slot.offset),
        { id: branchId, limit: page.pageSize, offset: page.offset },
      ),
    ]);
    granted(access, 'branch');
    return paginate(s.url, page, rows[0]?.total ?? 0, rows.map(spaceOut), wsPages);
  },
});

const retrieve = route({
  method: 'get',
  path: '/api/workspace/spaces/{space_id}/',
  operationId: 'workspace_spaces_retrieve',
  responseDescription: 'The space',
  summary: 'A space',
  tags,
  params: SpacePath,
  response: SpaceDetail,
  envelope: { message: 'Space retrieved successfully', key: 'space', name: 'WsSpaceDetailResponse' },
  async handler({ db, actor, params }) {
    const id = checkId(params.space_id, 'space');
    const [access, rows, branches] = await db.batch([
      spaceAccessStmt(db, id, actor.id),
      statement(db, 'workspace.space', (q) => selectSpaces(q).where(eq(workspaceSpaces.id, slot.id)).limit(1), { id }),
      statement(
        db,
        'workspace.spaceBranch',
        (q) =>
          selectBranches(q)
            .where(sql`${workspaceBranches.id} = (select branch_id from workspace_spaces where id = ${slot.id})`)
            .limit(1),
        { id },
      ),
    ]);
    granted(access, 'space');
    if (!rows[0] || !branches[0]) throw notFound('space');
    return { ...spaceOut(rows[0]), branch: branchOut(branches[0]) };
  },
});

const [update, partialUpdate] = withPatch(
  route({
    method: 'put',
    path: '/api/workspace/spaces/{space_id}/',
    operationId: 'workspace_spaces_update',
    responseDescription: 'Updated',
    summary: 'Update a space (admin, workspace manager or branch manager; partial)',
    tags,
    params: SpacePath,
    body: SpaceUpdate,
    response: Space,
    envelope: { message: 'Space updated successfully', failure: 'Update failed', key: 'space', name: 'WsSpaceResponse' },
    async handler({ db, actor, params, body }) {
      const id = checkId(params.space_id, 'space');
      const { branch, role } = granted(await runOne(db, spaceAccessStmt(db, id, actor.id)), 'space');
      if (!managesBranch(role, branch, actor.id)) throw forbidden('Only workspace admin or branch manager can update spaces');
      const values = writeValues(body, 'Update failed', false);
      const stmts = Object.keys(values).length ? [db.update(workspaceSpaces).set(values).where(eq(workspaceSpaces.id, id))] : [];
      return writeAndReadSpace(db, stmts, id, 'Update failed');
    },
  }),
  'workspace_spaces_partial_update',
);

const destroy = adminDelete({
  path: '/api/workspace/spaces/{space_id}/',
  operationId: 'workspace_spaces_destroy',
  summary: 'Delete a space (admin only)',
  params: SpacePath,
  what: 'space',
  id: (params) => params.space_id,
  message: 'Space deleted successfully',
  denied: 'Only workspace admin can delete spaces',
  access: spaceAccessStmt,
  spaces: (id) => sql`(${id})`,
  table: workspaceSpaces,
  workspaceOf: (id) =>
    sql`(select b.workspace_id from workspace_branches b join workspace_spaces s on s.branch_id = b.id where s.id = ${id})`,
});

export function mountSpaces(app: OpenAPIHono<AppEnv>) {
  mount(app, created);
  mount(app, list);
  mount(app, retrieve);
  mount(app, update);
  mount(app, partialUpdate);
  mount(app, destroy);
  mountSpacePhotos(app);
}
