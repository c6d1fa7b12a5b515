import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, ne } from 'drizzle-orm';
import { PatchedRequisition, Requisition } from '../../contract/tamiti/finance.gen';
import { drf } from '../../core/errors';
import { getVisible, kitOf, parseId, serialize } from '../../core/resource';
import type { Kit, Row, Stmt } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import { todayIso } from '../../db/columns';
import { requisitions } from '../../db/schema/finance';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { idParam } from './access';
import { announceApproval, requisitionResource } from './requisitions';

/**
 * Approves a requisition: status `approved`, `approved_by` = the Admin, `date_approved` = today.
 * Re-approving overwrites approver and date but tells the requester only once: the first statement
 * reports whether this call moved the status (atomically, so two racing approvals notify once).
 */
export async function approveRequisition(k: Kit, existing: Row): Promise<Row> {
  const values = { status: 'approved', approved_by: k.user.id, date_approved: todayIso() };
  const [moved] = (await k.db.batch([
    k.db
      .update(requisitions)
      .set(values)
      .where(and(eq(requisitions.id, existing.id), ne(requisitions.status, 'approved')))
      .returning({ id: requisitions.id }) as unknown as Stmt,
    k.db.update(requisitions).set(values).where(eq(requisitions.id, existing.id)) as unknown as Stmt,
  ])) as unknown as [{ id: number }[]];
  const [row] = (await k.db.select().from(requisitions).where(eq(requisitions.id, existing.id)).limit(1)) as Row[];
  if (moved.length) announceApproval(k, row);
  return row;
}

/** `POST /api/finance/requisitions/{id}/approve/` (Admin only; no body needed). */
export function mountApprove(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'post',
    path: '/api/finance/requisitions/{id}/approve/',
    operationId: 'finance_requisitions_approve_create',
    tags: ['finance'],
    security: bearer,
    middleware: [requireAuth()] as const,
    description: 'Approves the requisition (Admin only). A body is accepted and ignored.',
    request: {
      params: idParam('Requisition'),
      body: { required: false, content: { 'application/json': { schema: PatchedRequisition } } },
    },
    responses: { 200: jsonResponse(Requisition, ''), ...drfErrors },
  });
  app.openapi(route, async (c) => {
    const k = kitOf(c);
    const existing = await getVisible(requisitionResource, k, parseId(c.req.param('id'), 'Requisition'));
    if (k.user.role !== 'Admin') throw drf.forbidden('Only an Admin may approve requisitions.');
    const row = await approveRequisition(k, existing);
    const [body] = await serialize(requisitionResource, k, [row]);
    return c.json(body as never, 200);
  });
}
