import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { Lead, LeadAction, LeadRequest, Lead_READ_ONLY, PaginatedLeadList, PatchedLead } from '../../contract/tamiti/field.gen';
import { drf } from '../../core/errors';
import { eventId, publish } from '../../core/events';
import { childrenOf, pick, type Db, type Kit, type ResourceDef, type Row, type Stmt } from '../../core/resource';
import { childrenStmt, groupBy } from '../../db';
import { leadActions, leads, visits, zones } from '../../db/schema/field';
import { users } from '../../db/schema/users';
import { rescoreByUuid } from './lead-score';

/** Priority by rank (low < medium < high < critical), not alphabetically as the original sorted. */
export const priorityRank = sql`CASE ${leads.priority} WHEN 'low' THEN 0 WHEN 'medium' THEN 1 WHEN 'high' THEN 2 WHEN 'critical' THEN 3 END`;

/** Adds each lead's live actions (oldest first), for a page of leads in one query. */
export async function withActions(db: Db, rows: Row[]) {
  const actions = await childrenOf<Row>(
    db,
    leadActions,
    leadActions.lead,
    rows.map((r) => r.id),
    eq(leadActions.is_deleted, false),
    [asc(leadActions.id)],
  );
  return rows.map((r) => ({ ...r, actions: (actions.get(r.id) ?? []).map((a) => pick(LeadAction, a)) }));
}

/** Server-side clean-up shared by leads and visits: blank email is null, JSON lists are never null. */
export function cleanContact(values: Record<string, unknown>) {
  if (values.contact_email === '') values.contact_email = null;
  if (values.products_discussed === null) throw drf.field('products_discussed', 'This field may not be null.');
  return values;
}

/** The notification for a rep who was given a lead. */
export function notifyAssigned(k: Kit, lead: Row) {
  publish(k.c, {
    type: 'notification',
    id: eventId(),
    recipient_id: lead.assigned_rep as number,
    actor_id: k.user.id,
    verb: 'assigned you a lead',
    url: `/field/leads/${lead.id}/`,
    target_type: 'lead',
    target_id: lead.id,
  });
}

/**
 * `/api/field/leads/`: the sales pipeline. `lead_score` is computed (./lead-score.ts) in the same
 * batch as every write; `actions` are nested. Soft delete (a deleted lead is unlinked from its
 * visit). Giving a lead to a rep notifies them.
 */
export const leadResource: ResourceDef = {
  path: '/field/leads/',
  operationId: 'field_leads',
  tag: 'field',
  model: 'Lead',
  table: leads,
  schemas: { read: Lead, write: LeadRequest, patch: PatchedLead, page: PaginatedLeadList },
  readOnly: [...Lead_READ_ONLY, 'is_deleted', 'deleted_at'],
  search: [leads.business_name, leads.contact_name, leads.contact_phone],
  ordering: {
    lead_score: leads.lead_score,
    priority: priorityRank,
    follow_up_date: leads.follow_up_date,
    created_at: leads.created_at,
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
      ? [k.db.update(visits).set({ linked_lead: null }).where(eq(visits.linked_lead, ev.existing!.id)) as unknown as Stmt]
      : [rescoreByUuid(k.db, ev.values.uuid as string)],
  after: (k, ev) => {
    const rep = ev.row?.assigned_rep;
    if (ev.action === 'destroy' || rep == null) return;
    if (ev.action === 'create' || rep !== ev.existing?.assigned_rep) notifyAssigned(k, ev.row!);
  },
  // Each lead's live actions (oldest first), in the same batch as the rows.
  expansion: {
    load: (k, ids) => [childrenStmt(k.db, leadActions, leadActions.lead, ids, eq(leadActions.is_deleted, false))],
    attach: (_k, rows, [actions]) => {
      const byLead = groupBy(actions as Row[], 'lead');
      return rows.map((r) => ({ ...r, actions: (byLead.get(r.id) ?? []).map((a) => pick(LeadAction, a)) }));
    },
  },
};

/** Live leads by id, with their actions (for nesting in visits). */
export async function leadsById(db: Db, ids: (number | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((x): x is number => typeof x === 'number'))];
  const map = new Map<number, Record<string, unknown>>();
  if (!wanted.length) return map;
  const rows = (await db
    .select()
    .from(leads)
    .where(and(inArray(leads.id, wanted), eq(leads.is_deleted, false)))) as Row[];
  for (const r of await withActions(db, rows)) map.set(r.id, pick(Lead, r));
  return map;
}
