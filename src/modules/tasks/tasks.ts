/**
 * /api/tasks/ and /api/tasks/{id}/. Retrieve and delete come from the resource kit; list, create and
 * update are routes of their own because their shapes differ from the read shape (TaskCreate /
 * TaskUpdate bodies, fixed ordering without an `ordering` parameter, a validated `project` filter).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, count, eq } from 'drizzle-orm';
import { drf } from '../../core/errors';
import { publish } from '../../core/events';
import { pageParams, pageRequest, paginate } from '../../core/pagination';
import { filterWhere, kitOf, mountResource, parseId } from '../../core/resource';
import type { Filter, ResourceDef } from '../../core/resource';
import { bearer, drfErrors, jsonBody, jsonResponse } from '../../core/router';
import { projects } from '../../db/schema/projects';
import { tasks } from '../../db/schema/tasks';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { projectVisibleTo, taskVisibleTo } from '../projects/access';
import { PaginatedTaskReadList, PatchedTaskUpdateInput, TaskCreateInput, TaskDetail, TaskRead, TaskUpdateInput } from './schemas';
import type { TaskRow } from './service';
import {
  TASK_ORDER,
  canManageTask,
  createTask,
  deletionEvents,
  findVisibleTask,
  recomputeCompletion,
  serializeTasks,
  updateTask,
} from './service';

export const taskResource: ResourceDef = {
  path: '/tasks/',
  operationId: 'tasks',
  tag: 'tasks',
  model: 'Task',
  table: tasks,
  schemas: { read: TaskRead, write: TaskUpdateInput, patch: PatchedTaskUpdateInput, page: PaginatedTaskReadList },
  actions: ['retrieve', 'destroy'],
  scope: (k) => taskVisibleTo(k.user.id),
  can: (k, action, row) => action !== 'destroy' || canManageTask(k.db, k.user, row as unknown as TaskRow),
  expand: (k, rows) => serializeTasks(k.db, k.user, rows as unknown as TaskRow[]),
  // The kit deletes after the side effects, so the recomputation leaves the deleted task out.
  sideEffects: (k, ev) => {
    const task = ev.existing as unknown as TaskRow | undefined;
    return ev.action === 'destroy' && task?.project != null ? [recomputeCompletion(k.db, task.project, task.id)] : [];
  },
  after: (k, ev) => {
    if (ev.action === 'destroy') publish(k.c, ...deletionEvents([ev.existing as unknown as TaskRow], k.user.id));
  },
};

const taskFilters: Record<string, Filter> = {
  project: { column: tasks.project, type: 'int', description: 'Tasks of this project (id).' },
  status: { column: tasks.status, description: 'todo, in_progress or done.' },
  priority: { column: tasks.priority, description: 'low, medium, high or critical.' },
  due_date_after: { column: tasks.due_date, op: 'date_gte', type: 'date', description: 'Due on or after this day (UTC).' },
  due_date_before: { column: tasks.due_date, op: 'date_lte', type: 'date', description: 'Due on or before this day (UTC).' },
};

const listQuery = z.object({
  ...pageParams,
  ...Object.fromEntries(
    Object.entries(taskFilters).map(([name, f]) => [
      name,
      z
        .string()
        .optional()
        .openapi({
          type: f.type === 'int' ? 'integer' : 'string',
          format: f.type === 'date' ? 'date' : undefined,
          description: f.description,
        }),
    ]),
  ),
});

const idParam = z.object({
  id: z.string().openapi({
    param: { name: 'id', in: 'path' },
    type: 'integer',
    description: 'A unique integer value identifying this task.',
  }),
});

const auth = requireAuth();

const listRoute = createRoute({
  method: 'get',
  path: '/api/tasks/',
  operationId: 'tasks_list',
  summary: 'List tasks',
  description:
    "The tasks the caller may see (of projects they see, assigned to them, or their own tasks without a project), one page at a time, in a fixed order. Filters: `?project=` (a project the caller cannot see is a 400, as django-filter's choice filter), `?status=`, `?priority=`, `?due_date_after=`, `?due_date_before=` (whole UTC days). Paginated: `?page=` and `?page_size=` (default 10, at most 100). Any signed-in user.",
  tags: ['tasks'],
  security: bearer,
  middleware: [auth] as const,
  request: { query: listQuery },
  responses: { 200: jsonResponse(PaginatedTaskReadList, ''), ...drfErrors },
});

const createTaskRoute = createRoute({
  method: 'post',
  path: '/api/tasks/',
  operationId: 'tasks_create',
  summary: 'Create a task',
  description:
    "Creates a task (201 with the full task). Only someone who manages the task (its creator, or a manager of its project) sets `assigned_to`, and only to a person who sees the project; a project manager may assign someone who does not, who then becomes a `viewer` member in the same write. Status `done` completes it at once (completion time, project percentage and the credited user's counters move in the same batch). The assignee is notified. Any signed-in user; a project needs contributor access.",
  tags: ['tasks'],
  security: bearer,
  middleware: [auth] as const,
  request: { body: jsonBody(TaskCreateInput) },
  responses: { 201: jsonResponse(TaskDetail, 'The created task, with its id.'), ...drfErrors },
});

const updateRoutes = (['put', 'patch'] as const).map((method) =>
  createRoute({
    method,
    path: '/api/tasks/{id}/',
    operationId: method === 'put' ? 'tasks_update' : 'tasks_partial_update',
    summary: method === 'put' ? 'Replace a task' : 'Update a task',
    description: `${method === 'put' ? 'Replaces the writable fields of a task.' : 'Changes only the fields sent.'} Those who manage the task (its creator or a manager of its project) change everything; an assignee may change its status. Moving to or from \`done\` sets or clears the completion time and moves the project's completion percentage and the credited user's counters in the same batch; a new assignee is notified. 404 for a task the caller cannot see.`,
    tags: ['tasks'],
    security: bearer,
    middleware: [auth] as const,
    request: { params: idParam, body: jsonBody(method === 'put' ? TaskUpdateInput : PatchedTaskUpdateInput) },
    responses: { 200: jsonResponse(TaskDetail, 'The updated task.'), ...drfErrors },
  }),
);

/** Mounts the task routes. */
export function mountTasks(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const k = kitOf(c);
    const query = c.req.query();
    const page = pageRequest(query);
    const filters = filterWhere(taskFilters, query);
    if (query.project) {
      // django-filter's ModelChoiceFilter: an unknown (here: invisible) project is a 400.
      const [p] = await k.db
        .select({ id: projects.id })
        .from(projects)
        .where(and(eq(projects.id, Number(query.project)), projectVisibleTo(k.user.id)))
        .limit(1);
      if (!p) throw drf.field('project', 'Select a valid choice. That choice is not one of the available choices.');
    }
    const where = and(taskVisibleTo(k.user.id), filters);
    const [[{ total }], rows] = (await k.db.batch([
      k.db.select({ total: count() }).from(tasks).where(where),
      k.db
        .select()
        .from(tasks)
        .where(where)
        .orderBy(...TASK_ORDER)
        .limit(page.pageSize)
        .offset(page.offset),
    ])) as unknown as [[{ total: number }], TaskRow[]];
    return c.json(paginate(c.req.url, page, total, await serializeTasks(k.db, k.user, rows)) as never, 200);
  });

  app.openapi(createTaskRoute, async (c) => {
    const k = kitOf(c);
    const { row, events } = await createTask(k.db, k.user, c.req.valid('json'));
    publish(c, ...events);
    const [body] = await serializeTasks(k.db, k.user, [row], { tags: true });
    return c.json(body as never, 201);
  });

  for (const route of updateRoutes) {
    app.openapi(route, async (c) => {
      const k = kitOf(c);
      const existing = await findVisibleTask(k.db, k.user, parseId(c.req.param('id') ?? '', 'Task'));
      if (!existing) throw drf.notFound('No Task matches the given query.');
      const { row, events } = await updateTask(k.db, k.user, existing, c.req.valid('json'));
      publish(c, ...events);
      const [body] = await serializeTasks(k.db, k.user, [row], { tags: true });
      return c.json(body as never, 200);
    });
  }

  mountResource(app, taskResource);
  return app;
}
