import { Lead } from '../../contract/tamiti/field.gen';
import { PaginatedVisitList, PatchedVisit, Visit, Visit_READ_ONLY, VisitRequest } from '../../contract/tamiti/field/visits.gen';
import { pick, type ResourceDef, type Row } from '../../core/resource';
import { indexById, referencedIds } from '../../db';
import { visits, zones } from '../../db/schema/field';
import { users } from '../../db/schema/users';
import { actionsStmt, cleanContact, linkedLeadsStmt, withActions } from './leads';

/** A visit as stored. */
export type VisitRow = typeof visits.$inferSelect;

/**
 * `/api/field/visits/`: field visits; `linked_lead` (read-only) nests the live lead a visit was
 * converted into, with its actions (both loaded in the visits' own round trip). `rep` defaults to the
 * caller when omitted (the original left it null). Soft delete. Newest visit first by default (the
 * later original's order); `?ordering=id` gives the contract original's order (oldest first, by id).
 */
export const visitResource: ResourceDef<typeof visits> = {
  path: '/field/visits/',
  operationId: 'field_visits',
  tag: 'field',
  model: 'Visit',
  table: visits,
  schemas: { read: Visit, write: VisitRequest, patch: PatchedVisit, page: PaginatedVisitList },
  readOnly: [...Visit_READ_ONLY, 'is_deleted', 'deleted_at'],
  search: [visits.business_name, visits.contact_name, visits.contact_phone, visits.location],
  ordering: { date_time: visits.date_time, created_at: visits.created_at, id: visits.id },
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
  expansion: {
    load: (k, ids) => {
      const linked = referencedIds(visits, visits.linked_lead, ids);
      return [linkedLeadsStmt(k.db, linked), actionsStmt(k.db, linked)];
    },
    attach: (_k, rows, [leads, actions]) => {
      const byId = indexById(withActions(leads as Row[], actions));
      return rows.map((r) => {
        const lead = byId.get(r.linked_lead as number);
        return { ...r, linked_lead: lead ? pick(Lead, lead) : null };
      });
    },
  },
};
