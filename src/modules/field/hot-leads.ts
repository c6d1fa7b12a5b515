import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, gte, inArray, or } from 'drizzle-orm';
import { Lead } from '../../contract/tamiti/field.gen';
import { kitOf, serialize, type Row } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import { leads } from '../../db/schema/field';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { LEAD_SCORE } from './lead-score';
import { leadResource } from './leads';

/**
 * `GET /api/field/leads/hot/`: every live hot lead as a bare array (not paginated, as the original).
 * Hot = priority high or critical, or a lead score of 80 or more (the original ignored the score).
 */
export function mountHotLeads(app: OpenAPIHono<AppEnv>) {
  const route = createRoute({
    method: 'get',
    path: '/api/field/leads/hot/',
    operationId: 'field_leads_hot_retrieve',
    tags: ['field'],
    security: bearer,
    middleware: [requireAuth()] as const,
    responses: { 200: jsonResponse(z.array(Lead), ''), ...drfErrors },
  });
  app.openapi(route, async (c) => {
    const k = kitOf(c);
    const rows = (await k.db
      .select()
      .from(leads)
      .where(
        and(
          eq(leads.is_deleted, false),
          or(inArray(leads.priority, ['high', 'critical']), gte(leads.lead_score, LEAD_SCORE.hot)),
        ),
      )
      .orderBy(desc(leads.created_at), desc(leads.id))) as Row[];
    return c.json((await serialize(leadResource, k, rows)) as never, 200);
  });
}
