import { createRouter } from '../../core/router';
import { mountResource } from '../../core/resource';
import { mountComments } from './comments';
import { mountMembers } from './members';
import { milestoneResource } from './milestones';
import { projectListResource, projectResource } from './projects';

/** The projects module's routes. Milestones are mounted first: `/projects/milestones/` must win over `/projects/{id}/`. */
export function projectsModule() {
  const app = createRouter();
  mountResource(app, milestoneResource);
  mountComments(app);
  mountMembers(app);
  mountResource(app, projectListResource);
  mountResource(app, projectResource);
  return app;
}
