import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { getVisible, idByUuid, kitOf, parseId, type Db, type Kit, type Row, type Stmt } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import { leads, visits } from '../../db/schema/field';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { rescoreByUuid } from './lead-score';
import { notifyAssigned } from './leads';
import { visitResource } from './visits';

export const ConvertToLeadResult = z
  .object({
    lead_id: z.number().int().nullable().openapi({ description: 'The linked lead, or null when nothing was converted.' }),
    linked: z.boolean(),
  })
  .openapi('ConvertToLeadResult');

/**
 * Converts a visit flagged `add_as_lead` into a lead, once. The lead insert and the visit link run in
 * one batch (one transaction); if a concurrent call linked the visit first, the batch drops its own
 * lead again, so a visit never gets two leads.
 */
export async function convertToLead(db: Db, visit: Row): Promise<{ lead_id: number | null; linked: boolean; created?: Row }> {
  if (visit.linked_lead != null) return { lead_id: visit.linked_lead as number, linked: true };
  if (!visit.add_as_lead) return { lead_id: null, linked: false };
  const uuid = crypto.randomUUID();
  const lead = {
    uuid,
    business_name: visit.business_name as string,
    contact_name: visit.contact_name as string,
    contact_phone: visit.contact_phone as string,
    contact_email: visit.contact_email as string | null,
    zone: visit.zone as number | null,
    assigned_rep: visit.rep as number | null,
    products_discussed: visit.products_discussed,
    notes: visit.feedback_notes as string,
    follow_up_type: visit.follow_up_type as string,
    follow_up_date: visit.follow_up_date as string | null,
    source: 'field',
  };
  const leadId = idByUuid(leads, uuid);
  await db.batch([
    db.insert(leads).values(lead),
    db
      .update(visits)
      .set({ linked_lead: leadId })
      .where(and(eq(visits.id, visit.id), isNull(visits.linked_lead))),
    db
      .delete(leads)
      .where(and(eq(leads.uuid, uuid), sql`NOT EXISTS (SELECT 1 FROM ${visits} WHERE ${visits.linked_lead} = ${leads.id})`)),
    rescoreByUuid(db, uuid),
  ] as unknown as [Stmt, ...Stmt[]]);
  const [after] = await db.select({ linked_lead: visits.linked_lead }).from(visits).where(eq(visits.id, visit.id)).limit(1);
  const [created] = (await db.select().from(leads).where(eq(leads.uuid, uuid)).limit(1)) as Row[];
  return { lead_id: after?.linked_lead ?? null, linked: after?.linked_lead != null, created };
}

/** `POST /api/field/visits/{id}/convert_to_lead/` (no body): 200 `{lead_id, linked}`, idempotent. */
export function mountConvertToLead(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'post',
    path: '/api/field/visits/{id}/convert_to_lead/',
    operationId: 'field_visits_convert_to_lead_create',
    tags: ['field'],
    security: bearer,
    middleware: [requireAuth()] as const,
    request: {
      params: z.object({
        id: z.string().openapi({
          param: { name: 'id', in: 'path' },
          type: 'integer',
          description: 'A unique integer value identifying this visit.',
        }),
      }),
    },
    responses: { 200: jsonResponse(ConvertToLeadResult, ''), ...drfErrors },
  });
  app.openapi(route, async (c) => {
    const k: Kit = kitOf(c);
    const visit = await getVisible(visitResource, k, parseId(c.req.param('id') ?? '', 'Visit'));
    const { created, ...result } = await convertToLead(k.db, visit);
    if (created && created.assigned_rep != null) notifyAssigned(k, created);
    return c.json(result, 200);
  });
}
