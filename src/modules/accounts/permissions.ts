/**
 * Who may do what in the accounts module. Reads and writes stay open to every Staff/Admin user as
 * in the original; deleting org-structure rows (departments, designations, branches, staff roles)
 * is for Admins only, since profiles and assistants hang off them.
 */
import type { Action, Kit } from '../../core/resource';

/** Admin-only deletion; everything else open to the resource's audience. */
export const adminDeletes = (k: Kit, action: Action) => action !== 'destroy' || k.user.role === 'Admin';
