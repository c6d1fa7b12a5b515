/**
 * POST /api/tasks/{task_id}/toggle/: completes or reopens a task (see service.ts for what moves
 * with it). A task the caller cannot see is `404 {"error": "Task not found"}`, the original's body.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiError } from '../../core/errors';
import { kitOf } from '../../core/resource';
import { bearer, drfErrors, jsonResponse } from '../../core/router';
import type { AppEnv } from '../../env';
import { requireAuth } from '../../middleware/auth';
import { TaskToggleResult } from './schemas';
import { findVisibleTask, serializeTasks, toggleTask } from './service';

const TaskNotFound = z.object({ error: z.string().openapi({ example: 'Task not found' }) }).openapi('TaskNotFound');

const route = createRoute({
  method: 'post',
  path: '/api/tasks/{task_id}/toggle/',
  operationId: 'tasks_toggle_create',
  summary: 'Complete or reopen a task',
  description:
    'Flips a task between done and to-do: completion time, project percentage and the credited user\'s counters move in one batch, and the people concerned are notified. A task the caller cannot see is the original\'s `404 {"error": "Task not found"}`. Any signed-in user who may change the task\'s status.',
  tags: ['tasks'],
  security: bearer,
  middleware: [requireAuth()] as const,
  request: {
    params: z.object({ task_id: z.string().openapi({ param: { name: 'task_id', in: 'path' }, type: 'integer' }) }),
  },
  responses: {
    200: jsonResponse(TaskToggleResult, ''),
    ...drfErrors,
    404: jsonResponse(TaskNotFound, 'No visible task with this id'),
  },
});

const notFound = () => new ApiError(404, { error: 'Task not found' });

/** Mounts the toggle route. */
export function mountToggle(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const k = kitOf(c);
    const raw = c.req.param('task_id') ?? '';
    if (!/^\d{1,15}$/.test(raw)) throw notFound();
    const existing = await findVisibleTask(k.db, k.user, Number(raw));
    if (!existing) throw notFound();
    const { row, message } = await toggleTask(k.db, k.user, existing);
    const [task] = await serializeTasks(k.db, k.user, [row]);
    return c.json({ task, message } as never, 200);
  });
  return app;
}
