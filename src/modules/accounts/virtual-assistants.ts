import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import { PaginatedVirtualAssistantList, StaffProfileRequest, VirtualAssistant } from '../../contract/tamiti.gen';
import { pageParams } from '../../core/pagination';
import { byId, listRows, type Kit, type ResourceDef, type Row } from '../../core/resource';
import { drfErrors, jsonResponse } from '../../core/router';
import { departments, designations, orgBranches, staffProfiles, staffRoles } from '../../db/schema/accounts';
import type { AppEnv } from '../../env';

/**
 * Live staff profiles whose role is a live virtual role. Item `id` is the profile id; the
 * assistants' chat endpoints take `role.id` (the StaffRole id). Org names are null when unset.
 */
const assistants: ResourceDef = {
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
  expand: async (k, rows: Row[]) => {
    const [roles, deps, desigs, branches] = await Promise.all([
      byId<Row>(
        k.db,
        staffRoles,
        rows.map((r) => r.role as number),
      ),
      byId<Row>(
        k.db,
        departments,
        rows.map((r) => r.department as number),
      ),
      byId<Row>(
        k.db,
        designations,
        rows.map((r) => r.designation as number),
      ),
      byId<Row>(
        k.db,
        orgBranches,
        rows.map((r) => r.branch as number),
      ),
    ]);
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
};

/** `GET /api/accounts/virtual-assistants/`: public (no token needed), paginated. */
export function mountVirtualAssistants(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'get',
    path: '/api/accounts/virtual-assistants/',
    operationId: 'accounts_virtual_assistants_list',
    tags: ['accounts'],
    security: [{ jwtAuth: [] }, {}],
    request: {
      query: z.object({
        ...pageParams,
        ordering: z
          .string()
          .optional()
          .openapi({ description: 'Which field to use when ordering the results: id, name, created_at.' }),
      }),
    },
    responses: { 200: jsonResponse(PaginatedVirtualAssistantList, ''), ...drfErrors },
  });
  app.openapi(route, async (c) => {
    // Public: no caller; the list's scope and expand only need the db.
    const k = { c, db: c.get('db'), user: undefined } as unknown as Kit;
    return c.json((await listRows(assistants, k, c.req.query())) as never, 200);
  });
}
