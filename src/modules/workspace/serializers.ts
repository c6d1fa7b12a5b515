/**
 * Serializers: how branches, spaces and memberships are served, and the details (a workspace's, a
 * branch's, a space's) — the response schemas, the one statement per list that loads every
 * computed field (names, counts via correlated subqueries, the manager), and the row-to-wire
 * mapping. Objects carry the seed's names (`workspace_id`, `hourly_rate`) and the original's (`id`,
 * `price_per_hour`), so clients of either read them; each resource's name pairs come from one alias
 * map (`*_ALIASES`), applied by `aliased`. The workspace's own serializer and what they all share are
 * in ./workspace-out.ts, which a first list of workspaces builds alone.
 */
import { z } from '@hono/zod-openapi';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db';
import { statement } from '../../db/compiled';
import { aliasFields, slot } from './common';
import { users } from '../../db/schema/users';
import {
  MEMBER_ROLES,
  SPACE_TYPES,
  workspaceBranches,
  workspaceMembers,
  workspaces,
  workspaceSpaces,
} from '../../db/schema/workspace';
import {
  aliased,
  BRANCH_ALIASES,
  countOf,
  dt,
  MEMBER_ALIASES,
  SPACE_ALIASES,
  type WorkspaceQueryRow,
  workspaceBase,
  jsonObject,
  money,
  total,
  uuid,
  Workspace,
  workspaceOut,
  selectWorkspaces,
} from './workspace-out';

// ---- branches --------------------------------------------------------------------------------

const manager = alias(users, 'manager');

const branchFields = {
  id: uuid(),
  workspace_id: uuid(),
  workspace_name: z.string(),
  name: z.string(),
  description: z.string().nullable().openapi({ description: 'Null when none was given.' }),
  manager_id: uuid().nullable().openapi({ description: "The manager's user id (users' UUID)." }),
  manager_name: z.string().nullable(),
  manager_email: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string(),
  city: z.string(),
  state: z.string().nullable(),
  country: z.string(),
  postal_code: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  operating_hours: jsonObject().nullable(),
  images: z.array(z.any()),
  is_active: z.boolean(),
  spaces_count: z.number().int().openapi({ description: 'Available spaces.' }),
  created_at: dt(),
  updated_at: dt(),
};
export const Branch = z.object({ ...branchFields, ...aliasFields(branchFields, BRANCH_ALIASES) }).openapi('WsBranch');
export type BranchOut = z.infer<typeof Branch>;

const branchColumns = {
  ...getTableColumns(workspaceBranches),
  workspace_name: workspaces.name,
  manager_uuid: manager.uuid,
  manager_name: manager.full_name,
  manager_email: manager.email,
  spaces_count: countOf(sql`workspace_spaces s where s.branch_id = workspace_branches.id and s.is_available = 1`),
  total,
};

/** Newest first, as workspaces. */
export const newestBranches = [sql`${workspaceBranches.created_at} desc`, sql`workspace_branches.rowid desc`];

/** Branches with workspace name, manager and available-space count; callers add where/order/limit. */
export const selectBranches = (db: Db) =>
  db
    .select(branchColumns)
    .from(workspaceBranches)
    .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
    .leftJoin(manager, eq(manager.id, workspaceBranches.manager_id))
    .$dynamic();
type BranchQueryRow = Awaited<ReturnType<typeof selectBranches>>[number];

export function branchOut(r: BranchQueryRow): BranchOut {
  return aliased(
    {
      id: r.id,
      workspace_id: r.workspace_id,
      workspace_name: r.workspace_name,
      name: r.name,
      description: r.description,
      manager_id: r.manager_uuid,
      manager_name: r.manager_name,
      manager_email: r.manager_email,
      email: r.email,
      phone: r.phone,
      address: r.address,
      city: r.city,
      state: r.state,
      country: r.country,
      postal_code: r.postal_code,
      latitude: r.latitude,
      longitude: r.longitude,
      operating_hours: r.operating_hours,
      images: r.images ?? [],
      is_active: r.is_active,
      spaces_count: r.spaces_count,
      created_at: r.created_at,
      updated_at: r.updated_at,
    },
    BRANCH_ALIASES,
  );
}

// ---- spaces ----------------------------------------------------------------------------------

const spaceFields = {
  id: uuid(),
  branch_id: uuid(),
  branch_name: z.string(),
  workspace_id: uuid(),
  workspace_name: z.string(),
  name: z.string(),
  description: z.string(),
  space_type: z.enum(SPACE_TYPES),
  capacity: z.number().int(),
  price_per_hour: money(),
  daily_rate: money().nullable(),
  monthly_rate: money().nullable(),
  image_url: z.string().nullable(),
  amenities: z.array(z.any()),
  rules: z.string().nullable(),
  cancellation_policy: z.string().nullable(),
  operational_hours: jsonObject().nullable(),
  availability_schedule: jsonObject().nullable(),
  is_available: z.boolean(),
  created_at: dt(),
  updated_at: dt(),
};
export const Space = z
  .object({
    ...spaceFields,
    ...aliasFields(spaceFields, SPACE_ALIASES, { hourly_rate: "The seed's name of price_per_hour." }),
  })
  .openapi('WsSpace');
export type SpaceOut = z.infer<typeof Space>;

const spaceColumns = {
  ...getTableColumns(workspaceSpaces),
  branch_name: workspaceBranches.name,
  workspace_id: workspaces.id,
  workspace_name: workspaces.name,
  total,
};

/** Spaces with their branch and workspace names; callers add where/order/limit. */
export const selectSpaces = (db: Db) =>
  db
    .select(spaceColumns)
    .from(workspaceSpaces)
    .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
    .innerJoin(workspaces, eq(workspaces.id, workspaceBranches.workspace_id))
    .$dynamic();
type SpaceQueryRow = Awaited<ReturnType<typeof selectSpaces>>[number];

export function spaceOut(r: SpaceQueryRow): SpaceOut {
  return aliased(
    {
      id: r.id,
      branch_id: r.branch_id,
      branch_name: r.branch_name,
      workspace_id: r.workspace_id,
      workspace_name: r.workspace_name,
      name: r.name,
      description: r.description,
      space_type: r.space_type,
      capacity: r.capacity,
      price_per_hour: r.price_per_hour,
      daily_rate: r.daily_rate,
      monthly_rate: r.monthly_rate,
      image_url: r.image_url,
      amenities: r.amenities ?? [],
      rules: r.rules,
      cancellation_policy: r.cancellation_policy,
      // The original's JSON fields default to {} (issue 20, item 8).
      operational_hours: r.operational_hours ?? {},
      availability_schedule: r.availability_schedule ?? {},
      is_available: r.is_available,
      created_at: r.created_at,
      updated_at: r.updated_at,
    },
    SPACE_ALIASES,
  );
}

// ---- members ---------------------------------------------------------------------------------

const ROLE_DISPLAY = { admin: 'Admin', manager: 'Manager', staff: 'Staff', user: 'User' } as const;

export const UserRef = z
  .object({
    id: uuid(),
    full_name: z.string(),
    email: z.string(),
    avatar_url: z.string().nullable(),
    date_joined: dt(),
  })
  .openapi('WsUserRef');

const memberFields = {
  id: uuid().openapi({ description: 'The membership id (used in member paths), not the user id.' }),
  workspace_id: uuid(),
  workspace_name: z.string(),
  user_id: uuid(),
  user_email: z.string(),
  user_name: z.string(),
  user: UserRef,
  role: z.enum(MEMBER_ROLES),
  role_display: z.string(),
  is_active: z.boolean(),
  joined_at: dt(),
  updated_at: dt(),
};
export const Member = z
  .object({
    ...memberFields,
    // Not the membership id's description: a member_id is what the seed names the same id.
    ...aliasFields(memberFields, MEMBER_ALIASES, { member_id: "The membership id (the seed's name of id)." }),
  })
  .openapi('WsMember');
export type MemberOut = z.infer<typeof Member>;

const memberColumns = {
  ...getTableColumns(workspaceMembers),
  workspace_name: workspaces.name,
  user_uuid: users.uuid,
  user_email: users.email,
  user_name: users.full_name,
  user_avatar: users.avatar_url,
  user_joined: users.date_joined,
  total,
};

/** Memberships with their user and workspace name; callers add where/order/limit. */
export const selectMembers = (db: Db) =>
  db
    .select(memberColumns)
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.user_id))
    .innerJoin(workspaces, eq(workspaces.id, workspaceMembers.workspace_id))
    .$dynamic();
type MemberQueryRow = Awaited<ReturnType<typeof selectMembers>>[number];

/** Admin row first, then newest first (rowid breaks ties between rows of the same millisecond). */
export const memberOrder = [
  sql`case ${workspaceMembers.role} when 'admin' then 0 else 1 end`,
  sql`${workspaceMembers.joined_at} desc`,
  sql`workspace_members.rowid desc`,
];

export function memberOut(r: MemberQueryRow): MemberOut {
  return aliased(
    {
      id: r.id,
      workspace_id: r.workspace_id,
      workspace_name: r.workspace_name,
      user_id: r.user_uuid,
      user_email: r.user_email,
      user_name: r.user_name,
      user: {
        id: r.user_uuid,
        full_name: r.user_name,
        email: r.user_email,
        avatar_url: r.user_avatar,
        date_joined: r.user_joined,
      },
      role: r.role,
      role_display: ROLE_DISPLAY[r.role],
      is_active: r.is_active,
      joined_at: r.joined_at,
      updated_at: r.updated_at,
    },
    MEMBER_ALIASES,
  );
}

// ---- workspace detail ------------------------------------------------------------------------

export const WorkspaceDetail = z
  .object({
    ...workspaceBase,
    admin: z.object({ id: uuid(), full_name: z.string(), email: z.string() }),
    branches: z.array(Branch).openapi({ description: 'Active branches, newest first.' }),
    members: z.array(Member).openapi({ description: 'Active memberships, the admin first.' }),
    total_spaces: z.number().int().openapi({ description: 'Available spaces across the active branches.' }),
  })
  .openapi('WsWorkspaceDetail');
export type WorkspaceDetailOut = z.infer<typeof WorkspaceDetail>;

/**
 * The whole hierarchy of a workspace as statements for one batch: the workspace with its admin
 * and counts, its active branches (with spaces_count) and its active memberships.
 */
export const workspaceDetailStmts = (db: Db, workspaceId: string) => {
  // Built once per isolate (db/compiled.ts); the workspace's id is their one value.
  const { id } = slot;
  const values = { id: workspaceId };
  return [
    statement(db, 'workspace.detail', (q) => selectWorkspaces(q).where(eq(workspaces.id, id)).limit(1), values),
    statement(
      db,
      'workspace.detailBranches',
      (q) =>
        selectBranches(q)
          .where(sql`${workspaceBranches.workspace_id} = ${id} and ${workspaceBranches.is_active} = 1`)
          .orderBy(...newestBranches),
      values,
    ),
    statement(
      db,
      'workspace.detailMembers',
      (q) =>
        selectMembers(q)
          .where(sql`${workspaceMembers.workspace_id} = ${id} and ${workspaceMembers.is_active} = 1`)
          .orderBy(...memberOrder),
      values,
    ),
  ] as const;
};

/** Assembles the hierarchy from the rows of `workspaceDetailStmts`; null when the workspace is gone. */
export function workspaceDetailOf(
  found: WorkspaceQueryRow[],
  branchRows: BranchQueryRow[],
  memberRows: MemberQueryRow[],
): WorkspaceDetailOut | null {
  const row = found[0];
  if (!row) return null;
  const branches = branchRows.map(branchOut);
  return {
    ...workspaceOut(row),
    admin: { id: row.admin_uuid, full_name: row.admin_name, email: row.admin_email },
    branches,
    members: memberRows.map(memberOut),
    total_spaces: branches.reduce((n, b) => n + b.spaces_count, 0),
  };
}

// ---- branch and space detail -----------------------------------------------------------------

/** A branch with its workspace nested, as the original (issue 20, item 1), and its available spaces. */
export const BranchDetail = Branch.extend({
  workspace: Workspace.openapi({ description: "The branch's workspace (the original's nesting; workspace_id beside it)." }),
  spaces: z.array(Space).openapi({ description: 'Available spaces, by name.' }),
}).openapi('WsBranchDetail');

/** A space with its branch nested, as the original (issue 20, item 1). */
export const SpaceDetail = Space.extend({
  branch: Branch.openapi({ description: "The space's branch (the original's nesting; branch_id beside it)." }),
}).openapi('WsSpaceDetail');
