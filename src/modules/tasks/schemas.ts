/**
 * Task schemas as served. The reference's `Task` types `is_overdue` as a string and omits `id` from
 * the create/update responses; we serve the same properties with their real types (booleans,
 * nullable names) under new component names. The write bodies are in ./inputs.ts, so the areas that
 * only serve tasks (a project's detail) do not build them.
 */
import { z } from '@hono/zod-openapi';
import { paginated } from '../../contract/tamiti/shared.gen';
import { Task } from '../../contract/tamiti/tasks.gen';

/** A task as listed and retrieved. */
export const TaskRead = z
  .object({
    ...Task.shape,
    project_name: z.string().nullable().openapi({ readOnly: true, description: 'Null when the task has no project.' }),
    assigned_to_email: z.string().nullable().openapi({
      format: 'email',
      readOnly: true,
      description: 'Null without an assignee, and unless the caller is the assignee or an Admin (contact details).',
    }),
    is_overdue: z.boolean().openapi({ readOnly: true, description: 'Due date passed and not completed.' }),
  })
  .openapi('TaskRead');

export const PaginatedTaskReadList = paginated(TaskRead, 'PaginatedTaskReadList');

/** A task as returned by create and update: the read shape plus `tags` (covers TaskCreate/TaskUpdate and `id`). */
export const TaskDetail = z.object({ ...TaskRead.shape, tags: z.array(z.string()) }).openapi('TaskDetail');

export const TaskToggleResult = z
  .object({
    task: TaskRead,
    message: z.string().openapi({ example: 'Task completed', description: '"Task completed" or "Task reopened".' }),
  })
  .openapi('TaskToggleResult');
