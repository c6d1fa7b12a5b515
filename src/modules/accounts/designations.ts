import {
  Designation,
  Designation_READ_ONLY,
  DesignationRequest,
  PaginatedDesignationList,
  PatchedDesignation,
} from '../../contract/tamiti/accounts/designations.gen';
import type { ResourceDef } from '../../core/resource';
import { designations } from '../../db/schema/accounts';
import { adminDeletes } from './permissions';

/** `/api/accounts/designations/`: id + name; hard delete (staff profiles' FK becomes null); Admin deletes. */
export const designationResource: ResourceDef<typeof designations> = {
  path: '/accounts/designations/',
  operationId: 'accounts_designations',
  tag: 'accounts',
  model: 'Designation',
  table: designations,
  schemas: { read: Designation, write: DesignationRequest, patch: PatchedDesignation, page: PaginatedDesignationList },
  readOnly: Designation_READ_ONLY,
  can: adminDeletes,
};
