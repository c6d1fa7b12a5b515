import { eq, inArray } from 'drizzle-orm';
import { LeadAction, LeadAction_READ_ONLY, LeadActionRequest } from '../../contract/tamiti/field.gen';
import { PaginatedLeadActionList, PatchedLeadAction } from '../../contract/tamiti/field/actions.gen';
import type { ResourceDef } from '../../core/resource';
import { nowIso } from '../../db/columns';
import { leadActions, leads } from '../../db/schema/field';
import { rescore } from './lead-score';

/**
 * `/api/field/actions/`: what was done about a lead (call, demo, ...). `created_by` is the caller.
 * Every write re-scores the lead(s) involved in the same batch. Only the author or an Admin may
 * edit or delete an action (it is the lead's history). `?lead=` filters by lead (the original
 * ignored it). Actions of deleted leads are hidden. Soft delete.
 */
export const leadActionResource: ResourceDef<typeof leadActions> = {
  path: '/field/actions/',
  operationId: 'field_actions',
  tag: 'field',
  model: 'LeadAction',
  table: leadActions,
  schemas: { read: LeadAction, write: LeadActionRequest, patch: PatchedLeadAction, page: PaginatedLeadActionList },
  readOnly: [...LeadAction_READ_ONLY, 'is_deleted', 'deleted_at'],
  defaultOrdering: ['id'],
  filters: { lead: { column: leadActions.lead, type: 'int' } },
  softDelete: true,
  scope: (k) => inArray(leadActions.lead, k.db.select({ id: leads.id }).from(leads).where(eq(leads.is_deleted, false))),
  can: (k, action, row) =>
    !(action === 'update' || action === 'partial_update' || action === 'destroy') ||
    k.user.role === 'Admin' ||
    row?.created_by === k.user.id,
  foreignKeys: { lead: { table: leads, live: true } },
  prepare: (k, values, existing) => {
    if (!existing) values.created_by = k.user.id;
    return values;
  },
  sideEffects: (k, ev) => {
    if (ev.action === 'create') return [rescore(k.db, [ev.values.lead as number])];
    const old = ev.existing;
    if (ev.action === 'update') return [rescore(k.db, [old.lead, (ev.values.lead ?? old.lead) as number])];
    // The kit soft-deletes after the side effects; delete first so the re-score no longer counts it.
    return [
      k.db.update(leadActions).set({ is_deleted: true, deleted_at: nowIso() }).where(eq(leadActions.id, old.id)),
      rescore(k.db, [old.lead]),
    ];
  },
};
