/**
 * Contract-driven robustness and security suite: reads the Worker's own /api/schema/ and, for every
 * operation, checks authentication, hostile input and response shapes, so a route is covered the
 * day it is added. Summary printed at the end.
 */
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { limitedApi, validate } from '../helpers/contract';
import { api, makeUser, type TestUser } from '../helpers';

const SLOW = 300_000;

type Op = { method: string; path: string; op: any };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const UUID = '00000000-0000-4000-8000-000000000000';
const stats = {
  operations: 0,
  calls: 0,
  invalidInputs: 0,
  boundaryCalls: 0,
  /** 2xx responses validated against a documented schema. */
  schemaChecked: 0,
  fiveHundreds: [] as string[],
  leaks: [] as string[],
  shapeErrors: [] as string[],
};

let doc: any;
const ops: Op[] = [];
let staff: TestUser;
let admin: TestUser;

const family = (path: string) => (path.startsWith('/api/user/') || path.startsWith('/api/workspace/') ? 'workspace' : 'tamiti');
const concrete = (path: string, id = '1') =>
  path.replace(/\{[^}]+\}/g, (m) =>
    family(path) === 'workspace' && !/^\d+$/.test(id)
      ? id
      : /uuid|workspace|branch|space|member|booking/i.test(m) && family(path) === 'workspace'
        ? UUID
        : id,
  );
const protectedOp = (o: Op) =>
  Array.isArray(o.op.security) &&
  o.op.security.some((s: object) => Object.keys(s).length > 0) &&
  !o.op.security.some((s: object) => Object.keys(s).length === 0);
const skip = (o: Op) => o.path.includes('/ws/') || o.path.startsWith('/api/dev/');

/** A call that never answers is a failure of its own, not a hung suite. */
async function call(o: Op, label: string, path: string, opts: Parameters<typeof api>[1], fetcher = api) {
  let timer: any;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 15_000)));
  const res = await Promise.race([fetcher(path, opts), timeout]);
  clearTimeout(timer);
  if (!res) {
    stats.fiveHundreds.push(`${o.method.toUpperCase()} ${o.path} [${label}]: no answer within 15 s`);
    return undefined;
  }
  record(o, label, res);
  return res;
}

/** Records a call's outcome: 5xx, leaked secrets, error-shape problems, schema mismatches on 2xx. */
function record(o: Op, label: string, res: Awaited<ReturnType<typeof api>>) {
  stats.calls++;
  const where = `${o.method.toUpperCase()} ${o.path} [${label}] -> ${res.status}`;
  if (res.status >= 500) stats.fiveHundreds.push(`${where}: ${res.text.slice(0, 200)}`);
  if (/pbkdf2_sha256\$|test-secret-do-not-use-in-production/.test(res.text)) stats.leaks.push(where);
  if (!res.headers.get('x-content-type-options') || !res.headers.get('x-request-id'))
    stats.shapeErrors.push(`${where}: missing security headers`);
  if (res.status >= 400 && res.status < 500) {
    const body = res.json;
    const ok =
      body &&
      typeof body === 'object' &&
      (family(o.path) === 'workspace'
        ? body.success === false || typeof body.detail === 'string'
        : typeof body.detail === 'string' ||
          typeof body.error === 'string' ||
          Object.values(body).every((v) => Array.isArray(v) || (v && typeof v === 'object') || typeof v === 'string'));
    if (!ok) stats.shapeErrors.push(`${where}: error body not in the family's shape: ${res.text.slice(0, 160)}`);
  }
  if (res.status >= 200 && res.status < 300 && res.json !== undefined) {
    const schema = o.op.responses?.[String(res.status)]?.content?.['application/json']?.schema;
    if (schema) {
      stats.schemaChecked++;
      const errors = validate(doc, schema, res.json);
      if (errors.length)
        stats.shapeErrors.push(`${where}: response does not match its documented schema: ${errors.slice(0, 3).join('; ')}`);
    }
  }
}

function requestSchema(o: Op): any {
  const s = o.op.requestBody?.content?.['application/json']?.schema;
  if (!s) return undefined;
  if (s.$ref) return doc.components.schemas[s.$ref.split('/').pop()];
  return s;
}

const hostile = [
  '',
  ' ',
  "' OR '1'='1",
  '1; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '😀'.repeat(50),
  'x'.repeat(20000),
  '%00',
  '../../etc/passwd',
  '-1',
  '1e309',
  'null',
  '{}',
];
const wrongTypes = [
  null,
  true,
  -1,
  1.5,
  2 ** 53,
  'not-a-number',
  [],
  [1, 'a'],
  { nested: { deep: true } },
  'x'.repeat(5000),
  '2024-13-45',
  '\u0000',
];

/**
 * Boundary values for query parameters (issue 14, finding 10): search-like strings from 0 to 10,000
 * characters around D1's 50-byte LIKE limit, with `%`, `_`, quotes and non-ASCII; ordering keys that
 * are property names of `Object.prototype`; page numbers and sizes around and beyond 2^53 and 2^64.
 */
const BOUNDARY_STRINGS = [
  ...[0, 1, 48, 49, 50, 51, 255, 1000, 10_000].map((n) => 'a'.repeat(n)),
  '%'.repeat(60),
  '_'.repeat(60),
  "'".repeat(60),
  '"'.repeat(60),
  'é'.repeat(30),
  '😀'.repeat(20),
  `100% a_b 'q' "d" ü \\ ${'ß'.repeat(40)}`,
];
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype);
const BOUNDARY_ORDERINGS = [...PROTOTYPE_KEYS, ...PROTOTYPE_KEYS.map((k) => `-${k}`), PROTOTYPE_KEYS.join(',')];
const BOUNDARY_NUMBERS = [
  '0',
  '-1',
  '1.5',
  '1e309',
  'last',
  '9007199254740992',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551616',
  '99999999999999999999',
  '9'.repeat(400),
];

/** The boundary values sent to one query parameter, alone (ids and numbers of filters overflow too). */
function boundaryValues(param: string): string[] {
  if (param === 'page' || param === 'page_size') return BOUNDARY_NUMBERS;
  if (param === 'ordering') return [...BOUNDARY_ORDERINGS, ...BOUNDARY_STRINGS];
  return [...BOUNDARY_STRINGS, ...BOUNDARY_NUMBERS];
}

/** Deterministic invalid bodies for an operation: each property mutated, plus junk bodies. */
function invalidBodies(o: Op): unknown[] {
  const schema = requestSchema(o);
  const props = Object.keys(schema?.properties ?? {});
  const bodies: unknown[] = [{}, [], 'text', 42, null];
  const gen = fc.record(Object.fromEntries(props.map((p) => [p, fc.constantFrom(...wrongTypes, ...hostile)])), {
    requiredKeys: [],
  });
  bodies.push(...fc.sample(gen, { numRuns: 8, seed: o.path.length * 31 + o.method.length }));
  props.forEach((p, i) => {
    bodies.push({ [p]: wrongTypes[(i + o.path.length) % wrongTypes.length] });
  });
  return bodies;
}

beforeAll(async () => {
  doc = (await api('/api/schema/')).json;
  for (const [path, item] of Object.entries<any>(doc.paths))
    for (const m of METHODS) if (item[m]) ops.push({ method: m, path, op: item[m] });
  stats.operations = ops.length;
  staff = await makeUser({ prefix: 'contract' });
  admin = await makeUser({ role: 'Admin', prefix: 'contractadmin' });
}, SLOW);

describe('contract suite over every documented operation', () => {
  it('documents a sensible number of operations, each with an operationId and a 2xx response', () => {
    expect(ops.length).toBeGreaterThan(300);
    for (const o of ops) {
      expect(o.op.operationId, `${o.method} ${o.path}`).toBeTruthy();
      expect(
        Object.keys(o.op.responses).some((c) => c.startsWith('2') || c === '101'),
        `${o.method} ${o.path}`,
      ).toBe(true);
    }
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
  });

  it(
    'anonymous calls to protected operations get 401',
    async () => {
      const failures: string[] = [];
      const protectedOps = ops.filter((x) => protectedOp(x) && !skip(x));
      let checked = 0;
      for (const o of protectedOps) {
        const res = await api(concrete(o.path), {
          method: o.method.toUpperCase(),
          body: ['post', 'put', 'patch'].includes(o.method) ? {} : undefined,
        });
        record(o, 'anonymous', res);
        checked++;
        if (res.status !== 401) failures.push(`${o.method.toUpperCase()} ${o.path} -> ${res.status}`);
      }
      expect(failures, failures.join('\n')).toEqual([]);
      // Most of the API is protected: an empty or short list would prove nothing.
      expect(protectedOps.length, 'protected operations found in the document').toBeGreaterThan(ops.length / 2);
      expect(checked).toBe(protectedOps.length);
    },
    SLOW,
  );

  it(
    'bad tokens (garbage, alg none, refresh as access) get 401 on every protected GET',
    async () => {
      const none = `${btoa(JSON.stringify({ alg: 'none' })).replace(/=+$/, '')}.${staff.token.split('.')[1]}.`;
      const failures: string[] = [];
      const gets = ops.filter((x) => protectedOp(x) && x.method === 'get' && !skip(x));
      let checked = 0;
      for (const o of gets) {
        for (const token of ['garbage', none]) {
          const res = await api(concrete(o.path), { token });
          record(o, 'bad-token', res);
          checked++;
          if (res.status !== 401) failures.push(`${o.path} -> ${res.status}`);
        }
      }
      expect(failures, failures.join('\n')).toEqual([]);
      expect(gets.length, 'protected GETs found in the document').toBeGreaterThan(100);
      expect(checked).toBe(gets.length * 2);
    },
    SLOW,
  );

  it(
    'hostile bodies never cause a 5xx and errors keep the family shape',
    async () => {
      const writes = ops.filter((x) => ['post', 'put', 'patch'].includes(x.method) && !skip(x));
      let sent = 0;
      for (const o of writes) {
        for (const user of [staff, admin]) {
          for (const body of invalidBodies(o)) {
            stats.invalidInputs++;
            sent++;
            await call(o, `body ${JSON.stringify(body).slice(0, 60)}`, concrete(o.path), {
              method: o.method.toUpperCase(),
              token: protectedOp(o) ? user.token : undefined,
              body: JSON.stringify(body),
              headers: { 'content-type': 'application/json' },
            });
          }
        }
      }
      expect(stats.fiveHundreds, stats.fiveHundreds.join('\n')).toEqual([]);
      // Every write got at least the five junk bodies, as each user.
      expect(writes.length, 'write operations found in the document').toBeGreaterThan(100);
      expect(sent).toBeGreaterThanOrEqual(writes.length * 2 * 5);
    },
    SLOW,
  );

  it(
    'hostile path ids and query parameters never cause a 5xx',
    async () => {
      const ids = ['abc', '0', '-1', '99999999999999999999', '1%27%20OR%20%271%27%3D%271', '%00', UUID, 'not-a-uuid'];
      let withId = 0;
      let queried = 0;
      for (const o of ops.filter((x) => !skip(x))) {
        const params = (o.op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
        if (o.path.includes('{')) {
          withId++;
          for (const id of ids) {
            stats.invalidInputs++;
            await call(o, `id ${id}`, concrete(o.path, id), {
              method: o.method.toUpperCase(),
              token: admin.token,
              body: ['post', 'put', 'patch'].includes(o.method) ? {} : undefined,
            });
          }
        } else if (o.method === 'get') {
          queried++;
          for (const value of hostile) {
            const qs = new URLSearchParams(
              Object.fromEntries([...params, 'search', 'ordering', 'page', 'page_size'].map((p: string) => [p, value])),
            );
            stats.invalidInputs++;
            await call(o, `query ${value.slice(0, 20)}`, `${o.path}?${qs}`, { token: staff.token });
          }
          await call(o, 'plain', o.path, { token: staff.token });
        }
      }
      expect(stats.fiveHundreds, stats.fiveHundreds.join('\n')).toEqual([]);
      // Both halves ran over a real share of the document.
      expect(withId, 'operations with a path id').toBeGreaterThan(100);
      expect(queried, 'GETs without a path id').toBeGreaterThan(40);
    },
    SLOW,
  );

  it(
    'boundary query values on every documented list (long searches, prototype orderings, 64-bit pages) never cause a 5xx',
    async () => {
      // Real parents for lists under a path id, so that the query itself runs (a made-up id stops at a 404).
      const made = async (path: string, body: Record<string, unknown>) => {
        const res = await api(path, { token: admin.token, body });
        if (res.status >= 300) throw new Error(`fixture ${path} -> ${res.status}: ${res.text}`);
        return res.json;
      };
      const project = await made('/api/projects/', { name: 'Boundary', start_date: '2025-01-01', due_date: '2099-01-01' });
      const channel = await made('/api/chat/channels/', { name: `boundary-${Date.now()}`, type: 'public' });
      const thread = await made('/api/chat/direct-threads/', { user_2: staff.id });
      const workspace = (await made('/api/workspace/workspaces/create/', { name: `Boundary ${Date.now()}`, address: 'x' })).data
        .workspace_id;
      const branch = (await made('/api/workspace/branches/create/', { workspace_id: workspace, name: 'B', address: 'x' })).data
        .id;
      const space = (
        await made('/api/workspace/spaces/create/', {
          branch_id: branch,
          name: 'S',
          space_type: 'meeting_room',
          capacity: 4,
          hourly_rate: 10,
        })
      ).data.id;
      const fixture = (path: string): string | undefined => {
        const ids: Record<string, string> = {
          project_id: String(project.id),
          workspace_id: workspace,
          branch_id: branch,
          space_id: space,
        };
        if (path.startsWith('/api/chat/channels/')) ids.id = String(channel.id);
        if (path.startsWith('/api/chat/direct-threads/')) ids.id = String(thread.id);
        let missing = false;
        const out = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
          if (!ids[name]) missing = true;
          return ids[name] ?? '';
        });
        return missing ? undefined : out;
      };

      const lists = ops.filter(
        (x) =>
          x.method === 'get' &&
          !skip(x) &&
          ((x.op.parameters ?? []).some((p: any) => p.in === 'query') || x.op.operationId.endsWith('_list')),
      );
      let listsCalled = 0;
      for (const o of lists) {
        const path = fixture(o.path);
        if (!path) continue;
        listsCalled++;
        const documented: string[] = (o.op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
        const isList = documented.includes('page') || o.op.operationId.endsWith('_list');
        const params = [...new Set([...documented, ...(isList ? ['search', 'ordering', 'page', 'page_size'] : [])])];
        const calls = params.flatMap((param) => boundaryValues(param).map((value) => ({ param, value })));
        // A few at a time: the Worker runs in this isolate, so D1 round trips overlap.
        for (let i = 0; i < calls.length; i += 8) {
          await Promise.all(
            calls.slice(i, i + 8).map(({ param, value }) => {
              stats.boundaryCalls++;
              const qs = new URLSearchParams({ [param]: value });
              return call(
                o,
                `${param}=${value.slice(0, 24)}${value.length > 24 ? `…(${value.length})` : ''}`,
                `${path}?${qs}`,
                { token: admin.token },
                limitedApi,
              );
            }),
          );
        }
      }
      expect(listsCalled, 'lists with their parents made').toBeGreaterThan(40);
      expect(stats.boundaryCalls).toBeGreaterThan(1000);
      expect(stats.fiveHundreds, stats.fiveHundreds.join('\n')).toEqual([]);
    },
    SLOW,
  );

  it('no password hash or secret ever appears in a response; every response has security headers; every 2xx matches its schema', () => {
    // The figures come from the tests above (run in order): with none of them run, nothing was checked.
    expect(stats.calls, 'responses checked by the tests above').toBeGreaterThan(10_000);
    expect(stats.schemaChecked, '2xx responses checked against their schema').toBeGreaterThan(1000);
    expect(stats.leaks, stats.leaks.join('\n')).toEqual([]);
    expect(stats.shapeErrors, stats.shapeErrors.slice(0, 40).join('\n')).toEqual([]);
    console.log(
      `contract suite: ${stats.operations} operations, ${stats.calls} calls, ${stats.invalidInputs} invalid inputs tried, ` +
        `${stats.schemaChecked} 2xx checked against their schema, ${stats.boundaryCalls} boundary query calls (search 0-10,000 chars, Object.prototype orderings, 64-bit pages), ` +
        `${stats.fiveHundreds.length} 5xx, ${stats.leaks.length} leaks, ${stats.shapeErrors.length} shape errors`,
    );
  });
});

export { env };
