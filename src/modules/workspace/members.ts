/**
 * Workspace members. Only the admin invites (existing accounts only; the membership is active at
 * once and the invitee is told by email and notification), changes roles and removes members;
 * active members may list them. The admin's own `admin` row can be neither changed nor removed.
 * A deactivated or removed member loses access on their next request (access is checked per call).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { bool, choice, email } from '../../core/fields';
import { eventId, publish } from '../../core/events';
import type { Db } from '../../core/resource';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { users } from '../../db/schema/users';
import { workspaceBranches, workspaceMembers } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import { currentUser, requireAuth } from '../../middleware/auth';
import { findByEmail, findById } from '../users/service';
import {
  Done,
  fail,
  failures,
  forbidden,
  isUuid,
  notFound,
  pageInfo,
  PageInfo,
  pageOf,
  pageQuery,
  uniqueViolation,
  workspaceAccess,
  type WorkspaceAccess,
} from './common';
import { Member, memberOrder, memberOut, selectMembers } from './views';

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

const MemberResponse = z
  .object({ success: z.boolean(), message: z.string(), data: Member, member: Member })
  .openapi('WsMemberResponse');
const AdminRef = z
  .object({ id: z.string(), email: z.string(), full_name: z.string(), role: z.literal('admin'), joined_at: z.string() })
  .openapi('WsMemberAdmin');
const MemberListResponse = z
  .object({
    success: z.boolean(),
    message: z.string(),
    ...PageInfo,
    admin: AdminRef,
    data: z.array(Member),
    members: z.array(Member),
  })
  .openapi('WsMemberListResponse');

const WorkspacePath = z.object({ workspace_id: z.string().openapi({ format: 'uuid' }) });
const MemberPath = WorkspacePath.extend({
  member_id: z.string().openapi({ format: 'uuid', description: 'The membership id (not the user id).' }),
});

async function loadMember(db: Db, workspaceId: string, memberId: string) {
  if (!isUuid(memberId)) return undefined;
  const [row] = await selectMembers(db)
    .where(and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspace_id, workspaceId)))
    .limit(1);
  return row;
}

/** The membership behind a member path, for the workspace's admin only. */
async function memberForAdmin(c: Context<AppEnv>, params: { workspace_id: string; member_id: string }, deny: string) {
  const db = c.get('db');
  const access = await workspaceAccess(db, params.workspace_id, currentUser(c).id);
  if (access.role !== 'admin') throw forbidden(deny);
  const row = await loadMember(db, access.workspace.id, params.member_id);
  if (!row) throw notFound('member');
  return { access, row };
}

function inviteMail(access: WorkspaceAccess, inviter: { full_name: string; email: string }, role: string) {
  const who = inviter.full_name || inviter.email;
  return {
    subject: `You have been added to ${access.workspace.name}`,
    text: `Hello,\n\n${who} added you to the workspace "${access.workspace.name}" as ${role}.\nSign in with your existing account to see it.`,
  };
}

export function memberRoutes() {
  const app = createRouter();
  const tags = ['workspace'];
  const auth = requireAuth();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/workspaces/{workspace_id}/members/invite/',
      operationId: 'workspace_workspaces_members_invite_create',
      summary: 'Add an existing account as manager, staff or user (admin only)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: WorkspacePath, body: jsonBody(MemberInvite) },
      responses: { 201: jsonResponse(MemberResponse, 'Invited'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const actor = currentUser(c);
      const { email: address, role } = c.req.valid('json');
      const access = await workspaceAccess(db, c.req.valid('param').workspace_id, actor.id);
      if (access.role !== 'admin') throw forbidden('Only workspace admin can invite members');
      const invitee = await findByEmail(db, address);
      if (!invitee) throw fail(404, 'User with this email does not exist. They need to register first.');
      const id = crypto.randomUUID();
      try {
        await db.insert(workspaceMembers).values({ id, workspace_id: access.workspace.id, user_id: invitee.id, role });
      } catch (err) {
        if (uniqueViolation(err)) throw fail(400, 'User is already a member of this workspace');
        throw err;
      }
      const inviter = (await findById(db, actor.id)) ?? { full_name: '', email: '' };
      const mail = inviteMail(access, inviter, role);
      publish(
        c,
        { type: 'email', id: eventId(), to: invitee.email, ...mail },
        {
          type: 'notification',
          id: eventId(),
          recipient_id: invitee.id,
          actor_id: actor.id,
          verb: 'invited you to a workspace',
          target_type: 'workspace',
          target_id: access.workspace.id,
        },
      );
      const out = memberOut((await loadMember(db, access.workspace.id, id))!);
      return c.json({ success: true, message: `User invited as ${role} successfully`, data: out, member: out }, 201);
    },
    envelopeHook('Invitation failed'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/workspaces/{workspace_id}/members/',
      operationId: 'workspace_workspaces_members_list',
      summary: 'Members, the admin first (active members see active ones; the admin also sees inactive ones)',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: WorkspacePath, query: z.object(pageQuery) },
      responses: { 200: jsonResponse(MemberListResponse, 'Members'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const { workspace, role } = await workspaceAccess(db, c.req.valid('param').workspace_id, currentUser(c).id);
      const page = pageOf(c.req.valid('query'));
      const visible =
        role === 'admin'
          ? eq(workspaceMembers.workspace_id, workspace.id)
          : sql`${workspaceMembers.workspace_id} = ${workspace.id} and ${workspaceMembers.is_active} = 1`;
      const [rows, admins] = await Promise.all([
        selectMembers(db)
          .where(visible)
          .orderBy(...memberOrder)
          .limit(page.size)
          .offset(page.offset),
        db
          .select({ uuid: users.uuid, email: users.email, full_name: users.full_name })
          .from(users)
          .where(eq(users.id, workspace.admin_id)),
      ]);
      const info = pageInfo(c, page, rows[0]?.total ?? 0);
      const admin = {
        id: admins[0].uuid,
        email: admins[0].email,
        full_name: admins[0].full_name,
        role: 'admin' as const,
        joined_at: workspace.created_at,
      };
      const list = rows.map(memberOut);
      return c.json({ success: true, message: 'Members retrieved successfully', ...info, admin, data: list, members: list }, 200);
    },
    envelopeHook('Invalid query parameters'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/workspaces/{workspace_id}/members/{member_id}/',
      operationId: 'workspace_workspaces_members_retrieve',
      summary: 'A membership',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: MemberPath },
      responses: { 200: jsonResponse(MemberResponse, 'The member'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const params = c.req.valid('param');
      const { workspace, role } = await workspaceAccess(db, params.workspace_id, currentUser(c).id);
      const row = await loadMember(db, workspace.id, params.member_id);
      if (!row || (!row.is_active && role !== 'admin')) throw notFound('member');
      const out = memberOut(row);
      return c.json({ success: true, message: 'Member retrieved successfully', data: out, member: out }, 200);
    },
  );

  for (const method of ['put', 'patch'] as const) {
    app.openapi(
      createRoute({
        method,
        path: '/api/workspace/workspaces/{workspace_id}/members/{member_id}/',
        operationId: method === 'put' ? 'workspace_workspaces_members_update' : 'workspace_workspaces_members_partial_update',
        summary: "Change a member's role or active status (admin only; partial)",
        tags,
        security: bearer,
        middleware: [auth] as const,
        request: { params: MemberPath, body: jsonBody(MemberUpdate) },
        responses: { 200: jsonResponse(MemberResponse, 'Updated'), ...failures },
      }),
      async (c) => {
        const db = c.get('db');
        const input = c.req.valid('json');
        const { access, row } = await memberForAdmin(c, c.req.valid('param'), 'Only workspace admin can update member roles');
        if (row.role === 'admin' || row.user_id === access.workspace.admin_id) throw fail(400, 'Cannot change admin role');
        if (input.role !== undefined && !(INVITABLE as readonly string[]).includes(input.role))
          throw fail(400, 'Invalid role. Must be one of: manager, staff, user', {
            role: [`"${input.role}" is not a valid choice.`],
          });
        const values: Partial<typeof workspaceMembers.$inferInsert> = {};
        if (input.role !== undefined) values.role = input.role as (typeof INVITABLE)[number];
        if (input.is_active !== undefined) values.is_active = input.is_active;
        if (Object.keys(values).length) await db.update(workspaceMembers).set(values).where(eq(workspaceMembers.id, row.id));
        const out = memberOut((await loadMember(db, access.workspace.id, row.id))!);
        return c.json({ success: true, message: 'Member updated successfully', data: out, member: out }, 200);
      },
      envelopeHook('Member update failed'),
    );
  }

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/api/workspace/workspaces/{workspace_id}/members/{member_id}/',
      operationId: 'workspace_workspaces_members_destroy',
      summary: 'Remove a member (admin only); branches they managed lose their manager',
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { params: MemberPath },
      responses: { 200: jsonResponse(Done, 'Removed'), ...failures },
    }),
    async (c) => {
      const db = c.get('db');
      const { access, row } = await memberForAdmin(c, c.req.valid('param'), 'Only workspace admin can remove members');
      if (row.role === 'admin' || row.user_id === access.workspace.admin_id) throw fail(400, 'Cannot remove workspace admin');
      await db.batch([
        db.delete(workspaceMembers).where(eq(workspaceMembers.id, row.id)),
        db
          .update(workspaceBranches)
          .set({ manager_id: null })
          .where(and(eq(workspaceBranches.workspace_id, access.workspace.id), eq(workspaceBranches.manager_id, row.user_id))),
      ]);
      return c.json({ success: true, message: 'Member removed from workspace' }, 200);
    },
  );

  return app;
}
