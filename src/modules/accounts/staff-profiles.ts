import { StaffProfile, StaffProfile_READ_ONLY, StaffProfileRequest } from '../../contract/tamiti/accounts.gen';
import { PaginatedStaffProfileList, PatchedStaffProfile } from '../../contract/tamiti/accounts/staff-profiles.gen';
import type { ResourceDef } from '../../core/resource';
import { departments, designations, orgBranches, staffProfiles, staffRoles } from '../../db/schema/accounts';
import { users } from '../../db/schema/users';

/**
 * `/api/accounts/staff-profiles/`: a user's place in the org (department, designation, branch,
 * role); profiles without a user are virtual assistants or aliases. One live profile per user.
 * `created_by` defaults to the caller when omitted (the original left it null). Soft delete.
 */
export const staffProfileResource: ResourceDef<typeof staffProfiles> = {
  path: '/accounts/staff-profiles/',
  operationId: 'accounts_staff_profiles',
  tag: 'accounts',
  model: 'StaffProfile',
  table: staffProfiles,
  schemas: { read: StaffProfile, write: StaffProfileRequest, patch: PatchedStaffProfile, page: PaginatedStaffProfileList },
  readOnly: [...StaffProfile_READ_ONLY, 'is_deleted', 'deleted_at'],
  defaultOrdering: ['id'],
  softDelete: true,
  foreignKeys: {
    user: users,
    department: departments,
    designation: designations,
    branch: orgBranches,
    assigned_to: users,
    created_by: users,
    role: { table: staffRoles, live: true },
  },
  uniques: { user: 'staff profile with this user already exists.' },
  prepare: (k, values, existing) => {
    if (!existing && values.created_by === undefined) values.created_by = k.user.id;
    return values;
  },
};
