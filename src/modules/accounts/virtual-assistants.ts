import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import { StaffProfileRequest } from '../../contract/tamiti/accounts.gen';
import { PaginatedVirtualAssistantList, VirtualAssistant } from '../../contract/tamiti/accounts/virtual-assistants.gen';
import { mountResource, type ResourceDef, type Row } from '../../core/resource';
import { indexById, referencedStmt } from '../../db';
import { departments, designations, orgBranches, staffProfiles, staffRoles } from '../../db/schema/accounts';
import type { AppEnv } from '../../env';

/**
 * Live staff profiles whose role is a live virtual role. Item `id` is the profile id; the
 * assistants' chat endpoints take `role.id` (the StaffRole id). Org names are null when unset.
 */
const assistants: ResourceDef<typeof staffProfiles> = {
  path: '/accounts/virtual-assistants/',
  operationId: 'accounts_virtual_assistants',
  tag: 'accounts',
  model: 'StaffProfile',
  table: staffProfiles,
  schemas: {
    read: VirtualAssistant,
    write: StaffProfileRequest,
    patch: StaffProfileRequest,
    page: PaginatedVirtualAssistantList,
  },
  softDelete: true,
  ordering: { id: staffProfiles.id, name: staffProfiles.name, created_at: staffProfiles.created_at },
  defaultOrdering: ['id'],
  scope: (k) =>
    inArray(
      staffProfiles.role,
      k.db
        .select({ id: staffRoles.id })
        .from(staffRoles)
        .where(and(eq(staffRoles.is_virtual, true), eq(staffRoles.is_deleted, false))),
    ),
  expansion: {
    load: (k, ids) =>
      [staffRoles, departments, designations, orgBranches].map((table, i) =>
        referencedStmt(
          k.db,
          table,
          staffProfiles,
          [staffProfiles.role, staffProfiles.department, staffProfiles.designation, staffProfiles.branch][i],
          ids,
        ),
      ),
    attach: (_k, rows, loaded) => {
      const [roles, deps, desigs, branches] = loaded.map((l) => indexById(l as Row[]));
      return rows.map((r) => {
        const role = roles.get(r.role as number);
        return {
          id: r.id,
          name: r.name,
          role: role ? { id: role.id, dashboard_url: role.dashboard_url ?? null, title: role.title } : null,
          department: deps.get(r.department as number)?.name ?? null,
          designation: desigs.get(r.designation as number)?.name ?? null,
          branch: branches.get(r.branch as number)?.name ?? null,
        };
      });
    },
  },
  audience: 'public',
  actions: ['list'],
};

/** `GET /api/accounts/virtual-assistants/`: public (no token needed), paginated. */
export function mountVirtualAssistants(app: OpenAPIHono<AppEnv>) {
  mountResource(app, assistants);
}
