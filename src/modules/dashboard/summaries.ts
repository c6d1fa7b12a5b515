/**
 * `/api/dashboard/kpis/` and `/api/dashboard/summary/*`: the current user's figures, always live
 * (the original cached kpis for 300 s per user; every figure is a few indexed aggregates, so we
 * serve it fresh and kpis never lags the summaries). Each endpoint is one D1 round trip: its
 * figures' statements in one batch, the caller's authorization riding it.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { FieldSummary, FinanceSummary, LeadsSummary, SocialSummary, TaskSummary } from '../../contract/tamiti/dashboard.gen';
import { DashboardKPI } from '../../contract/tamiti/dashboard/kpis.gen';
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

const kpisRoute = route({
  ...common,
  path: '/api/dashboard/kpis/',
  operationId: 'dashboard_kpis_retrieve',
  summary: "The current user's dashboard: all six summaries",
  description:
    'All six summaries of the current user (projects, tasks, finance, field, leads, social), computed in one database round trip (always live). Staff and Admin (Customers: 403).',
  response: DashboardKPI,
  handler: ({ db, actor }) => runFigures(db, allFigures(db, actor.id)),
});

const projectsSummaryRoute = route({
  ...common,
  path: '/api/dashboard/summary/projects/',
  operationId: 'dashboard_summary_projects_retrieve',
  summary: 'Projects summary of the current user',
  description:
    'Counts of the projects the caller created: total, active and completed. Staff and Admin (Customers: 403); one database round trip, always live.',
  response: ProjectSummary,
  handler: async ({ db, actor }) => (await runFigures(db, { projects: projectFigure(db, actor.id) })).projects,
});

const tasksSummaryRoute = route({
  ...common,
  path: '/api/dashboard/summary/tasks/',
  operationId: 'dashboard_summary_tasks_retrieve',
  summary: 'Tasks summary of the current user',
  description:
    'Counts of the tasks assigned to the caller: total, completed, and overdue (not completed, due before now). Staff and Admin (Customers: 403); one round trip.',
  response: TaskSummary,
  handler: async ({ db, actor }) => (await runFigures(db, { tasks: taskFigure(db, actor.id) })).tasks,
});

const financeSummaryRoute = route({
  ...common,
  path: '/api/dashboard/summary/finance/',
  operationId: 'dashboard_summary_finance_retrieve',
  summary: 'Finance summary',
  description:
    "System-wide income and expenses as exact decimal strings (as the original: finance is visible to all staff) and the number of the caller's goals. Staff and Admin (Customers: 403); one round trip.",
  response: FinanceSummary,
  handler: async ({ db, actor }) => (await runFigures(db, { finance: financeFigure(db, actor.id) })).finance,
});

const fieldSummaryRoute = route({
  ...common,
  path: '/api/dashboard/summary/field/',
  operationId: 'dashboard_summary_field_retrieve',
  summary: 'Field-visits summary of the current user',
  description:
    "The number of the caller's field visits (as rep, not deleted) and the five most recent (location, rep email, time). Staff and Admin (Customers: 403); one round trip.",
  response: FieldSummary,
  handler: async ({ db, actor }) => (await runFigures(db, { field: fieldFigure(db, actor.id) })).field,
});

const leadsSummaryRoute = route({
  ...common,
  path: '/api/dashboard/summary/leads/',
  operationId: 'dashboard_summary_leads_retrieve',
  summary: 'Leads summary of the current user',
  description:
    'Counts of the leads where the caller is the rep (not deleted): total, won and lost. Staff and Admin (Customers: 403); one round trip.',
  response: LeadsSummary,
  handler: async ({ db, actor }) => (await runFigures(db, { leads: leadFigure(db, actor.id) })).leads,
});

const socialsSummaryRoute = route({
  ...common,
  path: '/api/dashboard/summary/socials/',
  operationId: 'dashboard_summary_socials_retrieve',
  summary: 'Social-posts summary of the current user',
  description:
    'Counts of the social posts assigned to the caller by status (draft, published) and the platforms they use. Staff and Admin (Customers: 403); one round trip. Keyed `social` inside `kpis/`.',
  response: SocialSummary,
  handler: async ({ db, actor }) => (await runFigures(db, { social: socialFigure(db, actor.id) })).social,
});

/** Mounts the dashboard routes on a router. */
export function mountSummaries(app: OpenAPIHono<AppEnv>) {
  mount(app, kpisRoute);
  mount(app, projectsSummaryRoute);
  mount(app, tasksSummaryRoute);
  mount(app, financeSummaryRoute);
  mount(app, fieldSummaryRoute);
  mount(app, leadsSummaryRoute);
  mount(app, socialsSummaryRoute);
  return app;
}
