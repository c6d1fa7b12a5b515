import { asc, eq } from 'drizzle-orm';
import {
  PaginatedRequisitionList,
  PatchedRequisition,
  Requisition,
  Requisition_READ_ONLY,
  RequisitionRequest,
} from '../../contract/tamiti/finance/requisitions.gen';
import { drf } from '../../core/errors';
import { eventId, type OutboundEvent } from '../../core/events';
import type { ResourceDef } from '../../core/resource';
import { todayIso } from '../../db/columns';
import { requisitions } from '../../db/schema/finance';
import { users } from '../../db/schema/users';
import { SERVER_OWNED, adminDeletes, requireAmount } from './access';

const APPROVED = 'approved';

/** A requisition as stored. */
export type RequisitionRow = typeof requisitions.$inferSelect;

/** Tells the requester their requisition was approved (once per move to `approved`). */
export function approvalEvents(actor: { id: number }, row: Pick<RequisitionRow, 'id' | 'requested_by'>): OutboundEvent[] {
  if (!row.requested_by) return [];
  return [
    {
      type: 'notification',
      id: eventId(),
      recipient_id: row.requested_by,
      actor_id: actor.id,
      verb: 'approved your requisition',
      url: `/finance/requisitions/${row.id}/`,
      target_type: 'requisition',
      target_id: row.id,
    },
  ];
}

/**
 * `/api/finance/requisitions/`: requests for money. `requested_by` defaults to the caller;
 * `approved_by` and `date_approved` are set by the server when an Admin approves (here by a status
 * change, or through `approve/`). Only Admin may move a requisition into or out of `approved`.
 * `pending/` lists every pending requisition as a bare array (as the original's custom action).
 */
export const requisitionResource: ResourceDef<typeof requisitions> = {
  path: '/finance/requisitions/',
  operationId: 'finance_requisitions',
  tag: 'finance',
  model: 'Requisition',
  table: requisitions,
  schemas: { read: Requisition, write: RequisitionRequest, patch: PatchedRequisition, page: PaginatedRequisitionList },
  readOnly: [...Requisition_READ_ONLY, ...SERVER_OWNED, 'approved_by', 'date_approved'],
  search: [requisitions.purpose, requisitions.comments],
  filters: {
    status: { column: requisitions.status },
    urgency: { column: requisitions.urgency },
    requested_by: { column: requisitions.requested_by, type: 'int' },
    approved_by: { column: requisitions.approved_by, type: 'int' },
  },
  ordering: {
    amount: requisitions.amount,
    status: requisitions.status,
    urgency: requisitions.urgency,
    date_approved: requisitions.date_approved,
    requested_by: requisitions.requested_by,
    created_at: requisitions.created_at,
    updated_at: requisitions.updated_at,
  },
  foreignKeys: { requested_by: users },
  can: adminDeletes,
  prepare: (k, values, existing) => {
    requireAmount(values, 'amount', { allowZero: true });
    if (!existing && values.requested_by === undefined) values.requested_by = k.user.id;
    const before = existing?.status;
    const after = (values.status as string | undefined) ?? before ?? 'pending';
    if (after === before) return values;
    if ((after === APPROVED || before === APPROVED) && k.user.role !== 'Admin')
      throw drf.forbidden('Only an Admin may approve requisitions.');
    if (after === APPROVED) {
      values.approved_by = k.user.id;
      values.date_approved = todayIso();
    } else if (before === APPROVED) {
      values.approved_by = null;
      values.date_approved = null;
    }
    return values;
  },
  after: (k, ev) => {
    if (ev.action === 'update' && ev.row && ev.existing.status !== APPROVED && ev.row.status === APPROVED)
      return approvalEvents(k.user, ev.row);
  },
  views: [
    {
      path: 'pending/',
      operationId: 'finance_requisitions_pending_retrieve',
      shape: 'array',
      responseDescription: 'Requisitions with status `pending` (not paginated).',
      where: () => eq(requisitions.status, 'pending'),
      order: [asc(requisitions.id)],
    },
  ],
};
