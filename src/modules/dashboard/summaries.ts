/**
 * `/api/dashboard/kpis/` and `/api/dashboard/summary/*`: the current user's figures, always live
 * (the original cached kpis for 300 s per user; every figure is a few indexed aggregates, so we
 * serve it fresh and kpis never lags the summaries).
 */
import { createRoute } from '@hono/zod-openapi';
import type { OpenAPIHono, z } from '@hono/zod-openapi';
import {
  DashboardKPI,
  FieldSummary,
  FinanceSummary,
  LeadsSummary,
  SocialSummary,
  TaskSummary,
} from '../../contract/tamiti/dashboard.gen';
import { ProjectSummary } from '../../contract/tamiti/shared.gen';
import { kitOf } from '../../core/resource';
import type { Db } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import type { Figure } from './figures';
import {
  allFigures,
  fieldFigure,
  financeFigure,
  leadFigure,
  projectFigure,
  runFigures,
  socialFigure,
  taskFigure,
} from './figures';

const SUMMARIES: [string, z.ZodType, (db: Db, userId: number) => Figure<unknown>][] = [
  ['projects', ProjectSummary, projectFigure],
  ['tasks', TaskSummary, taskFigure],
  ['finance', FinanceSummary, financeFigure],
  ['field', FieldSummary, fieldFigure],
  ['leads', LeadsSummary, leadFigure],
  ['socials', SocialSummary, socialFigure],
];

/** Mounts the dashboard routes on a router. */
export function mountSummaries(app: OpenAPIHono<AppEnv>) {
  const kpis = createRoute({
    method: 'get',
    path: '/api/dashboard/kpis/',
    operationId: 'dashboard_kpis_retrieve',
    tags: ['dashboard'],
    description: 'All six summaries of the current user, computed in one database round trip (always live).',
    security: bearer,
    middleware: [requireAuth()] as const,
    responses: { 200: jsonResponse(DashboardKPI, ''), ...drfErrors },
  });
  app.openapi(kpis, async (c) => {
    const k = kitOf(c);
    return c.json(await runFigures(k.db, allFigures(k.db, k.user.id)), 200);
  });

  for (const [name, schema, figure] of SUMMARIES) {
    const route = createRoute({
      method: 'get',
      path: `/api/dashboard/summary/${name}/`,
      operationId: `dashboard_summary_${name}_retrieve`,
      tags: ['dashboard'],
      security: bearer,
      middleware: [requireAuth()] as const,
      responses: { 200: jsonResponse(schema, ''), ...drfErrors },
    });
    app.openapi(route, async (c) => {
      const k = kitOf(c);
      const { figure: body } = await runFigures(k.db, { figure: figure(k.db, k.user.id) });
      return c.json(body as never, 200);
    });
  }
  return app;
}
