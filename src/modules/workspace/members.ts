/**
 * Workspace members. Only the admin invites (existing accounts only; the membership is active at
 * once and the invitee is told by email and notification), changes roles and removes members;
 * active members may list them. The admin's own `admin` row can be neither changed nor removed,
 * and is not listed among the members: the owner appears under `admin` (as the original).
 * A deactivated or removed member loses access on their next request (access is checked per call).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { eventId } from '../../core/events';
import { bool, choice, email } from '../../core/fields';
import { paginate, pageRequest, wsPages } from '../../core/pagination';
import { mount, reply, route } from '../../core/route';
import { publish } from '../../core/scope';
import { type Db, runBatch, type Stmt } from '../../db';
import { statement } from '../../db/compiled';
import { users } from '../../db/schema/users';
import { workspaceBranches, workspaceMembers } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import {
  checkId,
  fail,
  forbidden,
  granted,
  isUuid,
  MemberPath,
  notFound,
  pageQuery,
  tags,
  uniqueColumns,
  WorkspacePath,
  type WorkspaceRow,
  workspaceAccessStmt,
  slot,
} from './common';
import { Member, memberOrder, memberOut, selectMembers } from './serializers';

const INVITABLE = ['manager', 'staff', 'user'] as const;

export const MemberInvite = z
  .object({ email: email({ max: 254 }), role: choice(INVITABLE).openapi({ description: 'manager, staff or user.' }) })
  .openapi('WsMemberInviteRequest');
export const MemberUpdate = z
  .object({
    role: z
      .string()
      .optional()
      .openapi({ enum: [...INVITABLE], description: 'manager, staff or user.' }),
    is_active: bool().optional(),
  })
  .openapi('WsMemberUpdateRequest');

const AdminRef = z
  .object({ id: z.string(), email: z.string(), full_name: z.string(), role: z.literal('admin'), joined_at: z.string() })
  .openapi('WsMemberAdmin');
const MemberList = z.object({
  count: z.number().int(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  admin: AdminRef,
  data: z.array(Member),
  members: z.array(Member),
});

/** A membership of a workspace by id, as a statement (no row for an id that is not a UUID). */
const memberStmt = (db: Db, workspaceId: string, memberId: string) =>
  selectMembers(db)
    .where(and(eq(workspaceMembers.id, isUuid(memberId) ? memberId : ''), eq(workspaceMembers.workspace_id, workspaceId)))
    .limit(1);
type MemberQueryRow = Awaited<ReturnType<typeof selectMembers>>[number];

/** The workspace and membership behind a member path, for the workspace's admin only (one round trip). */
async function memberForAdmin(db: Db, userId: number, params: { workspace_id: string; member_id: string }, deny: string) {
  const workspaceId = checkId(params.workspace_id, 'workspace');
  const [access, rows] = await db.batch([
    workspaceAccessStmt(db, workspaceId, userId),
    memberStmt(db, workspaceId, params.member_id),
  ]);
  const { workspace, role } = granted(access, 'workspace');
  if (role !== 'admin') throw forbidden(deny);
  const row = rows[0];
  if (!row) throw notFound('member');
  if (row.role === 'admin' || row.user_id === workspace.admin_id) return { workspace, row, isAdminRow: true };
  return { workspace, row, isAdminRow: false };
}

/** Runs a write batch that ends with reading the membership back. */
async function writeAndRead(db: Db, stmts: Stmt[], workspaceId: string, memberId: string) {
  const rows = await runBatch(db, [...stmts, memberStmt(db, workspaceId, memberId)]);
  const [row] = rows[rows.length - 1] as MemberQueryRow[];
  return memberOut(row);
}

function inviteMail(workspace: WorkspaceRow, inviter: { full_name: string; email: string } | undefined, role: string) {
  const who = inviter?.full_name || inviter?.email || '';
  return {
    subject: `You have been added to ${workspace.name}`,
    text: `Hello,\n\n${who} added you to the workspace "${workspace.name}" as ${role}.\nSign in with your existing account to see it.`,
  };
}

const invite = route({
  method: 'post',
  path: '/api/workspace/workspaces/{workspace_id}/members/invite/',
  operationId: 'workspace_workspaces_members_invite_create',
  responseDescription: 'Invited',
  summary: 'Add an existing account as manager, staff or user (admin only)',
  tags,
  params: WorkspacePath,
  body: MemberInvite,
  status: 201,
  response: Member,
  envelope: { message: 'Member invited', failure: 'Invitation failed', key: 'member', name: 'WsMemberResponse' },
  async handler({ s, db, actor, params, body }) {
    const workspaceId = checkId(params.workspace_id, 'workspace');
    const person = { id: users.id, email: users.email, full_name: users.full_name };
    const [access, invitees, inviters] = await db.batch([
      workspaceAccessStmt(db, workspaceId, actor.id),
      db.select(person).from(users).where(sql`lower(${users.email}) = ${body.email.trim().toLowerCase()}`).limit(1),
      db.select(person).from(users).where(eq(users.id, actor.id)).limit(1),
    ]);
    const { workspace, role } = granted(access, 'workspace');
    if (role !== 'admin') throw forbidden('Only workspace admin can invite members');
    const invitee = invitees[0];
    if (!invitee) throw fail(404, 'User with this email does not exist. They need to register first.');
    const id = crypto.randomUUID();
    let out: z.infer<typeof Member>;
    try {
      const insert = db.insert(workspaceMembers).values({ id, workspace_id: workspace.id, user_id: invitee.id, role: body.role });
      out = await writeAndRead(db, [insert], workspace.id, id);
    } catch (err) {
      if (uniqueColumns(err)) throw fail(400, 'User is already a member of this workspace');
      throw err;
    }
    publish(
      s,
      { type: 'email', id: eventId(), to: invitee.email, ...inviteMail(workspace, inviters[0], body.role) },
      {
        type: 'notification',
        id: eventId(),
        recipient_id: invitee.id,
        actor_id: actor.id,
        verb: 'invited you to a workspace',
        target_type: 'workspace',
        target_id: workspace.id,
      },
    );
    return reply(out, { message: `User invited as ${body.role} successfully` });
  },
});

const list = route({
  method: 'get',
  path: '/api/workspace/workspaces/{workspace_id}/members/',
  operationId: 'workspace_workspaces_members_list',
  responseDescription: 'Members',
  summary: 'Members, the admin first (active members see active ones; the admin also sees inactive ones)',
  tags,
  params: WorkspacePath,
  query: z.object(pageQuery),
  response: MemberList,
  envelope: { message: 'Members retrieved successfully', failure: 'Invalid query parameters', name: 'WsMemberListResponse' },
  async handler({ s, db, actor, params, query }) {
    const workspaceId = checkId(params.workspace_id, 'workspace');
    const page = pageRequest(query, wsPages);
    const admin = { uuid: users.uuid, email: users.email, full_name: users.full_name };
    const [access, rows, admins] = await db.batch([
      workspaceAccessStmt(db, workspaceId, actor.id),
      // Invited memberships only: the owner is `admin` (issue 20, item 3). Inactive ones for the admin only.
      statement(
        db,
        'workspace.members',
        (q) =>
          selectMembers(q)
            .where(
              sql`${workspaceMembers.workspace_id} = ${slot.id} and ${workspaceMembers.role} != 'admin' and (${workspaceMembers.is_active} = 1 or exists (select 1 from workspaces w where w.id = ${slot.id} and w.admin_id = ${slot.user}))`,
            )
            .orderBy(...memberOrder)
            .limit(slot.limit)
            .offset(slot.offset),
        { id: workspaceId, user: actor.id, limit: page.pageSize, offset: page.offset },
      ),
      statement(
        db,
        'workspace.owner',
        (q) => q.select(admin).from(users).where(sql`${users.id} = (select admin_id from workspaces where id = ${slot.id})`),
        { id: workspaceId },
      ),
    ]);
    const { workspace } = granted(access, 'workspace');
    const list = rows.map(memberOut);
    const owner = admins[0];
    const { results: _, ...info } = paginate(s.url, page, rows[0]?.total ?? 0, [], wsPages);
    return {
      ...info,
      admin: {
        id: owner.uuid,
        email: owner.email,
        full_name: owner.full_name,
        role: 'admin' as const,
        joined_at: workspace.created_at,
      },
      data: list,
      members: list,
    };
  },
});

const retrieve = route({
  method: 'get',
  path: '/api/workspace/workspaces/{workspace_id}/members/{member_id}/',
  operationId: 'workspace_workspaces_members_retrieve',
  responseDescription: 'The member',
  summary: 'A membership',
  tags,
  params: MemberPath,
  response: Member,
  envelope: { message: 'Member retrieved successfully', key: 'member', name: 'WsMemberResponse' },
  async handler({ db, actor, params }) {
    const workspaceId = checkId(params.workspace_id, 'workspace');
    const [access, rows] = await db.batch([
      workspaceAccessStmt(db, workspaceId, actor.id),
      memberStmt(db, workspaceId, params.member_id),
    ]);
    const { role } = granted(access, 'workspace');
    const row = rows[0];
    if (!row || (!row.is_active && role !== 'admin')) throw notFound('member');
    return memberOut(row);
  },
});

const update = (method: 'put' | 'patch') =>
  route({
    method,
    path: '/api/workspace/workspaces/{workspace_id}/members/{member_id}/',
    operationId: method === 'put' ? 'workspace_workspaces_members_update' : 'workspace_workspaces_members_partial_update',
    responseDescription: 'Updated',
    summary: "Change a member's role or active status (admin only; partial)",
    tags,
    params: MemberPath,
    body: MemberUpdate,
    response: Member,
    envelope: {
      message: 'Member updated successfully',
      failure: 'Member update failed',
      key: 'member',
      name: 'WsMemberResponse',
    },
    async handler({ db, actor, params, body }) {
      const { workspace, row, isAdminRow } = await memberForAdmin(
        db,
        actor.id,
        params,
        'Only workspace admin can update member roles',
      );
      if (isAdminRow) throw fail(400, 'Cannot change admin role');
      if (body.role !== undefined && !(INVITABLE as readonly string[]).includes(body.role))
        throw fail(400, 'Invalid role. Must be one of: manager, staff, user', {
          role: [`"${body.role}" is not a valid choice.`],
        });
      const values: Partial<typeof workspaceMembers.$inferInsert> = {};
      if (body.role !== undefined) values.role = body.role as (typeof INVITABLE)[number];
      if (body.is_active !== undefined) values.is_active = body.is_active;
      const stmts = Object.keys(values).length
        ? [db.update(workspaceMembers).set(values).where(eq(workspaceMembers.id, row.id))]
        : [];
      return writeAndRead(db, stmts, workspace.id, row.id);
    },
  });

const destroy = route({
  method: 'delete',
  path: '/api/workspace/workspaces/{workspace_id}/members/{member_id}/',
  operationId: 'workspace_workspaces_members_destroy',
  responseDescription: 'Removed',
  summary: 'Remove a member (admin only); branches they managed lose their manager',
  tags,
  params: MemberPath,
  envelope: { message: 'Member removed from workspace' },
  async handler({ db, actor, params }) {
    const { workspace, row, isAdminRow } = await memberForAdmin(db, actor.id, params, 'Only workspace admin can remove members');
    if (isAdminRow) throw fail(400, 'Cannot remove workspace admin');
    await db.batch([
      db.delete(workspaceMembers).where(eq(workspaceMembers.id, row.id)),
      db
        .update(workspaceBranches)
        .set({ manager_id: null })
        .where(and(eq(workspaceBranches.workspace_id, workspace.id), eq(workspaceBranches.manager_id, row.user_id))),
    ]);
  },
});

export function mountMembers(app: OpenAPIHono<AppEnv>) {
  mount(app, invite);
  mount(app, list);
  mount(app, retrieve);
  mount(app, update('put'));
  mount(app, update('patch'));
  mount(app, destroy);
}
