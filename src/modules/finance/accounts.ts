import {
  Account,
  Account_READ_ONLY,
  AccountRequest,
  PaginatedAccountList,
  PatchedAccount,
} from '../../contract/tamiti/finance/accounts.gen';
import type { ResourceDef } from '../../core/resource';
import { accounts } from '../../db/schema/finance';
import { SERVER_OWNED, adminDeletes } from './access';

/**
 * `/api/finance/accounts/`: where money sits. `balance` is writable (an opening balance or a
 * correction) and moves with every transaction booked on the account (see books.ts); `currency` is
 * per account, UGX by default.
 */
export const accountResource: ResourceDef<typeof accounts> = {
  path: '/finance/accounts/',
  operationId: 'finance_accounts',
  tag: 'finance',
  model: 'Account',
  table: accounts,
  schemas: { read: Account, write: AccountRequest, patch: PatchedAccount, page: PaginatedAccountList },
  readOnly: [...Account_READ_ONLY, ...SERVER_OWNED],
  search: [accounts.name, accounts.number],
  filters: { type: { column: accounts.type }, currency: { column: accounts.currency } },
  ordering: {
    name: accounts.name,
    number: accounts.number,
    type: accounts.type,
    balance: accounts.balance,
    currency: accounts.currency,
    created_at: accounts.created_at,
    updated_at: accounts.updated_at,
  },
  can: adminDeletes,
};
