import {
  Branch,
  Branch_READ_ONLY,
  BranchRequest,
  PaginatedBranchList,
  PatchedBranch,
} from '../../contract/tamiti/accounts/branches.gen';
import type { ResourceDef } from '../../core/resource';
import { orgBranches } from '../../db/schema/accounts';
import { adminDeletes } from './permissions';

/** `/api/accounts/branches/`: id + name; hard delete (staff profiles' FK becomes null); Admin deletes. */
export const branchResource: ResourceDef<typeof orgBranches> = {
  path: '/accounts/branches/',
  operationId: 'accounts_branches',
  tag: 'accounts',
  model: 'Branch',
  table: orgBranches,
  schemas: { read: Branch, write: BranchRequest, patch: PatchedBranch, page: PaginatedBranchList },
  readOnly: Branch_READ_ONLY,
  can: adminDeletes,
};
