import { eq } from 'drizzle-orm';
import { PaginatedZoneList, PatchedZone, Zone, Zone_READ_ONLY, ZoneRequest } from '../../contract/tamiti/field/zones.gen';
import type { ResourceDef } from '../../core/resource';
import { leads, visits, zones } from '../../db/schema/field';
import { users } from '../../db/schema/users';

/**
 * `/api/field/zones/`: sales territories. `created_by` defaults to the caller when omitted (the
 * original left it null). Soft delete; leads and visits in a deleted zone lose the reference, as
 * the original's SET NULL did.
 */
export const zoneResource: ResourceDef<typeof zones> = {
  path: '/field/zones/',
  operationId: 'field_zones',
  tag: 'field',
  model: 'Zone',
  table: zones,
  schemas: { read: Zone, write: ZoneRequest, patch: PatchedZone, page: PaginatedZoneList },
  readOnly: [...Zone_READ_ONLY, 'is_deleted', 'deleted_at'],
  search: [zones.name, zones.region],
  defaultOrdering: ['id'],
  softDelete: true,
  foreignKeys: { created_by: users },
  prepare: (k, values, existing) => {
    if (!existing && values.created_by === undefined) values.created_by = k.user.id;
    return values;
  },
  sideEffects: (k, ev) =>
    ev.action === 'destroy'
      ? [
          k.db.update(leads).set({ zone: null }).where(eq(leads.zone, ev.existing.id)),
          k.db.update(visits).set({ zone: null }).where(eq(visits.zone, ev.existing.id)),
        ]
      : [],
};
