/**
 * Workspaces: create (the caller becomes its admin: `admin_id` and an `admin` membership row),
 * list the caller's workspaces, the whole hierarchy in one round trip, and the admin's
 * update/delete (not in the seed; the original offered them).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { and, eq, ne, or, sql } from 'drizzle-orm';
import type { FieldErrors } from '../../core/errors';
import { bool, email, str, url } from '../../core/fields';
import {
  discardUploads,
  fileDeleteEvent,
  IMAGES,
  keysOf,
  ownFileUrls,
  PUBLIC_URL_TTL_SECONDS,
  releasedKeys,
  storeUploadsFor,
} from '../../core/files';
import { mount, route } from '../../core/route';
import type { Scope } from '../../core/scope';
import type { Db, Stmt } from '../../db';
import { workspaceMembers, workspaces } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import type { Context } from 'hono';
import { checkId, fail, forbidden, granted, notFound, tags, uniqueColumns, WorkspacePath, workspaceAccessStmt } from './common';
import { WorkspaceDetail, workspaceDetailOf, workspaceDetailStmts } from './serializers';
import { workspaceList } from './workspace-list';
import { selectWorkspaces, Workspace, workspaceOut } from './workspace-out';
import { adminDelete, withPatch, writeAndRead } from './writes';

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

/** The logo: a multipart image part (stored in R2, a long-lived public URL) or a URL, as `logo_url`. */
const LOGO = { logo_url: { types: IMAGES, prefix: 'logo', ttl: PUBLIC_URL_TTL_SECONDS } };

/**
 * A workspace write with the request's logo part: stored once the caller's right and the unique
 * checks passed, its key written as `logo_url`; removed again when the write fails. Our own URL of
 * the current logo sent back (GET, edit, PUT) keeps the key.
 */
async function withLogo<T>(
  s: Scope,
  c: Context<AppEnv>,
  body: { logo_url?: string | null },
  current: string | null | undefined,
  message: string,
  write: () => Promise<T>,
): Promise<T> {
  const errors = ownFileUrls(LOGO, body, { logo_url: current }, new URL(s.url).origin);
  if (errors) throw fail(400, message, errors);
  const { keys, stored } = await storeUploadsFor(s.env, c.req.raw, LOGO, 'envelope', message);
  if (keys.logo_url) body.logo_url = keys.logo_url;
  try {
    return await write();
  } catch (err) {
    await discardUploads(s.env, stored);
    throw err;
  }
}
export const WorkspaceUpdate = z.object(workspaceFields).partial().openapi('WsWorkspaceUpdateRequest');
type WorkspaceInput = z.infer<typeof WorkspaceUpdate>;

export type Conflict = 'name' | 'email' | 'onboarding';

/** A statement finding the workspaces (other than `exceptId`) that already use this name or email. */
export function takenStmt(db: Db, name: string | undefined, mail: string | null | undefined, exceptId?: string) {
  const clauses = [name !== undefined ? eq(workspaces.name, name) : undefined, mail ? eq(workspaces.email, mail) : undefined];
  return db
    .select({ name: workspaces.name, email: workspaces.email })
    .from(workspaces)
    .where(and(or(...clauses, sql`0`), exceptId ? ne(workspaces.id, exceptId) : undefined));
}

/** Which of name/email the rows of `takenStmt` show taken. */
export function takenOf(
  rows: { name: string; email: string | null }[],
  name: string | undefined,
  mail: string | null | undefined,
) {
  return { name: rows.some((r) => r.name === name), email: !!mail && rows.some((r) => r.email === mail) };
}

/** Maps a D1 unique violation on workspaces to the rule it concerns. */
export function conflictOf(err: unknown): Conflict | undefined {
  const cols = uniqueColumns(err);
  if (!cols) return undefined;
  if (cols.includes('name')) return 'name';
  if (cols.includes('email')) return 'email';
  if (cols.includes('admin_id')) return 'onboarding';
  return undefined;
}

/** Inserts a workspace and its admin's membership row (statements for the write's batch). */
export function insertWorkspaceStmts(
  db: Db,
  id: string,
  values: Omit<typeof workspaces.$inferInsert, 'id' | 'admin_id'>,
  adminId: number,
): Stmt[] {
  return [
    db.insert(workspaces).values({ ...values, id, admin_id: adminId }),
    db.insert(workspaceMembers).values({ workspace_id: id, user_id: adminId, role: 'admin' }),
  ];
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

/** The field errors of a lost unique race on name or email (another rule is not ours to report). */
function raceErrors(err: unknown) {
  const conflict = conflictOf(err);
  if (conflict !== 'name' && conflict !== 'email') return undefined;
  return conflictErrors({ name: conflict === 'name', email: conflict === 'email' });
}

/** Runs a write batch that ends with reading the workspace back; a lost unique race is a 400. */
async function writeAndReadWorkspace(db: Db, stmts: Stmt[], id: string, message: string) {
  const readBack = selectWorkspaces(db).where(eq(workspaces.id, id)).limit(1);
  return workspaceOut(await writeAndRead(db, stmts, readBack, message, raceErrors));
}

function writeValues(input: WorkspaceInput) {
  const out: Partial<typeof workspaces.$inferInsert> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

const created = route({
  method: 'post',
  path: '/api/workspace/workspaces/create/',
  operationId: 'workspace_workspaces_create',
  responseDescription: 'Created',
  summary: 'Create a workspace; the caller becomes its admin',
  tags,
  body: WorkspaceCreate,
  files: LOGO,
  status: 201,
  response: Workspace,
  envelope: {
    message: 'Workspace created successfully',
    failure: 'Workspace creation failed',
    key: 'workspace',
    name: 'WsWorkspaceResponse',
  },
  async handler({ s, c, db, actor, body }) {
    const taken = conflictErrors(takenOf(await takenStmt(db, body.name, body.email), body.name, body.email));
    if (taken) throw fail(400, 'Workspace creation failed', taken);
    const id = crypto.randomUUID();
    return withLogo(s, c, body, undefined, 'Workspace creation failed', () => {
      const stmts = insertWorkspaceStmts(db, id, { ...writeValues(body), name: body.name, via_onboarding: false }, actor.id);
      return writeAndReadWorkspace(db, stmts, id, 'Workspace creation failed');
    });
  },
});

const retrieve = route({
  method: 'get',
  path: '/api/workspace/workspaces/{workspace_id}/',
  operationId: 'workspace_workspaces_retrieve',
  responseDescription: 'The workspace',
  summary: 'The whole hierarchy: active branches (with spaces_count) and active members',
  tags,
  params: WorkspacePath,
  response: WorkspaceDetail,
  envelope: { message: 'Workspace retrieved successfully', key: 'workspace', name: 'WsWorkspaceDetailResponse' },
  async handler({ db, actor, params }) {
    const id = checkId(params.workspace_id, 'workspace');
    const [access, ...detail] = await db.batch([workspaceAccessStmt(db, id, actor.id), ...workspaceDetailStmts(db, id)]);
    granted(access, 'workspace');
    const out = workspaceDetailOf(...detail);
    if (!out) throw notFound('workspace');
    return out;
  },
});

const [update, partialUpdate] = withPatch(
  route({
    method: 'put',
    path: '/api/workspace/workspaces/{workspace_id}/',
    operationId: 'workspace_workspaces_update',
    responseDescription: 'Updated',
    summary: 'Update a workspace (admin only; partial: send only what changes)',
    tags,
    params: WorkspacePath,
    body: WorkspaceUpdate,
    files: LOGO,
    response: Workspace,
    envelope: {
      message: 'Workspace updated successfully',
      failure: 'Update failed',
      key: 'workspace',
      name: 'WsWorkspaceResponse',
    },
    async handler({ s, c, db, actor, params, body }) {
      const id = checkId(params.workspace_id, 'workspace');
      const [access, taken] = await db.batch([workspaceAccessStmt(db, id, actor.id), takenStmt(db, body.name, body.email, id)]);
      const { workspace, role } = granted(access, 'workspace');
      if (role !== 'admin') throw forbidden('Only workspace admin can update workspace');
      const conflicts = conflictErrors(takenOf(taken, body.name, body.email));
      if (conflicts) throw fail(400, 'Update failed', conflicts);
      const out = await withLogo(s, c, body, workspace.logo_url, 'Update failed', () => {
        const values = writeValues(body);
        const stmts = Object.keys(values).length ? [db.update(workspaces).set(values).where(eq(workspaces.id, id))] : [];
        return writeAndReadWorkspace(db, stmts, id, 'Update failed');
      });
      // A replaced or cleared logo is removed from R2 once the write committed.
      const released = releasedKeys(
        LOGO,
        { logo_url: workspace.logo_url },
        { logo_url: body.logo_url === undefined ? workspace.logo_url : body.logo_url },
      );
      if (released.length) s.events.push(fileDeleteEvent(released));
      return out;
    },
  }),
  'workspace_workspaces_partial_update',
);

const destroy = adminDelete({
  path: '/api/workspace/workspaces/{workspace_id}/',
  operationId: 'workspace_workspaces_destroy',
  summary: 'Delete a workspace with its branches, spaces and memberships (admin only)',
  params: WorkspacePath,
  what: 'workspace',
  id: (params) => params.workspace_id,
  message: 'Workspace deleted successfully',
  denied: 'Only workspace admin can delete workspace',
  access: workspaceAccessStmt,
  spaces: (id) =>
    sql`(select s.id from workspace_spaces s join workspace_branches b on b.id = s.branch_id where b.workspace_id = ${id})`,
  table: workspaces,
  workspaceOf: (id) => sql`${id}`,
  // The logo leaves R2 with the spaces' photos.
  files: (row) => keysOf(LOGO, row.workspace),
});

export function mountWorkspaces(app: OpenAPIHono<AppEnv>) {
  mount(app, created);
  mount(app, workspaceList);
  mount(app, retrieve);
  mount(app, update);
  mount(app, partialUpdate);
  mount(app, destroy);
}
