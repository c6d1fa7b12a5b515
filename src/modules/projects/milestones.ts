/**
 * /api/projects/milestones/: milestones of the projects the user can see. Creating or changing one
 * takes contributor access to its project (the original accepted any project id, §14.14); an
 * invisible project is reported like a missing one. `achievement_date` is server-set: today when
 * saved completed without a date, cleared when saved not completed.
 */
import {
  Milestone,
  MilestoneRequest,
  Milestone_READ_ONLY,
  PaginatedMilestoneList,
  PatchedMilestone,
} from '../../contract/tamiti/projects.gen';
import { drf } from '../../core/errors';
import type { ResourceDef } from '../../core/resource';
import { todayIso } from '../../db/columns';
import { projectMilestones } from '../../db/schema/projects';
import { atLeast, childOfVisibleProject, projectAccess, requireProject } from './access';

export const milestoneResource: ResourceDef = {
  path: '/projects/milestones/',
  operationId: 'projects_milestones',
  tag: 'projects',
  model: 'Milestone',
  table: projectMilestones,
  schemas: { read: Milestone, write: MilestoneRequest, patch: PatchedMilestone, page: PaginatedMilestoneList },
  readOnly: [...Milestone_READ_ONLY, 'is_deleted', 'deleted_at'],
  scope: (k) => childOfVisibleProject(projectMilestones.project, k.user.id),
  can: async (k, action, row) => {
    if (action === 'list' || action === 'create' || action === 'retrieve' || !row) return true;
    return atLeast((await projectAccess(k.db, k.user.id, row.project as number))?.level, 'contribute');
  },
  prepare: async (k, values, existing) => {
    if (values.name === '') throw drf.field('name', 'This field may not be blank.');
    if (values.project !== undefined && values.project !== existing?.project)
      await requireProject(k.db, k.user.id, values.project as number, 'contribute');
    const completed = (values.completed ?? existing?.completed ?? false) as boolean;
    const achieved = (existing?.achievement_date as string | null | undefined) ?? todayIso();
    return { ...values, achievement_date: completed ? achieved : null };
  },
};
