/**
 * Rules shared by the finance resources: who may do what, which input keys the server owns, and
 * small validators the contract's schemas do not express.
 */
import { drf } from '../../core/errors';
import type { Action, Kit } from '../../core/resource';
import { toCents } from '../../core/money';

/** Staff and Admin read and write finance records; only Admin deletes them (Our decisions #2). */
export const adminDeletes = (k: Kit, action: Action) => action !== 'destroy' || k.user.role === 'Admin';

/** Soft-delete markers are not client-writable (the original let clients PATCH them). */
export const SERVER_OWNED = ['is_deleted', 'deleted_at'] as const;

/** 400 unless a money input is > 0 (or ≥ 0 with `allowZero`). */
export function requireAmount(values: Record<string, unknown>, field: string, opts: { allowZero?: boolean } = {}) {
  const raw = values[field];
  if (raw === undefined || raw === null) return;
  const c = toCents(String(raw));
  if (opts.allowZero ? c < 0 : c <= 0) {
    throw drf.field(
      field,
      opts.allowZero ? 'Ensure this value is greater than or equal to 0.' : 'Ensure this value is greater than 0.',
    );
  }
}
