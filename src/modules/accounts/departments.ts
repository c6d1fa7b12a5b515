import {
  Department,
  Department_READ_ONLY,
  DepartmentRequest,
  PaginatedDepartmentList,
  PatchedDepartment,
} from '../../contract/tamiti/accounts/departments.gen';
import type { ResourceDef } from '../../core/resource';
import { departments } from '../../db/schema/accounts';
import { adminDeletes } from './permissions';

/** `/api/accounts/departments/`: id + name; hard delete (staff profiles' FK becomes null); Admin deletes. */
export const departmentResource: ResourceDef<typeof departments> = {
  path: '/accounts/departments/',
  operationId: 'accounts_departments',
  tag: 'accounts',
  model: 'Department',
  table: departments,
  schemas: { read: Department, write: DepartmentRequest, patch: PatchedDepartment, page: PaginatedDepartmentList },
  readOnly: Department_READ_ONLY,
  can: adminDeletes,
};
