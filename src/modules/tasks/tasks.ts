/**
 * /api/tasks/ and /api/tasks/{id}/. Retrieve and delete come from the resource kit; list (./list.ts),
 * create and update are routes of their own because their shapes differ from the read shape
 * (TaskCreate / TaskUpdate bodies, fixed ordering without an `ordering` parameter, a validated
 * `project` filter).
 * Round trips: a GET is one; a write two (the task, access and reference checks, then one batch
 * with the write and the read-back).
 */
import { idParam } from '../../core/router';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { drf } from '../../core/errors';
import { mountResource, parseId } from '../../core/resource';
import type { ResourceDef } from '../../core/resource';
import { mount, route } from '../../core/route';
import { publish } from '../../core/scope';
import { tasks } from '../../db/schema/tasks';
import type { AppEnv } from '../../env';
import { accessCheck, taskVisibleTo } from '../projects/access';
import { taskListRoute } from './list';
import { PatchedTaskUpdateInput, TaskCreateInput, TaskUpdateInput } from './inputs';
import { PaginatedTaskReadList, TaskDetail, TaskRead } from './schemas';
import type { TaskRow } from './service';
import {
  createTask,
  deletionEvents,
  mayManageTask,
  presentTasks,
  projectOfTask,
  recomputeCompletion,
  taskExpansion,
  updateTask,
} from './service';

export const taskResource: ResourceDef<typeof tasks> = {
  path: '/tasks/',
  operationId: 'tasks',
  tag: 'tasks',
  model: 'Task',
  table: tasks,
  schemas: { read: TaskRead, write: TaskUpdateInput, patch: PatchedTaskUpdateInput, page: PaginatedTaskReadList },
  actions: ['retrieve', 'destroy'],
  scope: (k) => taskVisibleTo(k.user.id),
  // Deleting takes managing the task: the caller's access to its project comes with the row.
  destroyChecks: (k, id) => [
    // The kit hands `verify` the task it loaded in the same round trip (a destroy always has one).
    accessCheck<TaskRow>(k.db, k.user.id, projectOfTask(id), (access, task) => {
      if (task && !mayManageTask(k.user, task, task.project != null ? access : undefined)) throw drf.forbidden();
      return undefined;
    }),
  ],
  expansion: {
    load: (k, ids) => taskExpansion(k.db, ids),
    attach: (k, rows, loaded) => presentTasks(k.user, rows, loaded),
  },
  // The kit deletes after the side effects, so the recomputation leaves the deleted task out.
  sideEffects: (k, ev) =>
    ev.action === 'destroy' && ev.existing.project != null
      ? [recomputeCompletion(k.db, ev.existing.project, ev.existing.id)]
      : [],
  after: (k, ev) => (ev.action === 'destroy' ? deletionEvents([ev.existing], k.user.id) : undefined),
};

const notFound = () => drf.notFound('No Task matches the given query.');

const createTaskRoute = route({
  method: 'post',
  path: '/api/tasks/',
  operationId: 'tasks_create',
  summary: 'Create a task',
  description:
    "Creates a task (201 with the full task). Only someone who manages the task (its creator, or a manager of its project) sets `assigned_to`, and only to a person who sees the project; a project manager may assign someone who does not, who then becomes a `viewer` member in the same write. Status `done` completes it at once (completion time, project percentage and the credited user's counters move in the same batch). The assignee is notified. Any signed-in user; a project needs contributor access.",
  tags: ['tasks'],
  audience: 'staff',
  body: TaskCreateInput,
  status: 201,
  response: TaskDetail,
  responseDescription: 'The created task, with its id.',
  handler: async ({ s, db, actor, body }) => {
    const { body: task, events } = await createTask(db, actor, body);
    publish(s, ...events);
    return task;
  },
});

const updateRoutes = (['put', 'patch'] as const).map((method) =>
  route({
    method,
    path: '/api/tasks/{id}/',
    operationId: method === 'put' ? 'tasks_update' : 'tasks_partial_update',
    summary: method === 'put' ? 'Replace a task' : 'Update a task',
    description: `${method === 'put' ? 'Replaces the writable fields of a task.' : 'Changes only the fields sent.'} Those who manage the task (its creator or a manager of its project) change everything; an assignee may change its status. Moving to or from \`done\` sets or clears the completion time and moves the project's completion percentage and the credited user's counters in the same batch; a new assignee is notified. 404 for a task the caller cannot see.`,
    tags: ['tasks'],
    audience: 'staff',
    params: idParam('task'),
    body: method === 'put' ? TaskUpdateInput : PatchedTaskUpdateInput,
    response: TaskDetail,
    responseDescription: 'The updated task.',
    handler: async ({ s, db, actor, params, body }) => {
      const written = await updateTask(db, actor, parseId(params.id, 'Task'), body);
      if (!written) throw notFound();
      publish(s, ...written.events);
      return written.body;
    },
  }),
);

/** Mounts the task routes. */
export function mountTasks(app: OpenAPIHono<AppEnv>) {
  mount(app, taskListRoute);
  mount(app, createTaskRoute);
  for (const r of updateRoutes) mount(app, r);
  mountResource(app, taskResource);
  return app;
}
