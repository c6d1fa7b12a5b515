/** Shared rules of the assistant's child resources (commands, default responses). */
import type { Action, Check, Kit } from '../../core/resource';
import { assistantStmt } from './assistants';

/** Everyone who may chat may read; only Admins configure an assistant's replies. */
export const adminWrites = (k: Kit, action: Action) => action === 'list' || action === 'retrieve' || k.user.role === 'Admin';

/**
 * `role` must be a live virtual role (an assistant), DRF's 400 otherwise: a check that runs in the
 * write's first round trip (nothing to check when `role` is not being written).
 */
export function assistantRefChecks(k: Kit, values: Record<string, unknown>): Check[] {
  const role = values.role;
  if (typeof role !== 'number') return [];
  return [
    {
      stmt: assistantStmt(k.db, role),
      verify: (rows) => (rows.length ? undefined : { role: [`Invalid pk "${role}" - object does not exist.`] }),
    },
  ];
}
