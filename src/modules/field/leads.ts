import { and, asc, desc, eq, gte, inArray, or, type SQL, sql } from 'drizzle-orm';
import { Lead, Lead_READ_ONLY, LeadAction, LeadRequest } from '../../contract/tamiti/field.gen';
import { PaginatedLeadList, PatchedLead } from '../../contract/tamiti/field/leads.gen';
import { drf } from '../../core/errors';
import { eventId, type OutboundEvent } from '../../core/events';
import { type Db, type ResourceDef, readAs, type Row, listOnly } from '../../core/resource';
import { childrenStmt, groupBy } from '../../db';
import { leadActions, leads, visits, zones } from '../../db/schema/field';
import { users } from '../../db/schema/users';
import { LEAD_SCORE, rescoreByUuid } from './lead-score';

/** A lead as stored. */
export type LeadRow = typeof leads.$inferSelect;

/** Priority by rank (low < medium < high < critical), not alphabetically as the original sorted. */
export const priorityRank = sql`CASE ${leads.priority} WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'critical' THEN 3 END`;

/** The live actions (oldest first) of the leads `ids` selects, as one statement for the leads' own batch. */
export const actionsStmt = (db: Db, ids: SQL) =>
  childrenStmt(db, leadActions, leadActions.lead, ids, eq(leadActions.is_deleted, false), [asc(leadActions.id)]);

/**
 * Nests each lead's actions (as `actionsStmt` loaded them), in the read shape of LeadAction. The
 * rows are the batch's own, read for this response: each gets its `actions` in place (a copy of
 * every row, for the read schema to copy again, was a tenth of a list's JavaScript).
 */
export function withActions<T extends { id: number }>(rows: T[], actions: unknown[]) {
  const byLead = groupBy(actions as Row[], 'lead');
  return rows.map((r) => Object.assign(r, { actions: readAs(LeadAction, leadActions, byLead.get(r.id) ?? []) }));
}

/** Server-side clean-up shared by leads and visits: blank email is null, JSON lists are never null. */
export function cleanContact(values: Record<string, unknown>) {
  if (values.contact_email === '') values.contact_email = null;
  if (values.products_discussed === null) throw drf.field('products_discussed', 'This field may not be null.');
  return values;
}

/** The notification for a rep who was given a lead. */
export function assignedEvent(actor: { id: number }, lead: Pick<LeadRow, 'id' | 'assigned_rep'>): OutboundEvent {
  return {
    type: 'notification',
    id: eventId(),
    recipient_id: lead.assigned_rep as number,
    actor_id: actor.id,
    verb: 'assigned you a lead',
    url: `/field/leads/${lead.id}/`,
    target_type: 'lead',
    target_id: lead.id,
  };
}

/**
 * `/api/field/leads/`: the sales pipeline. `lead_score` is computed (./lead-score.ts) in the same
 * batch as every write; `actions` are nested (loaded in the leads' own round trip). Soft delete (a
 * deleted lead is unlinked from its visit). Giving a lead to a rep notifies them. `?search=` goes
 * through the `leads_search` trigram index (migrations/0005_tamA.sql). Newest first by default (the
 * later original's order, which the bench's index serves); `?ordering=id` gives the contract
 * original's order (oldest first, by id).
 */
export const leadResource: ResourceDef<typeof leads> = {
  path: '/field/leads/',
  operationId: 'field_leads',
  tag: 'field',
  model: 'Lead',
  table: leads,
  schemas: { read: Lead, write: LeadRequest, patch: PatchedLead, page: PaginatedLeadList },
  readOnly: [...Lead_READ_ONLY, 'is_deleted', 'deleted_at'],
  search: [leads.business_name, leads.contact_name, leads.contact_phone],
  searchIndex: 'leads_search',
  ordering: {
    lead_score: leads.lead_score,
    priority: priorityRank,
    follow_up_date: leads.follow_up_date,
    created_at: leads.created_at,
    id: leads.id,
  },
  defaultOrdering: ['-created_at', '-id'],
  filters: {
    stage: { column: leads.stage },
    priority: { column: leads.priority },
    source: { column: leads.source },
    zone: { column: leads.zone, type: 'int' },
    assigned_rep: { column: leads.assigned_rep, type: 'int' },
  },
  softDelete: true,
  foreignKeys: { assigned_rep: users, zone: { table: zones, live: true } },
  prepare: (_k, values) => cleanContact(values),
  sideEffects: (k, ev) =>
    ev.action === 'destroy'
      ? [k.db.update(visits).set({ linked_lead: null }).where(eq(visits.linked_lead, ev.existing.id))]
      : [rescoreByUuid(k.db, ev.values.uuid as string)],
  after: (k, ev) => {
    const lead = ev.row;
    if (ev.action === 'destroy' || !lead || lead.assigned_rep == null) return;
    if (ev.action === 'create' || lead.assigned_rep !== ev.existing.assigned_rep) return [assignedEvent(k.user, lead)];
  },
  expansion: {
    load: (k, ids) => [actionsStmt(k.db, ids)],
    attach: (_k, rows, [actions]) => withActions(rows, actions),
  },
  views: [
    {
      // Hot = priority high or critical, or a lead score of 80 or more (the original ignored the score).
      path: 'hot/',
      operationId: 'field_leads_hot_retrieve',
      shape: 'array',
      where: () => or(inArray(leads.priority, ['high', 'critical']), gte(leads.lead_score, LEAD_SCORE.hot)),
      order: [desc(leads.created_at), desc(leads.id)],
    },
  ],
};

/** GET /api/field/leads/ alone: the area's read app (src/app.ts). */
export const leadList = listOnly(leadResource);

/** The live leads a set of visits (`ids` selects them) were converted into, as one statement for their batch. */
export const linkedLeadsStmt = (db: Db, linked: SQL) =>
  db
    .select()
    .from(leads)
    .where(and(sql`${leads.id} in ${linked}`, eq(leads.is_deleted, false)));
