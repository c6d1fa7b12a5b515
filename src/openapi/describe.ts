/**
 * Summaries and descriptions of the resource kit's routes, composed from the declaration: what the
 * action does ("List leads", "Create a lead"), who may call it, and for lists the search fields,
 * filters, ordering and pagination. A route that declares its own summary or description keeps it.
 * The resource kit mounts its routes through `describedMount(def)` instead of `mount`.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { is, type SQL } from 'drizzle-orm';
import { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { RouteSpec } from '../core/route';
import { docText, mount } from '../core/route';
import type { Action, ResourceDef } from '../core/resource';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../core/pagination';
import type { AppEnv } from '../env';

/** `StaffProfile` -> `staff profile`; `VACommand` -> `VA command`. */
export function words(model: string): string {
  return model
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(' ')
    .map((w) => (/^[A-Z][a-z]/.test(w) ? w.toLowerCase() : w))
    .join(' ');
}

/** English plural of the last word. */
export function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

const article = (noun: string) => (/^[aeiou]/i.test(noun) && !/^(user|use)/i.test(noun) ? `an ${noun}` : `a ${noun}`);

/** Who may call a resource's routes, in one sentence. */
function audienceText(def: ResourceDef): string {
  switch (def.audience ?? 'staff') {
    case 'public':
      return 'No token needed (a valid bearer token is read when sent).';
    case 'any':
      return 'Any signed-in user (bearer token), Customers included; rows outside what the caller may see answer 404.';
    default:
      return 'Staff and Admin only (bearer token); a Customer gets 403.';
  }
}

/** A column's wire name (`table.column` for computed SQL we cannot name). */
function columnName(c: SQLiteColumn | SQL): string | undefined {
  return is(c, SQLiteColumn) ? c.name : undefined;
}

function listText(def: ResourceDef): string[] {
  const out: string[] = [];
  // A search that depends on the caller (a function) is described by its own searchDescription.
  const fixed = Array.isArray(def.search) ? def.search : [];
  const searched = fixed.map(columnName).filter(Boolean);
  if (def.search && !Array.isArray(def.search))
    out.push(`\`?search=\` ${def.searchDescription ?? 'matches the searchable fields'} (several words must all match).`);
  else if (fixed.length)
    out.push(
      `\`?search=\` matches ${searched.length ? searched.map((n) => `\`${n}\``).join(', ') : 'the searchable fields'} (substring, case-insensitive; several words must all match).`,
    );
  const filters = Object.keys(def.filters ?? {});
  if (filters.length) out.push(`Filters: ${filters.map((f) => `\`?${f}=\``).join(', ')}.`);
  const orderings = Object.keys(def.ordering ?? {});
  if (orderings.length)
    out.push(
      `\`?ordering=\` one of ${orderings.map((o) => `\`${o}\``).join(', ')} (prefix \`-\` for descending)${
        def.defaultOrdering?.length ? `; default \`${def.defaultOrdering.join(',')}\`` : ''
      }.`,
    );
  out.push(
    `Paginated: \`?page=\` and \`?page_size=\` (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE}); a page past the end is 404 "Invalid page.".`,
  );
  if (def.softDelete) out.push('Deleted rows are not listed.');
  return out;
}

function writeText(def: ResourceDef): string[] {
  const out: string[] = [];
  const refs = Object.keys(def.foreignKeys ?? {});
  if (refs.length) out.push(`References (${refs.map((r) => `\`${r}\``).join(', ')}) must exist, else 400 "Invalid pk".`);
  const uniques = Object.keys(def.uniques ?? {});
  if (uniques.length) out.push(`Unique: ${uniques.map((u) => `\`${u}\``).join(', ')} (400 when taken).`);
  if (def.readOnly?.length) out.push(`Read-only fields are ignored: ${def.readOnly.map((r) => `\`${r}\``).join(', ')}.`);
  return out;
}

/** The summary and description of one of a resource's actions. */
export function describeAction(def: ResourceDef, action: Action): { summary: string; description: string } {
  const one = words(def.model);
  const many = plural(one);
  const parent = def.parent ? ` of a ${words(def.parent.model)}` : '';
  const summaries: Record<Action, string> = {
    list: `List ${many}${parent}`,
    create: `Create ${article(one)}${parent}`,
    retrieve: `Get ${article(one)}`,
    update: `Replace ${article(one)}`,
    partial_update: `Update ${article(one)}`,
    destroy: `Delete ${article(one)}`,
  };
  const what: Record<Action, string[]> = {
    list: [`The ${many}${parent} the caller may see, one page at a time.`, ...listText(def)],
    create: [`Creates ${article(one)}${parent} and answers 201 with it.`, ...writeText(def)],
    retrieve: [`One ${one} by id; 404 when it does not exist or the caller may not see it.`],
    update: [`Replaces the writable fields of ${article(one)} (every required field must be sent).`, ...writeText(def)],
    partial_update: [`Changes only the fields sent.`, ...writeText(def)],
    destroy: [
      def.softDelete
        ? `Marks the ${one} deleted (soft delete: it disappears from lists and detail routes); 204 with no body.`
        : `Deletes the ${one}; 204 with no body.`,
    ],
  };
  return { summary: summaries[action], description: [...what[action], audienceText(def)].join(' ') };
}

const ACTIONS: Action[] = ['partial_update', 'retrieve', 'update', 'destroy', 'create', 'list'];

/**
 * `mount` for a resource's routes: a route without its own summary or description gets the ones
 * composed from the declaration (list views declare theirs and get the audience sentence added).
 */
export function describedMount(def: ResourceDef) {
  // biome-ignore lint/suspicious/noExplicitAny: forwards any route the resource kit declares
  return (app: OpenAPIHono<AppEnv>, spec: RouteSpec<any, any, any, any, any>) => {
    const action = ACTIONS.find((a) => spec.operationId === `${def.operationId}_${a}`);
    // Composed when the document is built (the kit calls these then), not when the routes are mounted.
    if (action) {
      const composed = () => describeAction(def, action);
      return mount(app, {
        ...spec,
        summary: spec.summary ?? (() => composed().summary),
        description: spec.description ?? (() => composed().description),
      });
    }
    const view = () => def.views?.find((v) => v.operationId === spec.operationId);
    const summary =
      spec.summary ?? (() => `List ${plural(words(def.model))} (${view()?.path.replace(/\/$/, '') ?? spec.operationId})`);
    const description = () =>
      [docText(spec.description) ?? `A fixed selection of ${plural(words(def.model))}.`, audienceText(def)].join(' ');
    return mount(app, { ...spec, summary, description });
  };
}

/**
 * The description of a route-kit route that declares none, composed from its declaration: who may
 * call it and what the answer looks like (the workspace envelope's message and payload key, the
 * failure message of a 400). Honest but generic: a route with notable behaviour says so itself.
 */
// biome-ignore lint/suspicious/noExplicitAny: any declared route
export function describeRoute(spec: RouteSpec<any, any, any, any, any>, family: 'drf' | 'envelope'): string {
  const out: string[] = [];
  const auth = spec.auth ?? 'user';
  if (auth === 'public') out.push('No token needed.');
  else if (auth === 'optional') out.push('A bearer token is optional (read when sent).');
  else if (spec.audience === 'staff') out.push('Staff and Admin only (bearer token); a Customer gets 403.');
  else out.push('Any signed-in user (bearer token).');
  const env = spec.envelope;
  if (family === 'envelope' && env) {
    const where = env.key
      ? env.list
        ? ` with the page info (\`count\`, \`next\`, \`previous\`) and the results under \`data\` and \`${env.key}\``
        : ` with the payload under \`data\` and \`${env.key}\``
      : spec.response
        ? ' with the payload beside them'
        : '';
    out.push(`Answers ${spec.status ?? 200} \`{"success": true, "message": "${env.message}"}\`${where}.`);
    out.push(
      `Invalid input: 400 \`{"success": false, "message": "${env.failure ?? 'Invalid data provided'}", "${env.errorKey ?? 'errors'}": {field: [messages]}}\`.`,
    );
  }
  return out.join(' ');
}
