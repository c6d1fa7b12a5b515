import type { AreaSpec } from '../../core/router';

/**
 * The accounts module's areas, one per resource: a first request builds only the resource it asks
 * for (src/app.ts). The order is the OpenAPI document's.
 */
export const accountsAreas: AreaSpec[] = [
  { prefixes: ['/api/accounts/branches/'], load: () => import('./branches').then((m) => [m.branchResource]) },
  {
    prefixes: ['/api/accounts/customer-profiles/'],
    load: () => import('./customer-profiles').then((m) => [m.customerProfileResource]),
  },
  { prefixes: ['/api/accounts/departments/'], load: () => import('./departments').then((m) => [m.departmentResource]) },
  { prefixes: ['/api/accounts/designations/'], load: () => import('./designations').then((m) => [m.designationResource]) },
  { prefixes: ['/api/accounts/staff-profiles/'], load: () => import('./staff-profiles').then((m) => [m.staffProfileResource]) },
  { prefixes: ['/api/accounts/staff-roles/'], load: () => import('./staff-roles').then((m) => [m.staffRoleResource]) },
  { prefixes: ['/api/accounts/users-list/'], load: () => import('./users-list').then((m) => [m.usersListResource]) },
  {
    prefixes: ['/api/accounts/virtual-assistants/'],
    load: () => import('./virtual-assistants').then((m) => [m.mountVirtualAssistants]),
  },
];
