/**
 * Workspace admins: registration with a business email, sign-in, the one-time onboarding that
 * creates the admin's first workspace, onboarding progress and the admin profile with counts.
 * "Admin" is not a global flag: it means "owner of a workspace" (accounts are shared with
 * /api/user/).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { and, count, eq, ne, sql } from 'drizzle-orm';
import { email, str, string } from '../../core/fields';
import { bearer, createRouter, envelopeHook, jsonBody, jsonResponse } from '../../core/router';
import { users } from '../../db/schema/users';
import { workspaceMembers, workspaces } from '../../db/schema/workspace';
import { currentUser, requireAuth } from '../../middleware/auth';
import { authRateLimit, limitLoginAccount } from '../../middleware/rate-limit';
import { bookingCountsForAdmin } from '../bookings/counts';
import { checkPassword, createUser, findByEmail, touchLogin, type UserRow } from '../users/service';
import { issueTokens } from '../users/tokens';
import { fail, failures } from './common';
import { newestWorkspaces, WorkspaceDetail, workspaceDetail } from './views';
import { insertWorkspace, takenFields } from './workspaces';

/** Free-mail providers refused for admin accounts (exact match on the lower-cased domain). */
export const FREE_MAIL_DOMAINS = new Set([
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'aol.com',
  'mail.com',
  'protonmail.com',
  'icloud.com',
  'yandex.com',
  'mail.ru',
  'qq.com',
  '163.com',
]);

const FREE_MAIL_MESSAGE =
  'Admin registration requires a business email address. Free email providers (Gmail, Yahoo, etc.) are not allowed.';
const SPECIALS = '!@#$%^&*()_+-=[]{}|;:,.<>?';
const ONCE_MESSAGE =
  'Admin can create workspace only once during onboarding. Use workspace creation endpoint for additional workspaces.';
const NEXT_STEPS = [
  'Create branches for your workspace',
  'Add spaces/rooms within branches',
  'Invite team members to manage the workspace',
  'Set up pricing and availability',
];
const STEPS = ['Create workspace', 'Create branches', 'Create spaces', 'Invite team members'] as const;

/** The admin password rules, first failure wins (as the original). */
function adminPasswordProblem(password: string, confirm: string): string | undefined {
  if (password.length < 8) return 'Ensure this field has at least 8 characters.';
  if (password !== confirm) return 'Passwords do not match';
  const strong =
    /[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password) && [...password].some((ch) => SPECIALS.includes(ch));
  if (!strong) return 'Password must contain uppercase, lowercase, digit, and special character';
  return undefined;
}

const RegisterBody = z
  .object({
    full_name: str({ max: 200 }),
    email: email({ max: 254 }),
    password: string().max(255),
    confirm_password: string(),
  })
  .openapi('WsAdminRegisterRequest');
const LoginBody = z.object({ email: email({ max: 254 }), password: string().min(1).max(255) }).openapi('WsAdminLoginRequest');
const OnboardingBody = z
  .object({
    workspace_name: str({ max: 255 }),
    workspace_description: z.string().max(1000).optional(),
    company_email: email({ max: 254 }),
    company_phone: str({ max: 20, blank: true }).optional(),
    company_address: str({ max: 255, blank: true }).optional(),
    company_city: str({ max: 100, blank: true }).optional(),
    company_country: str({ max: 100, blank: true }).optional(),
  })
  .openapi('WsAdminOnboardingRequest');

const AdminUser = z
  .object({
    user_id: z.string().openapi({ format: 'uuid' }),
    email: z.string(),
    user_email: z.string(),
    full_name: z.string(),
    avatar_url: z.string().nullable(),
  })
  .openapi('WsAdminUser');
const TokenPair = z.object({ access_token: z.string(), refresh_token: z.string() });
const AdminAuthResponse = z
  .object({ success: z.boolean(), message: z.string(), user: AdminUser, token: TokenPair })
  .openapi('WsAdminAuthResponse');
const OnboardingResponse = z
  .object({
    success: z.boolean(),
    message: z.string(),
    data: WorkspaceDetail,
    workspace: WorkspaceDetail,
    next_steps: z.array(z.string()),
  })
  .openapi('WsAdminOnboardingResponse');
const Onboarding = z
  .object({
    is_registered: z.boolean(),
    has_workspace: z.boolean(),
    completed_steps: z.array(z.enum(STEPS)),
    pending_steps: z.array(z.enum(STEPS)),
    workspace: z
      .object({ workspace_id: z.string(), name: z.string(), branch_count: z.number().int(), member_count: z.number().int() })
      .optional(),
  })
  .openapi('WsAdminOnboardingStatus');
const OnboardingStatusResponse = z
  .object({
    success: z.boolean(),
    message: z.string(),
    onboarding: Onboarding,
    data: Onboarding,
    progress_percentage: z.number(),
  })
  .openapi('WsAdminOnboardingStatusResponse');
const Profile = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    user_id: z.string().openapi({ format: 'uuid' }),
    full_name: z.string(),
    email: z.string(),
    avatar_url: z.string().nullable(),
    date_joined: z.string(),
    last_login: z.string().nullable(),
    workspace_count: z.number().int().openapi({ description: 'Workspaces the user administers.' }),
    membership_count: z.number().int().openapi({ description: "Active memberships in other users' workspaces." }),
    booking_count: z.number().int().openapi({ description: "Bookings in the admin's workspaces, cancelled ones included." }),
    confirmed_booking_count: z.number().int(),
    upcoming_booking_count: z.number().int(),
    cancelled_booking_count: z.number().int(),
  })
  .openapi('WsAdminProfile');
const ProfileResponse = z
  .object({ success: z.boolean(), message: z.string(), user: Profile, data: Profile })
  .openapi('WsAdminProfileResponse');

const adminUser = (u: UserRow) => ({
  user_id: u.uuid,
  email: u.email,
  user_email: u.email,
  full_name: u.full_name,
  avatar_url: u.avatar_url,
});
const pair = (t: { access: string; refresh: string }) => ({ access_token: t.access, refresh_token: t.refresh });

export function adminRoutes() {
  const app = createRouter();
  const tags = ['workspace admin'];
  const limitRegister = authRateLimit('register');
  const limitLogin = authRateLimit('login');
  const auth = requireAuth();

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/admin/register/',
      operationId: 'workspace_admin_register_create',
      summary: 'Register a workspace admin (business email only)',
      tags,
      middleware: [limitRegister] as const,
      request: { body: jsonBody(RegisterBody) },
      responses: { 201: jsonResponse(AdminAuthResponse, 'Registered'), 400: failures[400] },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('db');
      const errors: Record<string, string[]> = {};
      const domain = body.email
        .slice(body.email.lastIndexOf('@') + 1)
        .trim()
        .toLowerCase();
      if (await findByEmail(db, body.email)) errors.email = ['Email already exists'];
      else if (FREE_MAIL_DOMAINS.has(domain)) errors.email = [FREE_MAIL_MESSAGE];
      const problem = adminPasswordProblem(body.password, body.confirm_password);
      if (problem) errors.password = [problem];
      if (Object.keys(errors).length) throw fail(400, 'Admin registration failed', errors);
      let user: UserRow;
      try {
        user = await createUser(db, {
          email: body.email,
          password: body.password,
          full_name: body.full_name,
          avatar_url: null,
          role: 'Customer',
        });
      } catch (err) {
        // A concurrent registration of the same address lost the race on the unique index.
        if (/UNIQUE constraint failed/.test(String((err as Error)?.message) + String((err as { cause?: Error })?.cause?.message)))
          throw fail(400, 'Admin registration failed', { email: ['Email already exists'] });
        throw err;
      }
      const tokens = await issueTokens(c, user);
      return c.json({ success: true, message: 'Admin registration successful', user: adminUser(user), token: pair(tokens) }, 201);
    },
    envelopeHook('Admin registration failed'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/admin/login/',
      operationId: 'workspace_admin_login_create',
      summary: 'Sign in (any account; admins are simply workspace owners)',
      tags,
      middleware: [limitLogin] as const,
      request: { body: jsonBody(LoginBody) },
      responses: { 200: jsonResponse(AdminAuthResponse, 'Signed in'), 400: failures[400] },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('db');
      const user = await findByEmail(db, body.email);
      // One budget per account across the four login routes.
      await limitLoginAccount(c, user, body.email);
      const ok = await checkPassword(user, body.password);
      // One answer for an unknown email and a wrong password (the original told them apart).
      if (!user || !ok) throw fail(400, 'Login failed', { non_field_errors: ['Invalid email or password'] });
      if (!user.is_active) throw fail(400, 'Login failed', { email: ['User account is inactive'] });
      const tokens = await issueTokens(c, user);
      await touchLogin(db, user.id);
      return c.json({ success: true, message: 'Admin login successful', user: adminUser(user), token: pair(tokens) }, 200);
    },
    envelopeHook('Login failed'),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/workspace/admin/onboarding/',
      operationId: 'workspace_admin_onboarding_create',
      summary: "Create the admin's first workspace from the company details (once per admin)",
      tags,
      security: bearer,
      middleware: [auth] as const,
      request: { body: jsonBody(OnboardingBody) },
      responses: { 201: jsonResponse(OnboardingResponse, 'Workspace created'), ...failures },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const db = c.get('db');
      const user = currentUser(c);
      const taken = await takenFields(db, body.workspace_name, body.company_email);
      const errors: Record<string, string[]> = {};
      if (taken.name) errors.workspace_name = ['Workspace name already exists'];
      if (taken.email) errors.company_email = ['Email already used for another workspace'];
      if (Object.keys(errors).length) throw fail(400, 'Onboarding failed', errors);
      const [owned] = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.admin_id, user.id)).limit(1);
      if (owned) throw fail(400, ONCE_MESSAGE);
      const result = await insertWorkspace(
        db,
        {
          name: body.workspace_name,
          description: body.workspace_description ?? '',
          email: body.company_email,
          phone: body.company_phone ?? '',
          address: body.company_address ?? '',
          city: body.company_city ?? '',
          country: body.company_country ?? '',
          via_onboarding: true,
        },
        user.id,
      );
      if ('conflict' in result) {
        if (result.conflict === 'onboarding') throw fail(400, ONCE_MESSAGE);
        throw fail(
          400,
          'Onboarding failed',
          result.conflict === 'name'
            ? { workspace_name: ['Workspace name already exists'] }
            : { company_email: ['Email already used for another workspace'] },
        );
      }
      const detail = (await workspaceDetail(db, result.id))!;
      return c.json(
        {
          success: true,
          message: 'Onboarding successful. Workspace created!',
          data: detail,
          workspace: detail,
          next_steps: NEXT_STEPS,
        },
        201,
      );
    },
    envelopeHook('Onboarding failed'),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/admin/onboarding-status/',
      operationId: 'workspace_admin_onboarding_status_retrieve',
      summary: "Onboarding progress of the caller's newest workspace",
      tags,
      security: bearer,
      middleware: [auth] as const,
      responses: { 200: jsonResponse(OnboardingStatusResponse, 'Progress'), 401: failures[401] },
    }),
    async (c) => {
      const db = c.get('db');
      const user = currentUser(c);
      const [ws] = await db
        .select({
          id: workspaces.id,
          name: workspaces.name,
          branch_count: sql<number>`(select count(*) from workspace_branches b where b.workspace_id = workspaces.id)`.mapWith(
            Number,
          ),
          space_count:
            sql<number>`(select count(*) from workspace_spaces s join workspace_branches b on b.id = s.branch_id where b.workspace_id = workspaces.id)`.mapWith(
              Number,
            ),
          member_count:
            sql<number>`(select count(*) from workspace_members m where m.workspace_id = workspaces.id and m.is_active = 1)`.mapWith(
              Number,
            ),
          invited_count:
            sql<number>`(select count(*) from workspace_members m where m.workspace_id = workspaces.id and m.role != 'admin')`.mapWith(
              Number,
            ),
        })
        .from(workspaces)
        .where(eq(workspaces.admin_id, user.id))
        .orderBy(...newestWorkspaces)
        .limit(1);
      const done = new Set<(typeof STEPS)[number]>();
      if (ws) {
        done.add('Create workspace');
        if (ws.branch_count > 0) done.add('Create branches');
        if (ws.space_count > 0) done.add('Create spaces');
        if (ws.invited_count > 0) done.add('Invite team members');
      }
      const onboarding = {
        is_registered: true,
        has_workspace: !!ws,
        completed_steps: STEPS.filter((s) => done.has(s)),
        pending_steps: STEPS.filter((s) => !done.has(s)),
        ...(ws
          ? { workspace: { workspace_id: ws.id, name: ws.name, branch_count: ws.branch_count, member_count: ws.member_count } }
          : {}),
      };
      return c.json(
        {
          success: true,
          message: 'Onboarding status retrieved',
          onboarding,
          data: onboarding,
          progress_percentage: (done.size / STEPS.length) * 100,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/workspace/admin/profile/',
      operationId: 'workspace_admin_profile_retrieve',
      summary: 'The caller with workspace and membership counts',
      tags,
      security: bearer,
      middleware: [auth] as const,
      responses: { 200: jsonResponse(ProfileResponse, 'Profile'), 401: failures[401] },
    }),
    async (c) => {
      const db = c.get('db');
      const me = currentUser(c);
      const bookingCounts = bookingCountsForAdmin(db, me.id);
      const [[user], owned, memberships] = await db.batch([
        db.select().from(users).where(eq(users.id, me.id)).limit(1),
        db.select({ n: count() }).from(workspaces).where(eq(workspaces.admin_id, me.id)),
        db
          .select({ n: count() })
          .from(workspaceMembers)
          .where(
            and(eq(workspaceMembers.user_id, me.id), eq(workspaceMembers.is_active, true), ne(workspaceMembers.role, 'admin')),
          ),
      ]);
      const profile = {
        id: user.uuid,
        user_id: user.uuid,
        full_name: user.full_name,
        email: user.email,
        avatar_url: user.avatar_url,
        date_joined: user.date_joined,
        last_login: user.last_login,
        workspace_count: owned[0].n,
        membership_count: memberships[0].n,
        ...(await bookingCounts),
      };
      return c.json({ success: true, message: 'Profile retrieved successfully', user: profile, data: profile }, 200);
    },
  );

  return app;
}
