/**
 * The workspace's serializer (its response schema, the one statement that loads its computed
 * fields, the row-to-wire mapping) and what every resource's serializer shares (./serializers.ts):
 * a module of its own, so a first list of workspaces builds neither the branches', spaces' and
 * members' schemas nor the details' (src/app.ts read apps).
 */
import { z } from '@hono/zod-openapi';
import { eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { users } from '../../db/schema/users';
import { workspaces } from '../../db/schema/workspace';
import { aliasFields } from './common';

export const uuid = () => z.string().openapi({ format: 'uuid' });
export const dt = () => z.string().openapi({ format: 'date-time' });
export const money = () => z.string().openapi({ format: 'decimal', example: '50.00' });
export const jsonObject = () => z.record(z.string(), z.any());
export const total = sql<number>`count(*) over ()`.mapWith(Number);
/** A correlated count (`from` is the subquery's table, alias and condition), as a number. */
export const countOf = (from: SQL) => sql<number>`(select count(*) from ${from})`.mapWith(Number);

/** Adds each alias of a map to an object, with the value of the name it stands for. */
export function aliased<T extends Record<string, unknown>, M extends Record<string, keyof T & string>>(
  out: T,
  aliases: M,
): T & { [K in keyof M]: T[M[K]] } {
  const extra: Record<string, unknown> = {};
  for (const [alias, name] of Object.entries(aliases)) extra[alias] = out[name];
  return { ...out, ...extra } as T & { [K in keyof M]: T[M[K]] };
}

/** Output aliases per resource: the other family's name → the name it repeats. */
export const WORKSPACE_ALIASES = { workspace_id: 'id', admin: 'admin_id' } as const;
export const BRANCH_ALIASES = { branch_id: 'id', workspace: 'workspace_id', manager: 'manager_id' } as const;
export const SPACE_ALIASES = { space_id: 'id', branch: 'branch_id', hourly_rate: 'price_per_hour' } as const;
export const MEMBER_ALIASES = { member_id: 'id' } as const;

// ---- workspaces ------------------------------------------------------------------------------

const workspaceFields = {
  id: uuid(),
  name: z.string(),
  description: z.string(),
  admin_id: uuid().openapi({ description: "The admin's user id (users' UUID)." }),
  admin_name: z.string(),
  admin_email: z.string(),
  logo_url: z.string().nullable(),
  website: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string(),
  address: z.string(),
  city: z.string(),
  state: z.string().nullable(),
  country: z.string(),
  postal_code: z.string().nullable(),
  social_media_links: jsonObject(),
  is_active: z.boolean(),
  members_count: z.number().int().openapi({ description: 'Active memberships, the admin included.' }),
  branches_count: z.number().int().openapi({ description: 'Active branches.' }),
  created_at: dt(),
  updated_at: dt(),
};
const { admin: _admin, ...base } = { ...workspaceFields, ...aliasFields(workspaceFields, WORKSPACE_ALIASES) };
/** The workspace's fields but the `admin` alias (the detail nests the admin as an object). */
export const workspaceBase = base;

export const Workspace = z
  .object({ ...workspaceFields, ...aliasFields(workspaceFields, WORKSPACE_ALIASES) })
  .openapi('WsWorkspace');
export type WorkspaceOut = z.infer<typeof Workspace>;

const workspaceColumns = {
  ...getTableColumns(workspaces),
  admin_uuid: users.uuid,
  admin_name: users.full_name,
  admin_email: users.email,
  members_count: countOf(sql`workspace_members m where m.workspace_id = workspaces.id and m.is_active = 1`),
  branches_count: countOf(sql`workspace_branches b where b.workspace_id = workspaces.id and b.is_active = 1`),
  total,
};

/** Newest first; rowid breaks ties between rows created in the same millisecond. */
export const newestWorkspaces = [sql`${workspaces.created_at} desc`, sql`workspaces.rowid desc`];

/** Workspaces with their admin and counts; callers add where/order/limit. */
export const selectWorkspaces = (db: Db) =>
  db.select(workspaceColumns).from(workspaces).innerJoin(users, eq(users.id, workspaces.admin_id)).$dynamic();
export type WorkspaceQueryRow = Awaited<ReturnType<typeof selectWorkspaces>>[number];

export function workspaceOut(r: WorkspaceQueryRow): WorkspaceOut {
  return aliased(
    {
      id: r.id,
      name: r.name,
      description: r.description,
      admin_id: r.admin_uuid,
      admin_name: r.admin_name,
      admin_email: r.admin_email,
      logo_url: r.logo_url,
      website: r.website,
      email: r.email,
      phone: r.phone,
      address: r.address,
      city: r.city,
      state: r.state,
      country: r.country,
      postal_code: r.postal_code,
      social_media_links: r.social_media_links ?? {},
      is_active: r.is_active,
      members_count: r.members_count,
      branches_count: r.branches_count,
      created_at: r.created_at,
      updated_at: r.updated_at,
    },
    WORKSPACE_ALIASES,
  );
}
