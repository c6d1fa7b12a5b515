/**
 * The schemas of a project's members and comments. The list item (`ProjectListItem`) is declared
 * with the list in ./list.ts, so a first list builds none of these; the detail (`ProjectDetail`,
 * with the project's tasks) with its routes in ./projects.ts, so the members' and comments' areas
 * do not build the task schemas.
 */
import { z } from '@hono/zod-openapi';
import { ProjectCommentRequest } from '../../contract/tamiti/projects.gen';
import { ProjectMember, ProjectRole } from '../../contract/tamiti/projects/projects.gen';
import { paginated } from '../../contract/tamiti/shared.gen';
import { pk, str } from '../../core/fields';

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
