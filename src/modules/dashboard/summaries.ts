/**
 * `/api/dashboard/kpis/` and `/api/dashboard/summary/*`: the current user's figures, always live
 * (the original cached kpis for 300 s per user; every figure is a few indexed aggregates, so we
 * serve it fresh and kpis never lags the summaries). Each endpoint is one D1 round trip: its
 * figures' statements in one batch, the caller's authorization riding it.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  DashboardKPI,
  FieldSummary,
  FinanceSummary,
  LeadsSummary,
  SocialSummary,
  TaskSummary,
} from '../../contract/tamiti/dashboard.gen';
import { ProjectSummary } from '../../contract/tamiti/shared.gen';
import { mount, route } from '../../core/route';
import type { AppEnv } from '../../env';
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

const common = { method: 'get' as const, tags: ['dashboard'], audience: 'staff' as const };

/** Mounts the dashboard routes on a router. */
export function mountSummaries(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      ...common,
      path: '/api/dashboard/kpis/',
      operationId: 'dashboard_kpis_retrieve',
      description: 'All six summaries of the current user, computed in one database round trip (always live).',
      response: DashboardKPI,
      handler: ({ db, actor }) => runFigures(db, allFigures(db, actor.id)),
    }),
  );
  mount(
    app,
    route({
      ...common,
      path: '/api/dashboard/summary/projects/',
      operationId: 'dashboard_summary_projects_retrieve',
      response: ProjectSummary,
      handler: async ({ db, actor }) => (await runFigures(db, { projects: projectFigure(db, actor.id) })).projects,
    }),
  );
  mount(
    app,
    route({
      ...common,
      path: '/api/dashboard/summary/tasks/',
      operationId: 'dashboard_summary_tasks_retrieve',
      response: TaskSummary,
      handler: async ({ db, actor }) => (await runFigures(db, { tasks: taskFigure(db, actor.id) })).tasks,
    }),
  );
  mount(
    app,
    route({
      ...common,
      path: '/api/dashboard/summary/finance/',
      operationId: 'dashboard_summary_finance_retrieve',
      response: FinanceSummary,
      handler: async ({ db, actor }) => (await runFigures(db, { finance: financeFigure(db, actor.id) })).finance,
    }),
  );
  mount(
    app,
    route({
      ...common,
      path: '/api/dashboard/summary/field/',
      operationId: 'dashboard_summary_field_retrieve',
      response: FieldSummary,
      handler: async ({ db, actor }) => (await runFigures(db, { field: fieldFigure(db, actor.id) })).field,
    }),
  );
  mount(
    app,
    route({
      ...common,
      path: '/api/dashboard/summary/leads/',
      operationId: 'dashboard_summary_leads_retrieve',
      response: LeadsSummary,
      handler: async ({ db, actor }) => (await runFigures(db, { leads: leadFigure(db, actor.id) })).leads,
    }),
  );
  mount(
    app,
    route({
      ...common,
      path: '/api/dashboard/summary/socials/',
      operationId: 'dashboard_summary_socials_retrieve',
      response: SocialSummary,
      handler: async ({ db, actor }) => (await runFigures(db, { social: socialFigure(db, actor.id) })).social,
    }),
  );
  return app;
}
