/**
 * Project schemas. The reference names the list item `ProjectSummary`, but that component is the
 * dashboard's `{total, active, completed}` (a drf-spectacular name clash); the list really serves the
 * original's ProjectSummarySerializer fields, registered here as `ProjectListItem`. The detail
 * (`ProjectDetail`, with the project's tasks) is declared with its routes in ./projects.ts, so the
 * members' and comments' areas do not build the task schemas.
 */
import { z } from '@hono/zod-openapi';
import { ProjectCommentRequest } from '../../contract/tamiti/projects.gen';
import { ProjectMember, ProjectRole, ProjectStatus } from '../../contract/tamiti/projects/projects.gen';
import { paginated, PriorityEnum } from '../../contract/tamiti/shared.gen';
import { pk, str } from '../../core/fields';

/** The counts a project carries as listed and in detail. */
export const counts = {
  task_count: z.number().int().openapi({ readOnly: true, description: 'Tasks in the project (any status).' }),
  completed_task_count: z.number().int().openapi({ readOnly: true, description: 'Tasks with is_completed = true.' }),
  is_overdue: z.boolean().openapi({ readOnly: true, description: 'Past its due date and not complete, cancelled or archived.' }),
};

export const ProjectListItem = z
  .object({
    id: z.number().int().openapi({ readOnly: true }),
    name: z.string(),
    status: ProjectStatus,
    priority: PriorityEnum,
    completion_percentage: z.number().int().openapi({ readOnly: true }),
    due_date: z.string().openapi({ format: 'date' }),
    ...counts,
  })
  .openapi('ProjectListItem');

export const PaginatedProjectListItemList = paginated(ProjectListItem, 'PaginatedProjectListItemList');

/** A project member as served: `user_email` is null unless the caller is that user or an Admin (core/contact.ts). */
export const ProjectMemberEntry = ProjectMember.extend({
  user_email: z
    .string()
    .nullable()
    .openapi({ format: 'email', readOnly: true, description: 'Null unless the caller is this user or an Admin.' }),
}).openapi('ProjectMemberEntry');

/** Comment body: `project` comes from the URL (optional here, ignored when given). */
export const ProjectCommentWrite = z
  .object({ ...ProjectCommentRequest.shape, content: str(), project: pk().optional() })
  .openapi('ProjectCommentWrite');

export const PaginatedProjectMemberList = paginated(ProjectMemberEntry, 'PaginatedProjectMemberEntryList');

export const ProjectMemberWrite = z
  .object({ user: pk(), role: ProjectRole })
  .openapi('ProjectMemberWrite', { description: 'Adds a user to the project with a role.' });

export const PatchedProjectMemberWrite = z.object({ role: ProjectRole.optional() }).openapi('PatchedProjectMemberWrite');
