/**
 * POST /api/tasks/{task_id}/toggle/: completes or reopens a task (see service.ts for what moves
 * with it). A task the caller cannot see is `404 {"error": "Task not found"}`, the original's body.
 */
import { type OpenAPIHono, z } from '@hono/zod-openapi';
import { ApiError } from '../../core/errors';
import { json, mount, route } from '../../core/route';
import type { AppEnv } from '../../env';
import { TaskToggleResult } from './schemas';
import { toggleTask } from './service';

const TaskNotFound = z.object({ error: z.string().openapi({ example: 'Task not found' }) }).openapi('TaskNotFound');

const notFound = () => new ApiError(404, { error: 'Task not found' });

const toggle = route({
  method: 'post',
  path: '/api/tasks/{task_id}/toggle/',
  operationId: 'tasks_toggle_create',
  summary: 'Complete or reopen a task',
  description:
    'Flips a task between done and to-do: completion time, project percentage and the credited user\'s counters move in one batch, and the people concerned are notified. A task the caller cannot see is the original\'s `404 {"error": "Task not found"}`. Any signed-in user who may change the task\'s status.',
  tags: ['tasks'],
  audience: 'staff',
  params: z.object({ task_id: z.string().openapi({ param: { name: 'task_id', in: 'path' }, type: 'integer' }) }),
  response: TaskToggleResult,
  responses: { 404: json(TaskNotFound, 'No visible task with this id') },
  // Two round trips: the task with the caller's access, then one batch with the flip and the read-back.
  handler: async ({ db, actor, params }) => {
    if (!/^\d{1,15}$/.test(params.task_id)) throw notFound();
    const result = await toggleTask(db, actor, Number(params.task_id));
    if (!result) throw notFound();
    return result;
  },
});

/** Mounts the toggle route. */
export function mountToggle(app: OpenAPIHono<AppEnv>) {
  mount(app, toggle);
  return app;
}
