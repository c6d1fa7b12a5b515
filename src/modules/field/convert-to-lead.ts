import { z } from '@hono/zod-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { parseId } from '../../core/resource';
import { mount, route } from '../../core/route';
import { idParam } from '../../core/router';
import { publish } from '../../core/scope';
import type { Db } from '../../db';
import { idByUuid } from '../../db';
import { leads, visits } from '../../db/schema/field';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../env';
import { rescoreByUuid } from './lead-score';
import { assignedEvent, type LeadRow } from './leads';
import type { VisitRow } from './visits';

export const ConvertToLeadResult = z
  .object({
    lead_id: z.number().int().nullable().openapi({ description: 'The linked lead, or null when nothing was converted.' }),
    linked: z.boolean(),
  })
  .openapi('ConvertToLeadResult');

/** What a conversion answers, and the lead it created (if this call created it). */
interface Converted {
  lead_id: number | null;
  linked: boolean;
  created?: LeadRow;
}

/**
 * Converts a visit flagged `add_as_lead` into a lead, once, in one batch (one transaction): the lead
 * insert, the visit link (only if still unlinked), the removal of the new lead again when a
 * concurrent call linked the visit first (so a visit never gets two leads), its score, and the
 * read-back of the link and the lead.
 */
export async function convertToLead(db: Db, visit: VisitRow): Promise<Converted> {
  if (visit.linked_lead != null) return { lead_id: visit.linked_lead, linked: true };
  if (!visit.add_as_lead) return { lead_id: null, linked: false };
  const uuid = crypto.randomUUID();
  const [, , , , [after], [created]] = await db.batch([
    db.insert(leads).values({
      uuid,
      business_name: visit.business_name,
      contact_name: visit.contact_name,
      contact_phone: visit.contact_phone,
      contact_email: visit.contact_email,
      zone: visit.zone,
      assigned_rep: visit.rep,
      products_discussed: visit.products_discussed,
      notes: visit.feedback_notes,
      follow_up_type: visit.follow_up_type,
      follow_up_date: visit.follow_up_date,
      source: 'field',
    }),
    db
      .update(visits)
      .set({ linked_lead: idByUuid(leads, uuid) })
      .where(and(eq(visits.id, visit.id), isNull(visits.linked_lead))),
    db
      .delete(leads)
      .where(and(eq(leads.uuid, uuid), sql`NOT EXISTS (SELECT 1 FROM ${visits} WHERE ${visits.linked_lead} = ${leads.id})`)),
    rescoreByUuid(db, uuid),
    db.select({ linked_lead: visits.linked_lead }).from(visits).where(eq(visits.id, visit.id)).limit(1),
    db.select().from(leads).where(eq(leads.uuid, uuid)).limit(1),
  ]);
  return { lead_id: after?.linked_lead ?? null, linked: after?.linked_lead != null, created };
}

/**
 * `POST /api/field/visits/{id}/convert_to_lead/` (no body): 200 `{lead_id, linked}`, idempotent. One
 * round trip when there is nothing to convert (or it is already linked), two when it converts.
 */
export function mountConvertToLead(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'post',
      path: '/api/field/visits/{id}/convert_to_lead/',
      operationId: 'field_visits_convert_to_lead_create',
      summary: 'Convert a visit into a lead',
      description:
        "For a visit flagged `add_as_lead`: creates a lead from the visit's business and contact details and links the visit to it, answering `{lead_id, linked}`. Idempotent, also under concurrent calls: a visit already linked answers its lead and creates none; a visit not flagged answers `{lead_id: null, linked: false}`. Staff and Admin; the assigned rep is notified.",
      tags: ['field'],
      audience: 'staff',
      params: idParam('Visit'),
      response: ConvertToLeadResult,
      handler: async ({ s, db, params }) => {
        const id = parseId(params.id, 'Visit');
        const [visit] = await db
          .select()
          .from(visits)
          .where(and(eq(visits.id, id), eq(visits.is_deleted, false)))
          .limit(1);
        if (!visit) throw drf.notFound('No Visit matches the given query.');
        const { created, ...result } = await convertToLead(db, visit);
        if (created && created.assigned_rep != null) publish(s, assignedEvent(s.actor, created));
        return result;
      },
    }),
  );
}
