import { asc, eq } from 'drizzle-orm';
import {
  PaginatedStaffRoleList,
  PatchedStaffRole,
  StaffRole,
  StaffRoleRequest,
  StaffRole_READ_ONLY,
} from '../../contract/tamiti.gen';
import { childrenOf, idByUuid, type Kit, type ResourceDef, type Stmt, type WriteEvent } from '../../core/resource';
import { staffRoles, staffRoleTags, userTags } from '../../db/schema/accounts';
import { adminDeletes } from './permissions';
import { checkIdList } from './refs';

/** The validated `tags` of the request, when the client sent them (the kit drops non-column keys). */
function tagsInput(k: Kit): number[] | undefined {
  const body = k.c.req.valid('json' as never) as { tags?: number[] } | undefined;
  return body?.tags;
}

/**
 * `/api/accounts/staff-roles/`: job roles; `is_virtual` roles are the virtual assistants (their id
 * is the assistant id, `prompt_context` the system prompt). `tags` are users.Tag ids, replaced
 * as a whole when sent. Soft delete; only Admins delete.
 */
export const staffRoleResource: ResourceDef = {
  path: '/accounts/staff-roles/',
  operationId: 'accounts_staff_roles',
  tag: 'accounts',
  model: 'StaffRole',
  table: staffRoles,
  schemas: { read: StaffRole, write: StaffRoleRequest, patch: PatchedStaffRole, page: PaginatedStaffRoleList },
  readOnly: [...StaffRole_READ_ONLY, 'is_deleted', 'deleted_at'],
  defaultOrdering: ['id'],
  softDelete: true,
  can: adminDeletes,
  prepare: async (k, values) => {
    const tags = tagsInput(k);
    if (tags) await checkIdList(k.db, 'tags', userTags, tags);
    if (values.dashboard_url === '') values.dashboard_url = null;
    return values;
  },
  sideEffects: (k, ev: WriteEvent) => {
    const tags = ev.action === 'destroy' ? undefined : tagsInput(k);
    if (!tags) return [];
    const roleId = ev.existing ? ev.existing.id : idByUuid(staffRoles, ev.values.uuid as string);
    const stmts: Stmt[] = [];
    if (ev.existing) stmts.push(k.db.delete(staffRoleTags).where(eq(staffRoleTags.role_id, ev.existing.id)) as unknown as Stmt);
    const unique = [...new Set(tags)];
    if (unique.length)
      stmts.push(k.db.insert(staffRoleTags).values(unique.map((tag_id) => ({ role_id: roleId, tag_id }))) as unknown as Stmt);
    return stmts;
  },
  expand: async (k, rows) => {
    const tags = await childrenOf<{ role_id: number; tag_id: number }>(
      k.db,
      staffRoleTags,
      staffRoleTags.role_id,
      rows.map((r) => r.id),
      undefined,
      [asc(staffRoleTags.tag_id)],
    );
    return rows.map((r) => ({ ...r, tags: (tags.get(r.id) ?? []).map((t) => t.tag_id) }));
  },
};
