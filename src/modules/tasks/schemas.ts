/**
 * Task schemas. The reference's `Task` types `is_overdue` as a string and omits `id` from the
 * create/update responses; we serve the same properties with their real types (booleans, nullable
 * names) under new component names, and accept `status` and `position` on writes (the original made
 * `status` unreachable, behaviour notes §14.3).
 */
import { z } from '@hono/zod-openapi';
import { paginated } from '../../contract/tamiti/shared.gen';
import { Task, TaskStatus } from '../../contract/tamiti/tasks.gen';
import { PatchedTaskUpdate, TaskCreateRequest, TaskUpdateRequest } from '../../contract/tamiti/tasks/tasks.gen';
import { int, str } from '../../core/fields';

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

const extraWrite = {
  status: TaskStatus.optional().openapi({
    description: '`done` completes the task; completing sets `done`, reopening a done task sets `todo`.',
  }),
  position: int({ min: 0 })
    .optional()
    .openapi({ type: 'integer', minimum: 0, description: 'Order within the list (ascending).' }),
};

export const TaskCreateInput = z
  .object({ ...TaskCreateRequest.shape, title: str({ max: 200 }), ...extraWrite })
  .openapi('TaskCreateInput');

export const TaskUpdateInput = z
  .object({ ...TaskUpdateRequest.shape, title: str({ max: 200 }), ...extraWrite })
  .openapi('TaskUpdateInput');

export const PatchedTaskUpdateInput = z
  .object({ ...PatchedTaskUpdate.shape, title: str({ max: 200 }).optional(), ...extraWrite })
  .openapi('PatchedTaskUpdateInput');

export const TaskToggleResult = z
  .object({
    task: TaskRead,
    message: z.string().openapi({ example: 'Task completed', description: '"Task completed" or "Task reopened".' }),
  })
  .openapi('TaskToggleResult');

export type TaskCreateBody = z.infer<typeof TaskCreateInput>;
export type TaskUpdateBody = z.infer<typeof PatchedTaskUpdateInput>;
