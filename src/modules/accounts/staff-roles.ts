import { asc, eq } from 'drizzle-orm';
import {
  PaginatedStaffRoleList,
  PatchedStaffRole,
  StaffRole,
  StaffRole_READ_ONLY,
  StaffRoleRequest,
} from '../../contract/tamiti/accounts/staff-roles.gen';
import { groupBy, idByUuid, type Stmt } from '../../db';
import { childrenStmt } from '../../db';
import type { ResourceDef } from '../../core/resource';
import { staffRoles, staffRoleTags, userTags } from '../../db/schema/accounts';
import { adminDeletes } from './permissions';

/**
 * `/api/accounts/staff-roles/`: job roles; `is_virtual` roles are the virtual assistants (their id
 * is the assistant id, `prompt_context` the system prompt). `tags` are users.Tag ids, replaced
 * as a whole when sent. Soft delete; only Admins delete.
 */
export const staffRoleResource: ResourceDef<typeof staffRoles> = {
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
  foreignKeys: { tags: { table: userTags, many: true } },
  prepare: (_k, values) => {
    if (values.dashboard_url === '') values.dashboard_url = null;
    return values;
  },
  sideEffects: (k, ev) => {
    const tags = ev.action === 'destroy' ? undefined : (ev.input?.tags as number[] | undefined);
    if (!tags) return [];
    const roleId = ev.existing ? ev.existing.id : idByUuid(staffRoles, ev.values.uuid as string);
    const stmts: Stmt[] = [];
    if (ev.existing) stmts.push(k.db.delete(staffRoleTags).where(eq(staffRoleTags.role_id, ev.existing.id)));
    const unique = [...new Set(tags)];
    if (unique.length) stmts.push(k.db.insert(staffRoleTags).values(unique.map((tag_id) => ({ role_id: roleId, tag_id }))));
    return stmts;
  },
  expansion: {
    load: (k, ids) => [childrenStmt(k.db, staffRoleTags, staffRoleTags.role_id, ids, undefined, [asc(staffRoleTags.tag_id)])],
    attach: (_k, rows, [tags]) => {
      const byRole = groupBy(tags as { role_id: number; tag_id: number }[], 'role_id');
      return rows.map((r) => ({ ...r, tags: (byRole.get(r.id) ?? []).map((t) => t.tag_id) }));
    },
  },
};
