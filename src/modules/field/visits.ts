import { PaginatedVisitList, PatchedVisit, Visit, VisitRequest, Visit_READ_ONLY } from '../../contract/tamiti/field.gen';
import type { ResourceDef } from '../../core/resource';
import { visits, zones } from '../../db/schema/field';
import { users } from '../../db/schema/users';
import { cleanContact, leadsById } from './leads';

/**
 * `/api/field/visits/`: field visits; `linked_lead` (read-only) nests the lead a visit was converted
 * into. `rep` defaults to the caller when omitted (the original left it null). Soft delete.
 */
export const visitResource: ResourceDef = {
  path: '/field/visits/',
  operationId: 'field_visits',
  tag: 'field',
  model: 'Visit',
  table: visits,
  schemas: { read: Visit, write: VisitRequest, patch: PatchedVisit, page: PaginatedVisitList },
  readOnly: [...Visit_READ_ONLY, 'is_deleted', 'deleted_at'],
  search: [visits.business_name, visits.contact_name, visits.contact_phone, visits.location],
  ordering: { date_time: visits.date_time, created_at: visits.created_at },
  defaultOrdering: ['-date_time', '-created_at', '-id'],
  filters: {
    rep: { column: visits.rep, type: 'int' },
    zone: { column: visits.zone, type: 'int' },
    visit_outcome: { column: visits.visit_outcome },
  },
  softDelete: true,
  foreignKeys: { rep: users, zone: { table: zones, live: true } },
  prepare: (k, values, existing) => {
    if (!existing && values.rep === undefined) values.rep = k.user.id;
    return cleanContact(values);
  },
  expand: async (k, rows) => {
    const linked = await leadsById(
      k.db,
      rows.map((r) => r.linked_lead as number | null),
    );
    return rows.map((r) => ({ ...r, linked_lead: linked.get(r.linked_lead as number) ?? null }));
  },
};
