import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { branchResource } from './branches';
import { customerProfileResource } from './customer-profiles';
import { departmentResource } from './departments';
import { designationResource } from './designations';
import { staffProfileResource } from './staff-profiles';
import { staffRoleResource } from './staff-roles';
import { usersListResource } from './users-list';
import { mountVirtualAssistants } from './virtual-assistants';

/** The accounts module's routes. */
export function accountsModule() {
  const app = createRouter();
  mountResource(app, branchResource);
  mountResource(app, customerProfileResource);
  mountResource(app, departmentResource);
  mountResource(app, designationResource);
  mountResource(app, staffProfileResource);
  mountResource(app, staffRoleResource);
  mountResource(app, usersListResource);
  mountVirtualAssistants(app);
  return app;
}
