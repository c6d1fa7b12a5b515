/** Shared rules of the assistant's child resources (commands, default responses). */
import { drf } from '../../core/errors';
import type { Action, Kit } from '../../core/resource';
import { findAssistant } from './assistants';

/** Everyone who may chat may read; only Admins configure an assistant's replies. */
export const adminWrites = (k: Kit, action: Action) => action === 'list' || action === 'retrieve' || k.user.role === 'Admin';

/** `role` must be a live virtual role (an assistant): DRF's 400 otherwise. */
export async function checkAssistantRef(k: Kit, role: unknown) {
  if (typeof role !== 'number') return;
  if (!(await findAssistant(k.db, role))) throw drf.fields({ role: [`Invalid pk "${role}" - object does not exist.`] });
}
