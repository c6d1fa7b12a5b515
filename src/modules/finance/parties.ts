import { eq, sql } from 'drizzle-orm';
import {
  PaginatedPartyList,
  Party,
  Party_READ_ONLY,
  PartyRequest,
  PatchedParty,
} from '../../contract/tamiti/finance/parties.gen';
import { drf } from '../../core/errors';
import type { ResourceDef } from '../../core/resource';
import { invoices, parties, payments } from '../../db/schema/finance';
import { users } from '../../db/schema/users';
import { SERVER_OWNED, adminDeletes } from './access';

/**
 * `/api/finance/parties/`: clients, vendors, donors... `user` links a party to a system user (one
 * party per user), who then hears about invoices made out to the party. A party with invoices or
 * payments cannot be deleted (the original cascaded, silently dropping booked payments).
 */
export const partyResource: ResourceDef<typeof parties> = {
  path: '/finance/parties/',
  operationId: 'finance_parties',
  tag: 'finance',
  model: 'Party',
  table: parties,
  schemas: { read: Party, write: PartyRequest, patch: PatchedParty, page: PaginatedPartyList },
  readOnly: [...Party_READ_ONLY, ...SERVER_OWNED],
  search: [parties.name, parties.email, parties.phone],
  filters: {
    type: { column: parties.type },
    user: { column: parties.user, type: 'int' },
    is_internal_user: { column: parties.is_internal_user, type: 'bool' },
  },
  ordering: {
    name: parties.name,
    type: parties.type,
    email: parties.email,
    created_at: parties.created_at,
    updated_at: parties.updated_at,
  },
  foreignKeys: { user: users },
  uniques: { user: 'party with this user already exists.' },
  can: adminDeletes,
  destroyChecks: (k, id) => [
    {
      stmt: k.db
        .select({
          invoices: sql<number>`(select count(*) from ${invoices} where ${invoices.party} = ${id})`,
          payments: sql<number>`(select count(*) from ${payments} where ${payments.party} = ${id})`,
        })
        .from(parties)
        .where(eq(parties.id, id)),
      verify: ([counts]) => {
        const { invoices: inv = 0, payments: pay = 0 } = (counts ?? {}) as { invoices?: number; payments?: number };
        if (inv || pay)
          throw drf.detail(400, `This party has ${inv} invoice(s) and ${pay} payment(s); delete or reassign them first.`);
        return undefined;
      },
    },
  ],
};
