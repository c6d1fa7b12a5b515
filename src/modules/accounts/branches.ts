import { Branch, BranchRequest, Branch_READ_ONLY, PatchedBranch, PaginatedBranchList } from '../../contract/tamiti/accounts.gen';
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
