/**
 * CRUD /api/assistants/ (the seed's): the virtual staff roles. An assistant IS a StaffRole with
 * `is_virtual = true`, so this is the accounts staff-role resource narrowed to virtual roles, plus
 * the assistant's `model` (stored beside the role). Create always makes a virtual role; its id is
 * the id every chat route takes. Customers may read (without the system prompt, `prompt_context`,
 * which is internal configuration); Staff and Admin write; only Admins delete. Staff keep reading
 * `prompt_context`: they write it, here and through /api/accounts/staff-roles/.
 */
import { z } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import {
  PatchedStaffRole,
  StaffRole,
  StaffRole_READ_ONLY,
  StaffRoleRequest,
} from '../../contract/tamiti/accounts/staff-roles.gen';
import { str } from '../../core/fields';
import { paginated } from '../../core/pagination';
import { bodiesOnFirstUse, idByUuid, listOnly } from '../../core/resource';
import type { Db, ResourceDef, Stmt } from '../../core/resource';
import { staffRoles } from '../../db/schema/accounts';
import { assistantSettings } from '../../db/schema/assistants';
import { adminDeletes } from '../accounts/permissions';
import { staffRoleResource } from '../accounts/staff-roles';

/** The Workers AI model used when an assistant has none configured. */
export const DEFAULT_MODEL = '@cf/meta/llama-3.1-8b-instruct';

const modelField = {
  model: z.string().openapi({ description: `Workers AI model used when no command matches (default ${DEFAULT_MODEL}).` }),
};
const modelInput = () => ({
  model: str({ max: 100 })
    .optional()
    .openapi({ description: `Workers AI model (default ${DEFAULT_MODEL}).` }),
});

/** The assistant's system prompt is internal configuration: Customers get null (issue 14 #11). */
export const Assistant = StaffRole.extend({
  ...modelField,
  prompt_context: z
    .string()
    .nullable()
    .optional()
    .openapi({ description: 'The system prompt used when no command matches; null for Customers.' }),
}).openapi('Assistant');
/**
 * The bodies, built when the write routes are mounted (`bodiesOnFirstUse`), not by a first list.
 * The title is what the chat answers as (`{"assistant": title}`), so it may not be blank.
 */
const assistantBodies = () => {
  const input = modelInput();
  return {
    write: StaffRoleRequest.extend({ ...input, title: str({ max: 100 }) }).openapi('AssistantRequest'),
    patch: PatchedStaffRole.extend({ ...input, title: str({ max: 100 }).optional() }).openapi('PatchedAssistant'),
  };
};
export const PaginatedAssistantList = paginated(Assistant, 'PaginatedAssistantList');

/** The statement selecting the live virtual role (assistant) with this id (no row when there is none). */
export function assistantStmt(db: Db, id: number) {
  return db
    .select()
    .from(staffRoles)
    .where(and(eq(staffRoles.id, id), eq(staffRoles.is_virtual, true), eq(staffRoles.is_deleted, false)))
    .limit(1);
}

/** The statement selecting an assistant's configured model (no row: DEFAULT_MODEL). */
export function modelStmt(db: Db, roleId: number) {
  return db.select({ model: assistantSettings.model }).from(assistantSettings).where(eq(assistantSettings.role, roleId)).limit(1);
}

const base = staffRoleResource;

export const assistantResource: ResourceDef<typeof staffRoles> = {
  ...base,
  path: '/assistants/',
  operationId: 'assistants',
  tag: 'assistants',
  schemas: bodiesOnFirstUse({ read: Assistant, page: PaginatedAssistantList }, assistantBodies),
  readOnly: [...StaffRole_READ_ONLY, 'is_deleted', 'deleted_at', 'is_virtual'],
  audience: 'any',
  scope: () => eq(staffRoles.is_virtual, true),
  search: [staffRoles.title, staffRoles.description],
  ordering: { id: staffRoles.id, title: staffRoles.title, created_at: staffRoles.created_at },
  can: (k, action) => {
    if (k.user.role === 'Customer') return action === 'list' || action === 'retrieve';
    return adminDeletes(k, action);
  },
  prepare: async (k, values, existing) => {
    const prepared = base.prepare ? await base.prepare(k, values, existing) : values;
    return existing ? prepared : { ...prepared, is_virtual: true };
  },
  sideEffects: async (k, ev) => {
    const stmts: Stmt[] = base.sideEffects ? [...(await base.sideEffects(k, ev))] : [];
    const model = ev.action === 'destroy' ? undefined : (ev.input?.model as string | undefined);
    if (model) {
      const role = ev.existing ? ev.existing.id : idByUuid(staffRoles, ev.values.uuid as string);
      stmts.push(
        k.db
          .insert(assistantSettings)
          .values({ role, model })
          .onConflictDoUpdate({ target: assistantSettings.role, set: { model } }),
      );
    }
    return stmts;
  },
  // The staff role's own expansion (tags) and the assistant's model, in the rows' round trip.
  expansion: {
    load: (k, ids) => [
      ...(base.expansion?.load(k, ids) ?? []),
      k.db.select().from(assistantSettings).where(sql`${assistantSettings.role} in ${ids}`),
    ],
    attach: (k, rows, loaded) => {
      const settings = loaded[loaded.length - 1] as { role: number; model: string }[];
      const expanded = base.expansion ? base.expansion.attach(k, rows, loaded.slice(0, -1)) : rows;
      const models = new Map(settings.map((s) => [s.role, s.model]));
      const hidePrompt = k.user.role === 'Customer';
      return expanded.map((r) => ({
        ...r,
        model: models.get(r.id as number) ?? DEFAULT_MODEL,
        ...(hidePrompt ? { prompt_context: null } : {}),
      }));
    },
  },
};

/** GET /api/assistants/ alone: the area's read app (src/app.ts). */
export const assistantList = listOnly(assistantResource);
