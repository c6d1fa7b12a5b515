/**
 * /api/projects/milestones/: milestones of the projects the user can see. Creating or changing one
 * takes contributor access to its project (the original accepted any project id, §14.14); an
 * invisible project is reported like a missing one. `achievement_date` is server-set: today when
 * saved completed without a date, cleared when saved not completed.
 * Round trips: a GET is one; a write two (the row with the caller's access to its project and to
 * the project it moves to, then one batch with the write and the read-back).
 */
import { type SQL, sql } from 'drizzle-orm';
import { Milestone, Milestone_READ_ONLY, MilestoneRequest } from '../../contract/tamiti/projects.gen';
import { PaginatedMilestoneList, PatchedMilestone } from '../../contract/tamiti/projects/milestones.gen';
import { drf } from '../../core/errors';
import type { Check, Kit, ResourceDef } from '../../core/resource';
import { todayIso } from '../../db/columns';
import { projectMilestones } from '../../db/schema/projects';
import { accessCheck, childOfVisibleProject, requireLevel } from './access';

const blankName = () => drf.field('name', 'This field may not be blank.');

/** The project of milestone `id`, as a subquery (for the checks that run before the row is read). */
const projectOfMilestone = (id: number): SQL =>
  sql`(SELECT ${projectMilestones.project} FROM ${projectMilestones} WHERE ${projectMilestones.id} = ${id})`;

/** Contributor access to the milestone's own project (update, delete): a 403 otherwise. */
const contributing = (k: Kit, id: number, then?: () => void) =>
  accessCheck(k.db, k.user.id, projectOfMilestone(id), (access) => {
    requireLevel(access, 'contribute');
    then?.();
    return undefined;
  });

export const milestoneResource: ResourceDef<typeof projectMilestones> = {
  path: '/projects/milestones/',
  operationId: 'projects_milestones',
  tag: 'projects',
  model: 'Milestone',
  table: projectMilestones,
  schemas: { read: Milestone, write: MilestoneRequest, patch: PatchedMilestone, page: PaginatedMilestoneList },
  readOnly: [...Milestone_READ_ONLY, 'is_deleted', 'deleted_at'],
  scope: (k) => childOfVisibleProject(projectMilestones.project, k.user.id),
  // Errors come in the original order: 404 (row), 403 (the row's project), a blank name, then the
  // project the milestone is written to (invisible: "Invalid pk"; seen without contributing: 403).
  checks: (k, values, _existing, target) => {
    const blank = () => {
      if (values.name === '') throw blankName();
    };
    const checks: Check[] = [];
    if (target.action === 'update' && target.id !== undefined) checks.push(contributing(k, target.id, blank));
    else blank();
    const project = values.project;
    if (typeof project === 'number')
      checks.push(
        accessCheck(k.db, k.user.id, project, (access, existing) => {
          if (project === existing?.project) return undefined;
          if (!access || access.level === 'none') return { project: [`Invalid pk "${project}" - object does not exist.`] };
          return requireLevel(access, 'contribute');
        }),
      );
    return checks;
  },
  destroyChecks: (k, id) => [contributing(k, id)],
  prepare: (_k, values, existing) => {
    const completed = (values.completed ?? existing?.completed ?? false) as boolean;
    const achieved = (existing?.achievement_date as string | null | undefined) ?? todayIso();
    return { ...values, achievement_date: completed ? achieved : null };
  },
};
