/**
 * Workspace admins: registration with a business email, sign-in (both the shared ones of
 * user/accounts.ts), the one-time onboarding that creates the admin's first workspace, onboarding
 * progress and the admin profile with counts. "Admin" is not a global flag: it means "owner of a
 * workspace" (accounts are shared with /api/user/).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { and, count, eq, ne, sql } from 'drizzle-orm';
import { email, str } from '../../core/fields';
import { mount, route } from '../../core/route';
import { type Db, runBatch } from '../../db';
import { bookings } from '../../db/schema/bookings';
import { users } from '../../db/schema/users';
import { workspaceMembers, workspaces } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import { authRateLimit } from '../../middleware/rate-limit';
import { isStrong, pair, registerAccount, signIn } from '../user/accounts';
import type { UserRow } from '../users/service';
import { fail } from './common';
import { WorkspaceDetail, workspaceDetailOf, workspaceDetailStmts } from './serializers';
import { newestWorkspaces } from './workspace-out';
import { conflictOf, insertWorkspaceStmts, takenOf, takenStmt } from './workspaces';

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

const tags = ['workspace admin'];
const FREE_MAIL_MESSAGE =
  'Admin registration requires a business email address. Free email providers (Gmail, Yahoo, etc.) are not allowed.';
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
  if (!isStrong(password)) return 'Password must contain uppercase, lowercase, digit, and special character';
  return undefined;
}

const RegisterBody = z
  .object({
    full_name: str({ max: 200 }),
    email: email({ max: 254 }),
    password: z.string().max(255),
    confirm_password: z.string(),
  })
  .openapi('WsAdminRegisterRequest');
const LoginBody = z.object({ email: email({ max: 254 }), password: z.string().min(1).max(255) }).openapi('WsAdminLoginRequest');
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
const AdminAuth = z.object({ user: AdminUser, token: TokenPair });
const Onboarded = z.object({ data: WorkspaceDetail, workspace: WorkspaceDetail, next_steps: z.array(z.string()) });
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
const OnboardingStatus = z.object({ onboarding: Onboarding, data: Onboarding, progress_percentage: z.number() });
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

const adminUser = (u: UserRow) => ({
  user_id: u.uuid,
  email: u.email,
  user_email: u.email,
  full_name: u.full_name,
  avatar_url: u.avatar_url,
});

const register = route({
  method: 'post',
  path: '/api/workspace/admin/register/',
  operationId: 'workspace_admin_register_create',
  summary: 'Register a workspace admin (business email only)',
  tags,
  auth: 'public',
  middleware: [authRateLimit('register')],
  body: RegisterBody,
  status: 201,
  response: AdminAuth,
  responseDescription: 'Registered',
  envelope: { message: 'Admin registration successful', failure: 'Admin registration failed', name: 'WsAdminAuthResponse' },
  omitFailures: [401, 403, 404],
  async handler({ c, body }) {
    const { user, tokens } = await registerAccount(c, body, {
      failure: 'Admin registration failed',
      errorKey: 'errors',
      avatar: () => null,
      check(b, taken) {
        const errors: Record<string, string[]> = {};
        const domain = b.email
          .slice(b.email.lastIndexOf('@') + 1)
          .trim()
          .toLowerCase();
        if (taken) errors.email = ['Email already exists'];
        else if (FREE_MAIL_DOMAINS.has(domain)) errors.email = [FREE_MAIL_MESSAGE];
        const problem = adminPasswordProblem(b.password, b.confirm_password);
        if (problem) errors.password = [problem];
        return errors;
      },
    });
    return { user: adminUser(user), token: pair(tokens) };
  },
});

const login = route({
  method: 'post',
  path: '/api/workspace/admin/login/',
  operationId: 'workspace_admin_login_create',
  summary: 'Sign in (any account; admins are simply workspace owners)',
  tags,
  auth: 'public',
  middleware: [authRateLimit('login')],
  body: LoginBody,
  response: AdminAuth,
  responseDescription: 'Signed in',
  envelope: { message: 'Admin login successful', failure: 'Login failed', name: 'WsAdminAuthResponse' },
  omitFailures: [401, 403, 404],
  async handler({ c, body }) {
    const { user, tokens } = await signIn(c, body.email, body.password, {
      message: 'Login failed',
      inactive: { email: ['User account is inactive'] },
    });
    return { user: adminUser(user), token: pair(tokens) };
  },
});

/** Throws the onboarding 400 for a workspace name, email or a second onboarding. */
function onboardingConflict(conflict: { name: boolean; email: boolean; once: boolean }) {
  const errors: Record<string, string[]> = {};
  if (conflict.name) errors.workspace_name = ['Workspace name already exists'];
  if (conflict.email) errors.company_email = ['Email already used for another workspace'];
  if (Object.keys(errors).length) throw fail(400, 'Onboarding failed', errors);
  if (conflict.once) throw fail(400, ONCE_MESSAGE);
}

const onboarding = route({
  method: 'post',
  path: '/api/workspace/admin/onboarding/',
  operationId: 'workspace_admin_onboarding_create',
  summary: "Create the admin's first workspace from the company details (once per admin)",
  tags,
  body: OnboardingBody,
  status: 201,
  response: Onboarded,
  responseDescription: 'Workspace created',
  envelope: {
    message: 'Onboarding successful. Workspace created!',
    failure: 'Onboarding failed',
    name: 'WsAdminOnboardingResponse',
  },
  async handler({ db, actor, body }) {
    const [taken, owned] = await db.batch([
      takenStmt(db, body.workspace_name, body.company_email),
      db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.admin_id, actor.id)).limit(1),
    ]);
    onboardingConflict({ ...takenOf(taken, body.workspace_name, body.company_email), once: owned.length > 0 });
    const id = crypto.randomUUID();
    const values = {
      name: body.workspace_name,
      description: body.workspace_description ?? '',
      email: body.company_email,
      phone: body.company_phone ?? '',
      address: body.company_address ?? '',
      city: body.company_city ?? '',
      country: body.company_country ?? '',
      via_onboarding: true,
    };
    let rows: unknown[];
    try {
      rows = await runBatch(db, [...insertWorkspaceStmts(db, id, values, actor.id), ...workspaceDetailStmts(db, id)]);
    } catch (err) {
      const conflict = conflictOf(err);
      if (conflict)
        onboardingConflict({ name: conflict === 'name', email: conflict === 'email', once: conflict === 'onboarding' });
      throw err;
    }
    const [found, branches, members] = rows.slice(2) as Parameters<typeof workspaceDetailOf>;
    const detail = workspaceDetailOf(found, branches, members);
    if (!detail) throw fail(400, 'Onboarding failed');
    return { data: detail, workspace: detail, next_steps: NEXT_STEPS };
  },
});

const countOf = (q: string) => sql<number>`(${sql.raw(q)})`.mapWith(Number);

const onboardingStatus = route({
  method: 'get',
  path: '/api/workspace/admin/onboarding-status/',
  operationId: 'workspace_admin_onboarding_status_retrieve',
  summary: "Onboarding progress of the caller's newest workspace",
  tags,
  response: OnboardingStatus,
  responseDescription: 'Progress',
  envelope: { message: 'Onboarding status retrieved', name: 'WsAdminOnboardingStatusResponse' },
  omitFailures: [400, 403, 404],
  async handler({ db, actor }) {
    const [ws] = await db
      .select({
        id: workspaces.id,
        name: workspaces.name,
        branch_count: countOf('select count(*) from workspace_branches b where b.workspace_id = workspaces.id'),
        space_count: countOf(
          'select count(*) from workspace_spaces s join workspace_branches b on b.id = s.branch_id where b.workspace_id = workspaces.id',
        ),
        member_count: countOf(
          'select count(*) from workspace_members m where m.workspace_id = workspaces.id and m.is_active = 1',
        ),
        invited_count: countOf(
          "select count(*) from workspace_members m where m.workspace_id = workspaces.id and m.role != 'admin'",
        ),
      })
      .from(workspaces)
      .where(eq(workspaces.admin_id, actor.id))
      .orderBy(...newestWorkspaces)
      .limit(1);
    const done = new Set<(typeof STEPS)[number]>();
    if (ws) {
      done.add('Create workspace');
      if (ws.branch_count > 0) done.add('Create branches');
      if (ws.space_count > 0) done.add('Create spaces');
      if (ws.invited_count > 0) done.add('Invite team members');
    }
    const status = {
      is_registered: true,
      has_workspace: !!ws,
      completed_steps: STEPS.filter((s) => done.has(s)),
      pending_steps: STEPS.filter((s) => !done.has(s)),
      ...(ws
        ? { workspace: { workspace_id: ws.id, name: ws.name, branch_count: ws.branch_count, member_count: ws.member_count } }
        : {}),
    };
    return { onboarding: status, data: status, progress_percentage: (done.size / STEPS.length) * 100 };
  },
});

/** Booking counts over the workspaces a user owns, as one statement (on the bookings workspace index). */
function bookingCountsStmt(db: Db, adminId: number) {
  const confirmed = sql`${bookings.status} = 'confirmed'`;
  const sum = (cond: ReturnType<typeof sql>) => sql<number>`coalesce(sum(${cond}), 0)`.mapWith(Number);
  return db
    .select({
      booking_count: count(),
      confirmed_booking_count: sum(confirmed),
      upcoming_booking_count: sum(sql`${confirmed} and ${bookings.start} > ${new Date().toISOString()}`),
      cancelled_booking_count: sum(sql`${bookings.status} = 'cancelled'`),
    })
    .from(bookings)
    .innerJoin(workspaces, eq(workspaces.id, bookings.workspace_id))
    .where(eq(workspaces.admin_id, adminId));
}

const profile = route({
  method: 'get',
  path: '/api/workspace/admin/profile/',
  operationId: 'workspace_admin_profile_retrieve',
  summary: 'The caller with workspace and membership counts',
  tags,
  response: z.object({ user: Profile, data: Profile }),
  responseDescription: 'Profile',
  envelope: { message: 'Profile retrieved successfully', name: 'WsAdminProfileResponse' },
  omitFailures: [400, 403, 404],
  async handler({ db, actor }) {
    const [[user], owned, memberships, [bookingCounts]] = await db.batch([
      db.select().from(users).where(eq(users.id, actor.id)).limit(1),
      db.select({ n: count() }).from(workspaces).where(eq(workspaces.admin_id, actor.id)),
      db
        .select({ n: count() })
        .from(workspaceMembers)
        .where(
          and(eq(workspaceMembers.user_id, actor.id), eq(workspaceMembers.is_active, true), ne(workspaceMembers.role, 'admin')),
        ),
      bookingCountsStmt(db, actor.id),
    ]);
    const out = {
      id: user.uuid,
      user_id: user.uuid,
      full_name: user.full_name,
      email: user.email,
      avatar_url: user.avatar_url,
      date_joined: user.date_joined,
      last_login: user.last_login,
      workspace_count: owned[0].n,
      membership_count: memberships[0].n,
      ...bookingCounts,
    };
    return { user: out, data: out };
  },
});

export function mountAdmin(app: OpenAPIHono<AppEnv>) {
  mount(app, register);
  mount(app, login);
  mount(app, onboarding);
  mount(app, onboardingStatus);
  mount(app, profile);
}
