#!/usr/bin/env node
/**
 * Generates the Tamiti contract's zod schemas from the reference OpenAPI document
 * `../shared/reference/tamiti-openapi.json` (drf-spectacular, OpenAPI 3.0.3): one file per resource
 * (`src/contract/tamiti/<area>/<resource>.gen.ts`), per area (`src/contract/tamiti/<area>.gen.ts`)
 * and `src/contract/tamiti/shared.gen.ts`, and `src/contract/tamiti.gen.ts` re-exporting them all.
 *
 *   npm run gen:contract                      # default paths
 *   node scripts/gen-tamiti-contract.mjs [in.json] [out.ts]
 *
 * Why one file per resource: the Worker builds each resource's routes and schemas on the first
 * request to its paths (src/app.ts builds one area per resource, lazily), and building more contract
 * schemas than a request needs costs its first request (issue 16). A component goes to the file of
 * the only resource whose operations use it (`/api/finance/invoices/...` → `finance/invoices`; the
 * area from the reference's operation tags, `auth` served by `users`), to its area's file when
 * several resources of the area use it, or to `shared` when several areas do; its dependencies are
 * used wherever it is, so they are in the same file or a wider one. Importing the whole contract
 * (`tamiti.gen.ts`) would build everything again: the generator therefore also rewrites imports of
 * the contract under `src/` and `test/` to the files that define the names (a codemod, safe to run
 * again) and `npm run lint` refuses imports of the barrel.
 *
 * Per object component `X`:
 *   - `X`            response shape (writeOnly dropped, readOnly annotated), `.openapi('X')`
 *   - `XRequest`     request shape built from the DRF-style input builders in `src/core/fields.ts`;
 *                    readOnly properties are accepted as anything and ignored (optional)
 *   - `PatchedX`     (only for `PatchedX` components) request shape with every property optional
 *   - `X_READ_ONLY`  names of the readOnly properties, for stripping input
 * Enum components become `z.enum`, `BlankEnum` → `z.literal('')`, `NullEnum` → `z.null()`, and
 * `PaginatedXList` components become `paginated(X, 'PaginatedXList')`.
 * Output is deterministic: components are emitted in dependency order, ties broken by name.
 */
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const INPUT = resolve(ROOT, process.argv[2] ?? '../shared/reference/tamiti-openapi.json');
const OUTPUT = resolve(ROOT, process.argv[3] ?? 'src/contract/tamiti.gen.ts');
/** The contract's files go next to the barrel, in a folder named after it (`tamiti.gen.ts` → `tamiti/`). */
const AREA_DIR = join(
  dirname(OUTPUT),
  OUTPUT.split('/')
    .pop()
    .replace(/\.gen\.ts$|\.ts$/, ''),
);

/** Largest integer bound we emit; drf-spectacular writes ±9223372036854775807 (int64) as a float. */
const SAFE = 2 ** 53;
/** Output formats kept as OpenAPI `format` on response strings. */
const OUT_FORMATS = new Set(['date-time', 'date', 'uuid', 'uri', 'email']);
/** Integer formats kept as OpenAPI `format`. */
const INT_FORMATS = new Set(['int32', 'int64']);
const DECIMAL_PATTERN = /^\^-\?\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)\?\$$/;

const doc = JSON.parse(readFileSync(INPUT, 'utf8'));
const schemas = doc.components?.schemas ?? {};
const componentNames = Object.keys(schemas).sort();

// ---------------------------------------------------------------------------------------------
// Names

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'yield let static implements interface package private protected public await z paginated int float bool pk str ' +
    'text email url decimal decimalOut datetime date datetimeOut dateOut choice json pkList file undefined NaN Infinity'
  ).split(' '),
);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const usedIdents = new Set();
const identOf = new Map();
/** A unique, valid JS identifier for a component (stable: names are processed in sorted order). */
function sanitise(name) {
  let id = name.replace(/[^A-Za-z0-9_$]/g, '_');
  if (!/^[A-Za-z_$]/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}_`;
  while (usedIdents.has(id)) id = `${id}_`;
  usedIdents.add(id);
  return id;
}
for (const name of componentNames) identOf.set(name, sanitise(name));

const kindOf = new Map();
for (const name of componentNames) kindOf.set(name, classify(name, schemas[name]));

/** Identifier of the request variant of an object component. */
const requestIdentOf = new Map();
for (const name of componentNames) {
  if (kindOf.get(name) !== 'object' || isPatched(name)) continue;
  let id = `${identOf.get(name)}Request`;
  while (usedIdents.has(id) || RESERVED.has(id)) id = `${id}_`;
  usedIdents.add(id);
  requestIdentOf.set(name, id);
}
const readOnlyIdentOf = new Map();
for (const name of componentNames) {
  if (kindOf.get(name) !== 'object') continue;
  let id = `${identOf.get(name)}_READ_ONLY`;
  while (usedIdents.has(id)) id = `${id}_`;
  usedIdents.add(id);
  readOnlyIdentOf.set(name, id);
}

/** OpenAPI component name under which the request variant is registered. */
function requestRefName(name) {
  let n = `${name}Request`;
  while (schemas[n]) n = `${n}_`;
  return n;
}

function isPatched(name) {
  return name.startsWith('Patched') && name.length > 7 && kindOf.get(name) === 'object';
}

function classify(name, s) {
  if (Array.isArray(s.enum)) return 'enum';
  if (isPaginated(name, s)) return 'paginated';
  if (s.type === 'object' || s.properties) return 'object';
  return 'other';
}

function isPaginated(name, s) {
  const m = /^Paginated(.+)List$/.exec(name);
  if (!m || !s.properties) return false;
  const keys = Object.keys(s.properties).sort().join(',');
  const ref = s.properties.results?.items?.$ref;
  return keys === 'count,next,previous,results' && typeof ref === 'string' && refName(ref) === m[1];
}

function refName(ref) {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`);
  const name = decodeURIComponent(ref.slice(prefix.length)).replace(/~1/g, '/').replace(/~0/g, '~');
  if (!schemas[name]) throw new Error(`dangling $ref ${ref}`);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Literals

function q(s) {
  return `'${String(s)
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

function lit(v) {
  if (typeof v === 'string') return q(v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(lit).join(', ')}]`;
  const entries = Object.entries(v).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, x]) => `${key(k)}: ${lit(x)}`).join(', ')} }`;
}

function key(k) {
  return IDENT.test(k) ? k : q(k);
}

/** `.openapi({...})` suffix, or '' when there is nothing to say. */
function meta(m) {
  const clean = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined && v !== false));
  return Object.keys(clean).length ? `.openapi(${lit(clean)})` : '';
}

function opts(o) {
  const clean = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return Object.keys(clean).length ? lit(clean) : '';
}

function decimalDigits(s) {
  const m = typeof s.pattern === 'string' ? DECIMAL_PATTERN.exec(s.pattern) : null;
  if (!m) return { maxDigits: 12, places: 2 };
  return { maxDigits: Number(m[1]) + Number(m[2]), places: Number(m[2]) };
}

function safeBound(n) {
  return typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= SAFE ? n : undefined;
}

/**
 * A drf-spectacular (Python `re`) pattern as a JS regex literal. `\w` is Unicode-aware in Python,
 * so it becomes letters/digits/underscore with the `u` flag.
 */
function regexLiteral(pattern) {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      i++;
      if (n === 'w') out += inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
      else if (n === 'Z') out += '$';
      else out += `\\${n}`;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    else if (c === '/') {
      out += '\\/';
      continue;
    }
    out += c;
  }
  const re = `/${out}/u`;
  new RegExp(out, 'u'); // throws at generation time if the translation is not a valid JS regex
  return re;
}

// ---------------------------------------------------------------------------------------------
// Dependency order (Tarjan SCC; components in a cycle are referenced through z.lazy)

function refsIn(node, out = new Set()) {
  if (Array.isArray(node)) for (const x of node) refsIn(x, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.add(refName(v));
      else refsIn(v, out);
    }
  }
  return out;
}

const deps = new Map(componentNames.map((n) => [n, [...refsIn(schemas[n])].sort()]));

// ---------------------------------------------------------------------------------------------
// Files: areas and their resources (`areaOf` maps a component to its file's key)

/** Operation tags served by another area's module. */
const AREA_OF_TAG = { auth: 'users' };
const SHARED = 'shared';

/** Components an operation uses, with their dependencies. */
function closure(node) {
  const out = new Set();
  const visit = (n) => {
    for (const r of refsIn(n)) {
      if (out.has(r)) continue;
      out.add(r);
      visit(schemas[r]);
    }
  };
  visit(node);
  return out;
}

/**
 * The resource of an operation's path within its area: the first fixed segment after the area's
 * (`/api/finance/invoices/{id}/` → `invoices`, `/api/projects/{project_id}/comments/` → `comments`),
 * or the area's own name for its root (`/api/projects/{id}/` → `projects`).
 */
function resourceOf(path, area) {
  const segments = path.split('/').filter(Boolean).slice(2);
  return segments.find((seg) => !seg.startsWith('{'))?.replace(/[^\w-]/g, '_') ?? area;
}

/** The resources (`area/resource`) whose operations use each component. */
const groupsUsing = new Map(componentNames.map((n) => [n, new Set()]));
for (const [path, ops] of Object.entries(doc.paths ?? {}))
  for (const op of Object.values(ops)) {
    const tag = op?.tags?.[0];
    if (!tag) continue;
    const area = AREA_OF_TAG[tag] ?? tag;
    for (const n of closure(op)) groupsUsing.get(n).add(`${area}/${resourceOf(path, area)}`);
  }
/**
 * The file a component is emitted in (its key, `tamiti/<key>.gen.ts`): its only resource's
 * (`finance/invoices`), its only area's (`finance`) when several resources of the area use it, or
 * `shared`. A component's dependencies are used wherever it is, so they are in the same file or a
 * wider one (its area's, or `shared`).
 */
const areaOf = new Map(
  componentNames.map((n) => {
    const groups = [...groupsUsing.get(n)];
    const areas = new Set(groups.map((g) => g.split('/')[0]));
    return [n, areas.size !== 1 ? SHARED : groups.length === 1 ? groups[0] : [...areas][0]];
  }),
);
/** The files a file's components may import from: its own, its area's, `shared`. */
const widerOf = (file) => [file, file.split('/')[0], SHARED];
for (const n of componentNames)
  for (const d of deps.get(n))
    if (!widerOf(areaOf.get(n)).includes(areaOf.get(d)))
      throw new Error(`${n} (${areaOf.get(n)}) depends on ${d} (${areaOf.get(d)}): only wider files may be imported`);

function topoOrder() {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const sccOf = new Map();
  const order = [];
  function strong(v) {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of deps.get(v)) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      scc.sort();
      const cyclic = scc.length > 1 || deps.get(v).includes(v);
      for (const m of scc) sccOf.set(m, cyclic ? scc : null);
      order.push(...scc); // Tarjan emits SCCs in reverse topological order of the condensation = deps first
    }
  }
  for (const n of componentNames) if (!idx.has(n)) strong(n);
  return { order, sccOf };
}

const { order, sccOf } = topoOrder();
const emitted = new Set();
/** Component names whose consts need an explicit type (they are part of a reference cycle). */
const cyclic = new Set([...sccOf].filter(([, scc]) => scc).map(([n]) => n));

/** The file being emitted (its key), and the identifiers it uses from other files (ident -> key). */
let currentArea = SHARED;
const crossRefs = new Map();

/** Identifier reference, wrapped in z.lazy when the target is not defined yet (cycles). */
function refExpr(name, ident) {
  const from = areaOf.get(name);
  if (from !== currentArea) {
    if (!crossRefs.has(currentArea)) crossRefs.set(currentArea, new Map());
    crossRefs.get(currentArea).set(ident, from);
  }
  return emitted.has(name) ? ident : `z.lazy(() => ${ident})`;
}

// ---------------------------------------------------------------------------------------------
// Response (output) schemas

function unwrapAllOf(s) {
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && s.allOf[0].$ref) return s.allOf[0].$ref;
  return s.$ref;
}

/** Output schema expression for a property (without optional/nullable). */
function outExpr(s, m) {
  const ref = unwrapAllOf(s);
  if (ref) {
    const n = refName(ref);
    return refExpr(n, identOf.get(n)) + meta(m);
  }
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
    const alts = (s.oneOf ?? s.anyOf).map((a) => outExpr(a, {}));
    return `z.union([${alts.join(', ')}])${meta(m)}`;
  }
  if (Array.isArray(s.enum)) return `z.enum(${lit(s.enum.filter((v) => typeof v === 'string'))})${meta(m)}`;
  switch (s.type) {
    case 'integer':
      return `z.number().int()${meta({ format: INT_FORMATS.has(s.format) ? s.format : undefined, ...m })}`;
    case 'number':
      return `z.number()${meta(m)}`;
    case 'boolean':
      return `z.boolean()${meta(m)}`;
    case 'string':
      if (s.format === 'decimal') return `decimalOut(${opts(decimalDigits(s))})${meta(m)}`;
      return `z.string()${meta({ format: OUT_FORMATS.has(s.format) ? s.format : undefined, ...m })}`;
    case 'array':
      return `z.array(${outExpr(s.items ?? {}, {})})${meta(m)}`;
    case 'object':
      if (s.properties) throw new Error('inline object schemas are not supported');
      return `z.record(z.string(), z.any())${meta(m)}`;
    case undefined:
      return `json()${meta(m)}`;
    default:
      throw new Error(`unsupported type ${s.type}`);
  }
}

function outProperty(s, required) {
  let e = outExpr(s, { description: s.description, readOnly: s.readOnly || undefined });
  if (s.nullable) e += '.nullable()';
  if (!required) e += '.optional()';
  return e;
}

// ---------------------------------------------------------------------------------------------
// Request (input) schemas

const BLANK = (name) => Array.isArray(schemas[name]?.enum) && schemas[name].enum.length === 1 && schemas[name].enum[0] === '';
const NULL = (name) => Array.isArray(schemas[name]?.enum) && schemas[name].enum.length === 1 && schemas[name].enum[0] === null;

/** A writable `format: uri` string without maxLength is a Django FileField/ImageField (URLField has one). */
function isFile(s) {
  return s.type === 'string' && (s.format === 'uri' || s.format === 'binary') && s.maxLength === undefined;
}

const special = new Map(); // name -> notes about special cases, for the summary

/** Input schema expression for a writable property (without optional/nullable). */
function inExpr(s, m, ctx) {
  const ref = unwrapAllOf(s);
  if (ref) {
    const n = refName(ref);
    const k = kindOf.get(n);
    if (k === 'object') return refExpr(n, requestIdentOf.get(n) ?? identOf.get(n)) + meta(m);
    return refExpr(n, identOf.get(n)) + meta(m);
  }
  if (Array.isArray(s.oneOf) || Array.isArray(s.anyOf)) {
    const alts = (s.oneOf ?? s.anyOf).map((a) => inExpr(a, {}, ctx));
    return `z.union([${alts.join(', ')}])${meta(m)}`;
  }
  if (Array.isArray(s.enum)) return `z.enum(${lit(s.enum.filter((v) => typeof v === 'string'))})${meta(m)}`;
  switch (s.type) {
    case 'integer':
      return `int(${opts({ min: safeBound(s.minimum), max: safeBound(s.maximum) })})${meta({ format: INT_FORMATS.has(s.format) ? s.format : undefined, ...m })}`;
    case 'number':
      return `float()${meta(m)}`;
    case 'boolean':
      return `bool()${meta(m)}`;
    case 'array': {
      const it = s.items ?? {};
      let item;
      if (it.type === 'string' && !it.format && !it.enum) item = 'z.string()';
      else item = inExpr(it, {}, { ...ctx, optional: false });
      let e = `z.array(${item})`;
      if (s.minItems !== undefined) e += `.min(${s.minItems})`;
      if (s.maxItems !== undefined) e += `.max(${s.maxItems})`;
      return e + meta(m);
    }
    case 'object':
      if (s.properties) throw new Error('inline object schemas are not supported');
      return `z.record(z.string(), z.any())${meta(m)}`;
    case undefined:
      return `json()${meta(m)}`;
    case 'string':
      break;
    default:
      throw new Error(`unsupported type ${s.type}`);
  }
  const max = s.maxLength;
  switch (s.format) {
    case 'decimal':
      return `decimal(${opts(decimalDigits(s))})${meta(m)}`;
    case 'date-time':
      return `datetime()${meta(m)}`;
    case 'date':
      return `date()${meta(m)}`;
    case 'uuid':
      return `z.uuid()${meta(m)}`;
    case 'email':
    case 'uri': {
      if (isFile(s)) {
        ctx.note(`${ctx.prop}: file upload → file()`);
        return `file()${meta(m)}`;
      }
      const e = `${s.format === 'email' ? 'email' : 'url'}(${opts({ max })})`;
      // Optional model Email/URL fields are blank=True in Django, so DRF also accepts "".
      if (ctx.optional) {
        ctx.note(`${ctx.prop}: optional ${s.format} also accepts ''`);
        return `${e}.or(z.literal(''))${meta(m)}`;
      }
      return e + meta(m);
    }
    case 'binary':
      ctx.note(`${ctx.prop}: file upload → file()`);
      return `file()${meta(m)}`;
    default: {
      const min = s.minLength;
      let e = `str(${opts({ max, min: min || undefined, blank: min >= 1 ? undefined : true })})`;
      if (typeof s.pattern === 'string') {
        ctx.note(`${ctx.prop}: pattern ${s.pattern}`);
        e += `.regex(${regexLiteral(s.pattern)})`;
        // Document the reference's own pattern (zod-to-openapi mangles regexes with flags).
        return e + meta({ pattern: s.pattern, ...m });
      }
      return e + meta(m);
    }
  }
}

function inProperty(name, prop, s, required, allOptional) {
  if (s.readOnly) return `z.any()${meta({ description: s.description, readOnly: true })}.optional()`;
  const optional = allOptional || !required;
  const ctx = { prop, optional, note: (t) => special.set(name, [...(special.get(name) ?? []), t]) };
  let e = inExpr(s, { description: s.description, writeOnly: s.writeOnly || undefined }, ctx);
  const nullableOneOf = Array.isArray(s.oneOf) && s.oneOf.some((a) => a.$ref && NULL(refName(a.$ref)));
  if (s.nullable && !nullableOneOf) e += '.nullable()';
  if (optional) e += '.optional()';
  return e;
}

// ---------------------------------------------------------------------------------------------
// Emit

const BUILDERS = ['int', 'float', 'bool', 'str', 'email', 'url', 'decimal', 'decimalOut', 'datetime', 'date', 'json', 'file'];

/** Emitted lines per area; `lines` is the current area's. */
const linesOf = new Map();
let lines = [];
const counts = { enum: 0, object: 0, patched: 0, paginated: 0, other: 0 };

function objectBody(props) {
  if (props.length === 0) return 'z.object({})';
  return `z.object({\n${props.map(([k, e]) => `  ${key(k)}: ${leaf(e)},`).join('\n')}\n})`;
}

/**
 * Shared leaves. A file builds each distinct property schema once: a property expression made only
 * of zod and the field builders (no component, no description) that the file uses more than once is
 * declared as one const at the top of its file and reused. Schemas are immutable, so sharing an
 * instance changes neither validation nor the document; it cuts the schemas a module's first request
 * constructs (e.g. 292 copies of the readOnly placeholder become one per file).
 */
const leavesOf = new Map(); // file key -> Map(expr -> uses)
const SHAREABLE_IDENT = new Set(['z', 'true', 'false', 'null', 'undefined']);
function shareable(expr) {
  if (expr.includes('\n') || /\bz\.lazy\(/.test(expr) || /description:/.test(expr)) return false;
  const code = expr.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/(?:[^/\\\n]|\\.)+\/[a-z]*/g, '/r/');
  for (const m of code.matchAll(/(^|[^.\w$])([A-Za-z_$][\w$]*)(?![\w$])(?!\s*:)/g)) {
    const id = m[2];
    if (!SHAREABLE_IDENT.has(id) && !BUILDERS.includes(id)) return false;
  }
  return true;
}
function leaf(expr) {
  if (!shareable(expr)) return expr;
  if (!leavesOf.has(currentArea)) leavesOf.set(currentArea, new Map());
  const uses = leavesOf.get(currentArea);
  uses.set(expr, (uses.get(expr) ?? 0) + 1);
  return `⟦${expr}⟧`;
}
/** The area's body with its repeated leaves declared once (`f1`, `f2`... in order of first use). */
function withSharedLeaves(area, body) {
  const uses = leavesOf.get(area) ?? new Map();
  const names = new Map();
  for (const [expr, n] of uses) if (n > 1) names.set(expr, `f${names.size + 1}`);
  const out = body.replace(/⟦([^⟧]*)⟧/g, (_all, expr) => names.get(expr) ?? expr);
  if (!names.size) return out;
  const decls = [...names].map(([expr, name]) => `const ${name} = ${expr};`).join('\n');
  return `\n/** Property schemas this file uses more than once, each built once (see the generator). */\n${decls}\n${out}`;
}

function constDecl(name, ident, expr) {
  const annotation = cyclic.has(name) ? ': z.ZodType<any>' : '';
  return `export const ${ident}${annotation} = ${expr};`;
}

function regArgs(refId, description) {
  return description ? `${q(refId)}, ${lit({ description })}` : q(refId);
}

for (const name of order) {
  const s = schemas[name];
  const ident = identOf.get(name);
  const kind = kindOf.get(name);
  currentArea = areaOf.get(name);
  if (!linesOf.has(currentArea)) linesOf.set(currentArea, []);
  lines = linesOf.get(currentArea);
  lines.push('');
  if (kind === 'enum') {
    counts.enum++;
    let expr;
    if (BLANK(name)) expr = `z.literal('')`;
    else if (NULL(name)) expr = 'z.null()';
    else {
      const values = s.enum.filter((v) => v !== null);
      if (values.every((v) => typeof v === 'string')) expr = `z.enum(${lit(values)})`;
      else expr = `z.union([${values.map((v) => `z.literal(${lit(v)})`).join(', ')}])`;
      if (s.enum.includes(null)) expr += '.nullable()';
    }
    lines.push(constDecl(name, ident, `${expr}.openapi(${regArgs(name, s.description)})`));
  } else if (kind === 'paginated') {
    counts.paginated++;
    const item = refName(s.properties.results.items.$ref);
    lines.push(constDecl(name, ident, `paginated(${refExpr(item, identOf.get(item))}, ${q(name)})`));
  } else if (kind === 'object') {
    const props = Object.entries(s.properties ?? {});
    const required = new Set(s.required ?? []);
    const readOnly = props.filter(([, p]) => p.readOnly).map(([k]) => k);
    if (isPatched(name)) {
      counts.patched++;
      const inProps = props.map(([k, p]) => [k, inProperty(name, k, p, false, true)]);
      lines.push(`/** ${name}: partial-update body (every property optional). */`);
      lines.push(constDecl(name, ident, `${objectBody(inProps)}.openapi(${regArgs(name, s.description)})`));
    } else {
      counts.object++;
      const outProps = props.filter(([, p]) => !p.writeOnly).map(([k, p]) => [k, outProperty(p, required.has(k))]);
      lines.push(`/** ${name}: response shape. */`);
      lines.push(constDecl(name, ident, `${objectBody(outProps)}.openapi(${regArgs(name, s.description)})`));
      lines.push('');
      const inProps = props.map(([k, p]) => [k, inProperty(name, k, p, required.has(k) && !p.readOnly, false)]);
      const reqName = requestRefName(name);
      lines.push(`/** ${name}: request body (readOnly properties are accepted and ignored). */`);
      lines.push(
        `export const ${requestIdentOf.get(name)}${cyclic.has(name) ? ': z.ZodType<any>' : ''} = ${objectBody(inProps)}.openapi(${regArgs(reqName, s.description)});`,
      );
    }
    lines.push('');
    lines.push(`export const ${readOnlyIdentOf.get(name)} = ${lit(readOnly)} as const;`);
  } else {
    counts.other++;
    // Not an object/enum/pagination component: emit as response-only schema.
    lines.push(constDecl(name, ident, `${outExpr(s, { description: s.description })}.openapi(${q(name)})`));
  }
  emitted.add(name);
}

const source = relative(ROOT, INPUT).split('\\').join('/');
const doNotEdit = `/**
 * GENERATED FILE - DO NOT EDIT BY HAND.
 *
 * Generated by \`npm run gen:contract\` (scripts/gen-tamiti-contract.mjs) from the reference
 * OpenAPI document \`${source}\` (${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''}).
 * Change the generator or the reference and regenerate instead.`;

const PAGINATED = `
/** A DRF page-number paginated list of \`item\`. */
export function paginated<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      count: z.number().int(),
      next: z.string().openapi({ format: 'uri' }).nullable().optional(),
      previous: z.string().openapi({ format: 'uri' }).nullable().optional(),
      results: z.array(item),
    })
    .openapi(name);
}
`;

const areaFile = (area) => join(AREA_DIR, `${area}.gen.ts`);
/** The import specifier of a contract file (by key) from a directory. */
const specifier = (fromDir, key) => {
  const rel = relative(fromDir, join(AREA_DIR, `${key}.gen`))
    .split('\\')
    .join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
};
const areas = [...new Set([SHARED, ...linesOf.keys()])].sort();
/** Exported identifier -> file key (the codemod's map). */
const areaOfIdent = new Map([['paginated', SHARED]]);
const written = [];

rmSync(AREA_DIR, { recursive: true, force: true });
mkdirSync(AREA_DIR, { recursive: true });
for (const area of areas) {
  const file = areaFile(area);
  const dir = dirname(file);
  const body = withSharedLeaves(area, (linesOf.get(area) ?? []).join('\n'));
  for (const m of body.matchAll(/^export const (\w+)/gm)) areaOfIdent.set(m[1], area);
  const builders = BUILDERS.filter((b) => new RegExp(`(^|[^.\\w])${b}\\(`).test(body));
  const byFile = new Map();
  for (const [ident, from] of crossRefs.get(area) ?? []) byFile.set(from, [...(byFile.get(from) ?? []), ident]);
  if (area !== SHARED && /(^|[^.\w])paginated\(/.test(body)) byFile.set(SHARED, [...(byFile.get(SHARED) ?? []), 'paginated']);
  const imports = [
    /(^|[^.\w])z\./.test(body) ? `import { z } from '@hono/zod-openapi';` : '',
    builders.length
      ? `import { ${[...builders].sort().join(', ')} } from '${relative(dir, join(ROOT, 'src/core/fields')).split('\\').join('/')}';`
      : '',
    ...[...byFile]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([from, idents]) => `import { ${idents.sort().join(', ')} } from '${specifier(dir, from)}';`),
  ].filter(Boolean);
  const what =
    area === SHARED
      ? 'The components several product areas use, and the pagination envelope.'
      : area.includes('/')
        ? `The components only the \`${area.split('/')[1]}\` operations of the \`${area.split('/')[0]}\` area use.`
        : `The components several resources of the \`${area}\` area use.`;
  const text = `${doNotEdit}
 *
 * ${what}
 * Per object component X: \`X\` (response), \`XRequest\` (request body; readOnly properties
 * accepted and ignored), \`PatchedX\` (partial-update body, where the reference has one) and
 * \`X_READ_ONLY\`.
 */
/* eslint-disable */
${imports.join('\n')}
${area === SHARED ? PAGINATED : ''}${body}
`;
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  written.push([file, text.length]);
}

const barrel = `${doNotEdit}
 *
 * The whole contract, re-exported from its files (\`./tamiti/<area>.gen.ts\`,
 * \`./tamiti/<area>/<resource>.gen.ts\`). Importing it builds every schema: modules import the
 * files of what they use instead (\`npm run lint\` enforces it).
 */
${areas.map((a) => `export * from './${relative(dirname(OUTPUT), AREA_DIR)}/${a}.gen';`).join('\n')}
`;
mkdirSync(dirname(OUTPUT), { recursive: true });
writeFileSync(OUTPUT, barrel);

// ---------------------------------------------------------------------------------------------
// Codemod: imports of the contract under src/ and test/ (the barrel or any contract file) become
// imports of the files that define the names, one statement per file.

function* tsFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (path.endsWith('.ts') && path !== OUTPUT && !path.startsWith(AREA_DIR)) yield path;
  }
}

const barrelName = OUTPUT.split('/').pop().replace(/\.ts$/, '');
const contractDir = relative(dirname(OUTPUT), AREA_DIR);
const IMPORT = new RegExp(
  `import\\s+(type\\s+)?\\{([^}]*)\\}\\s*from\\s*'[./]*[^']*/(?:${barrelName.replace(/\./g, '\\.')}|${contractDir}/[\\w/-]+\\.gen)';\\n?`,
  'g',
);
const rewritten = [];
for (const file of [...tsFiles(join(ROOT, 'src')), ...tsFiles(join(ROOT, 'test'))]) {
  const before = readFileSync(file, 'utf8');
  /** Names by (type-only?, file key), in order of first import. */
  const wanted = new Map();
  let at = -1;
  const existing = [];
  const stripped = before.replace(IMPORT, (all, typeOnly, names, offset) => {
    if (at < 0) at = offset;
    existing.push(
      all
        .replace(/\s+/g, ' ')
        .replace(/,\s*\}/, ' }')
        .trim(),
    );
    for (const raw of names
      .split(',')
      .map((n) => n.trim())
      .filter(Boolean)) {
      const bare = raw.replace(/^type\s+/, '').split(/\s+as\s+/)[0];
      const key = areaOfIdent.get(bare);
      if (!key) throw new Error(`${relative(ROOT, file)}: ${bare} is not exported by the contract`);
      const slot = `${typeOnly ? 'type ' : ''}${key}`;
      if (!wanted.has(slot)) wanted.set(slot, new Set());
      wanted.get(slot).add(raw);
    }
    return '';
  });
  if (at < 0) continue;
  const statements = [...wanted]
    .sort(([a], [b]) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, '')))
    .map(([slot, names]) => {
      const typeOnly = slot.startsWith('type ');
      const key = slot.replace(/^type /, '');
      return `import ${typeOnly ? 'type ' : ''}{ ${[...names].sort((a, b) => a.replace(/^type /, '').localeCompare(b.replace(/^type /, ''))).join(', ')} } from '${specifier(dirname(file), key)}';\n`;
    })
    .join('');
  // Already the imports it would write (formatting aside): left as formatted.
  if (statements.trim().split('\n').join('|') === existing.join('|')) continue;
  const after = stripped.slice(0, at) + statements + stripped.slice(at);
  if (after !== before) {
    writeFileSync(file, after);
    rewritten.push(relative(ROOT, file));
  }
}

// The output in the repository's format (two passes: biome settles long chained calls in the second).
const biome = join(ROOT, 'node_modules/.bin/biome');
for (let pass = 0; pass < 2; pass++)
  execFileSync(biome, ['format', '--write', AREA_DIR, OUTPUT, ...rewritten.map((f) => join(ROOT, f))], { stdio: 'ignore' });

const total = Object.values(counts).reduce((a, b) => a + b, 0);
console.log(
  `wrote ${relative(ROOT, OUTPUT)} and ${written.length} files in ${relative(ROOT, AREA_DIR)}/ ` +
    `(${written.map(([f, n]) => `${relative(AREA_DIR, f)} ${n} bytes`).join(', ')}): ${total} components: ` +
    `${counts.object} objects (+Request), ${counts.patched} Patched, ${counts.enum} enums, ${counts.paginated} paginated` +
    (counts.other ? `, ${counts.other} other` : '') +
    (cyclic.size ? `; cyclic (z.lazy): ${[...cyclic].join(', ')}` : ''),
);
if (rewritten.length) console.log(`rewrote the contract imports of ${rewritten.length} files: ${rewritten.join(', ')}`);
if (process.env.GEN_VERBOSE) for (const [n, notes] of [...special].sort()) console.log(`  ${n}: ${notes.join('; ')}`);
