/**
 * Task write bodies: the reference's TaskCreate / TaskUpdate requests, plus `status` and `position`
 * (the original made `status` unreachable, behaviour notes §14.3). Only the tasks area builds them.
 */
import { z } from '@hono/zod-openapi';
import { TaskStatus } from '../../contract/tamiti/tasks.gen';
import { PatchedTaskUpdate, TaskCreateRequest, TaskUpdateRequest } from '../../contract/tamiti/tasks/tasks.gen';
import { int, str } from '../../core/fields';

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

export type TaskCreateBody = z.infer<typeof TaskCreateInput>;
export type TaskUpdateBody = z.infer<typeof PatchedTaskUpdateInput>;
