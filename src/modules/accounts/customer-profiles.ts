import { eq } from 'drizzle-orm';
import { CustomerProfile, CustomerProfile_READ_ONLY, CustomerProfileRequest } from '../../contract/tamiti/accounts.gen';
import { PaginatedCustomerProfileList, PatchedCustomerProfile } from '../../contract/tamiti/accounts/customer-profiles.gen';
import type { ResourceDef } from '../../core/resource';
import { customerProfiles, referrals } from '../../db/schema/accounts';
import { users } from '../../db/schema/users';

/**
 * `/api/accounts/customer-profiles/`: one live profile per user, optionally referred by a Referral.
 * Staff and Admins manage every profile; a Customer sees only their own and cannot write.
 */
export const customerProfileResource: ResourceDef<typeof customerProfiles> = {
  path: '/accounts/customer-profiles/',
  operationId: 'accounts_customer_profiles',
  tag: 'accounts',
  model: 'CustomerProfile',
  table: customerProfiles,
  schemas: {
    read: CustomerProfile,
    write: CustomerProfileRequest,
    patch: PatchedCustomerProfile,
    page: PaginatedCustomerProfileList,
  },
  readOnly: [...CustomerProfile_READ_ONLY, 'is_deleted', 'deleted_at'],
  defaultOrdering: ['id'],
  softDelete: true,
  audience: 'any',
  scope: (k) => (k.user.role === 'Customer' ? eq(customerProfiles.user, k.user.id) : undefined),
  can: (k, action) => k.user.role !== 'Customer' || action === 'list' || action === 'retrieve',
  foreignKeys: { user: users, referred_by: referrals },
  uniques: { user: 'customer profile with this user already exists.' },
};
