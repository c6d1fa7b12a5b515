import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, ne } from 'drizzle-orm';
import { PatchedRequisition, Requisition } from '../../contract/tamiti/finance/requisitions.gen';
import { drf } from '../../core/errors';
import { parseId, pickAs } from '../../core/resource';
import { mount, route } from '../../core/route';
import { idParam } from '../../core/router';
import { publish } from '../../core/scope';
import type { Db } from '../../db';
import { todayIso } from '../../db/columns';
import { requisitions } from '../../db/schema/finance';
import type { AppEnv } from '../../env';
import { approvalEvents, type RequisitionRow } from './requisitions';

const notFound = () => drf.notFound('No Requisition matches the given query.');

/**
 * Approves a requisition in one batch: status `approved`, `approved_by` = the Admin, `date_approved`
 * = today. Re-approving overwrites approver and date but tells the requester only once: the first
 * statement reports whether this call moved the status (atomically, so two racing approvals notify
 * once); the last reads the row back. Undefined when there is no such requisition.
 */
export async function approveRequisition(db: Db, adminId: number, id: number) {
  const values = { status: 'approved', approved_by: adminId, date_approved: todayIso() };
  const [moved, , [row]] = await db.batch([
    db
      .update(requisitions)
      .set(values)
      .where(and(eq(requisitions.id, id), ne(requisitions.status, 'approved')))
      .returning({ id: requisitions.id }),
    db.update(requisitions).set(values).where(eq(requisitions.id, id)),
    db.select().from(requisitions).where(eq(requisitions.id, id)).limit(1),
  ]);
  return row ? { row: row as RequisitionRow, moved: moved.length > 0 } : undefined;
}

/**
 * `POST /api/finance/requisitions/{id}/approve/` (Admin only; a body is accepted and ignored): one
 * round trip. Anyone else gets the row's 404 or a 403, also in one.
 */
export function mountApprove(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/finance/requisitions/{id}/approve/',
      operationId: 'finance_requisitions_approve_create',
      summary: 'Approve a requisition',
      tags: ['finance'],
      description: 'Approves the requisition (Admin only). A body is accepted and ignored.',
      audience: 'staff',
      params: idParam('Requisition'),
      body: PatchedRequisition,
      bodyRequired: false,
      response: Requisition,
      handler: async ({ s, db, actor, params }) => {
        const id = parseId(params.id, 'Requisition');
        if (actor.role !== 'Admin') {
          const [row] = await db.select({ id: requisitions.id }).from(requisitions).where(eq(requisitions.id, id)).limit(1);
          if (!row) throw notFound();
          throw drf.forbidden('Only an Admin may approve requisitions.');
        }
        const approved = await approveRequisition(db, actor.id, id);
        if (!approved) throw notFound();
        if (approved.moved) publish(s, ...approvalEvents(actor, approved.row));
        return pickAs(Requisition, approved.row);
      },
    }),
  );
}
