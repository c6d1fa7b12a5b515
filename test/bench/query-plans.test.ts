/**
 * Query plans of the benchmark scenarios' lists, searches and filters (issue 10). Each check sends
 * a real request through the Worker with a D1 binding that records every statement, then runs
 * `EXPLAIN QUERY PLAN` on the recorded statements: the filtered table must be reached through an
 * index, never by a bare `SCAN <table>`. Round trips are counted too: a page costs the same number
 * of D1 calls whatever its size (no query per row). This is a plan check, not a benchmark: the
 * benchmark itself is `npm run bench` and never runs here.
 *
 * A `?search=` on leads goes through the `leads_search` FTS5 trigram index (terms of three
 * characters or more; shorter ones are an `instr` substring test no B-tree index can serve): the
 * search check asserts the index finds the rows and the count and page travel in one D1 batch.
 */
import { eq } from 'drizzle-orm';
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import type { BatchItem } from 'drizzle-orm/batch';
import { drizzle } from 'drizzle-orm/d1';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { leadActions, leads, zones } from '../../src/db/schema/field';
import { invoices, parties } from '../../src/db/schema/finance';
import { projects } from '../../src/db/schema/projects';
import { tasks } from '../../src/db/schema/tasks';
import { workspaceBranches, workspaceMembers, workspaceSpaces, workspaces } from '../../src/db/schema/workspace';
import { chatChannelMembers, chatChannelMessages, chatChannels } from '../../src/db/schema/chat';
import { bookings } from '../../src/db/schema/bookings';
import type { Bindings } from '../../src/env';
import { makeUser, type TestUser } from '../helpers';

interface Recorded {
  sql: string;
  params: unknown[];
}

/**
 * A D1 binding that passes everything through to `d1` and records each statement it runs, and
 * each round trip (a statement run on its own, or one batch).
 */
function recordingD1(d1: D1Database) {
  const statements: Recorded[] = [];
  const batches: Recorded[][] = [];
  let roundTrips = 0;
  const originals = new WeakMap<object, { stmt: D1PreparedStatement; rec: Recorded }>();
  const wrap = (stmt: D1PreparedStatement, rec: Recorded): D1PreparedStatement => {
    const run =
      <K extends 'all' | 'raw' | 'first' | 'run'>(method: K) =>
      (...args: unknown[]) => {
        roundTrips++;
        statements.push(rec);
        return (stmt[method] as (...a: unknown[]) => unknown)(...args);
      };
    const proxy = {
      bind: (...params: unknown[]) => wrap(stmt.bind(...params), { sql: rec.sql, params }),
      all: run('all'),
      raw: run('raw'),
      first: run('first'),
      run: run('run'),
    } as unknown as D1PreparedStatement;
    originals.set(proxy, { stmt, rec });
    return proxy;
  };
  const db = {
    prepare: (sql: string) => wrap(d1.prepare(sql), { sql, params: [] }),
    batch: (list: D1PreparedStatement[]) => {
      roundTrips++;
      // The caller's authorization guard rides the first batch (src/db/session.ts); it is not the scenario's SQL.
      const recs = list
        .map((s) => originals.get(s)?.rec ?? { sql: '?', params: [] })
        .filter((r) => !r.sql.includes('auth_guard'));
      batches.push(recs);
      statements.push(...recs);
      return d1.batch(list.map((s) => originals.get(s)?.stmt ?? s));
    },
    exec: (sql: string) => {
      roundTrips++;
      return d1.exec(sql);
    },
    dump: () => d1.dump(),
  } as unknown as D1Database;
  return { db, statements, batches, roundTrips: () => roundTrips };
}

/** Sends a request through the Worker with the recording D1; returns the response and what D1 saw. */
async function traced(path: string, opts: { token: string; method?: string; body?: unknown }) {
  const rec = recordingD1(env.DB);
  const ctx = createExecutionContext();
  const headers: Record<string, string> = { authorization: `Bearer ${opts.token}`, 'cf-connecting-ip': '10.200.0.1' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await worker.fetch(
    new Request(`https://api.test${path}`, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }),
    { ...(env as Bindings), DB: rec.db },
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, text, ...rec };
}

type PlanRow = { detail: string };

async function planOf(stmt: Recorded): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${stmt.sql}`)
    .bind(...stmt.params)
    .all<PlanRow>();
  return results.map((r) => r.detail);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The names a statement uses for `table`: the table itself and its aliases (`bookings c`, `"bookings" AS "o"`). */
function namesOf(sql: string, table: string): string[] {
  const names = new Set([table]);
  const re = new RegExp(`["\`]?${escapeRe(table)}["\`]?\\s+(?:AS\\s+)?["\`]?(\\w+)["\`]?`, 'gi');
  const keywords = new Set([
    'where',
    'on',
    'set',
    'inner',
    'left',
    'join',
    'order',
    'group',
    'limit',
    'values',
    'select',
    'as',
    'using',
    'union',
    'and',
    'or',
  ]);
  for (const m of sql.matchAll(re)) if (!keywords.has(m[1].toLowerCase())) names.add(m[1]);
  return [...names];
}

const mentions = (sql: string, table: string) => new RegExp(`["\`\\s(,]${escapeRe(table)}["\`\\s),]`, 'i').test(` ${sql} `);

/**
 * Checks the plans of every recorded statement that reads `table`: no bare scan of it, and at
 * least one index (or primary key) access to it. Returns the plans for the failure message.
 */
async function expectIndexed(recorded: Recorded[], table: string) {
  const relevant = recorded.filter((s) => /^\s*(select|with|insert|update|delete)/i.test(s.sql) && mentions(s.sql, table));
  expect(relevant.length, `no statement read ${table}`).toBeGreaterThan(0);
  const report: string[] = [];
  let bare = false;
  let indexed = false;
  for (const stmt of relevant) {
    const plan = await planOf(stmt);
    const names = namesOf(stmt.sql, table);
    for (const line of plan) {
      const m = /^(SCAN|SEARCH) (\S+)(.*)$/.exec(line);
      if (!m || !names.includes(m[2])) continue;
      if (/USING (COVERING )?INDEX|USING (INTEGER )?PRIMARY KEY/.test(m[3])) indexed = true;
      else if (m[1] === 'SCAN') bare = true;
    }
    report.push(`${stmt.sql}\n  -> ${plan.join('\n  -> ')}`);
  }
  const detail = `plans for ${table}:\n${report.join('\n')}`;
  expect(bare, `bare SCAN of ${table}\n${detail}`).toBe(false);
  expect(indexed, `no index used on ${table}\n${detail}`).toBe(true);
}

const db = drizzle(env.DB);

/** Inserts rows one statement each, in one batch (D1 allows 100 bound values per statement). */
async function insertEach<T extends SQLiteTable>(table: T, rows: T['$inferInsert'][]) {
  const stmts = rows.map((row) => db.insert(table).values(row));
  await db.batch(stmts as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}
let staff: TestUser;
let other: TestUser;
const ids = { zone: 0, party: 0, project: 0, channel: 0, workspace: '', branch: '', space: '' };

beforeAll(async () => {
  [staff, other] = await Promise.all([
    makeUser({ role: 'Staff', prefix: 'plans' }),
    makeUser({ role: 'Staff', prefix: 'plans_other' }),
  ]);
  const [zone] = await db.insert(zones).values({ name: 'Plan zone' }).returning({ id: zones.id });
  ids.zone = zone.id;
  await insertEach(
    leads,
    Array.from({ length: 30 }, (_, i) => ({
      business_name: `Golden Plans ${i}`,
      contact_phone: `+2567000000${String(i).padStart(2, '0')}`,
      stage: (['prospect', 'won'] as const)[i % 2],
      zone: zone.id,
      assigned_rep: i % 3 ? staff.id : other.id,
    })),
  );
  const leadRows = await db.select({ id: leads.id }).from(leads).where(eq(leads.zone, zone.id)).limit(5);
  await insertEach(
    leadActions,
    leadRows.map((l) => ({ type: 'call' as const, lead: l.id, created_by: staff.id })),
  );
  const [party] = await db.insert(parties).values({ name: 'Plan party', type: 'client' }).returning({ id: parties.id });
  ids.party = party.id;
  await insertEach(
    invoices,
    Array.from({ length: 10 }, (_, i) => ({
      number: `PLAN-${crypto.randomUUID()}-${i}`,
      party: party.id,
      direction: 'outgoing' as const,
      total_amount: '100.00',
      issued_date: '2026-01-01',
      due_date: '2026-02-01',
    })),
  );
  const [project] = await db
    .insert(projects)
    .values({ name: 'Plan project', start_date: '2026-01-01', due_date: '2026-12-31', created_by: staff.id })
    .returning({ id: projects.id });
  ids.project = project.id;
  await insertEach(
    tasks,
    Array.from({ length: 25 }, (_, i) => ({ title: `Plan task ${i}`, project: project.id, created_by: staff.id, position: i })),
  );
  const [channel] = await db
    .insert(chatChannels)
    .values({ name: `plans-${crypto.randomUUID()}`, created_by: staff.id })
    .returning({ id: chatChannels.id });
  ids.channel = channel.id;
  await db.insert(chatChannelMembers).values([
    { channel: channel.id, user: staff.id },
    { channel: channel.id, user: other.id },
  ]);
  await insertEach(
    chatChannelMessages,
    Array.from({ length: 30 }, (_, i) => ({ channel: channel.id, sender: other.id, content: `hello ${i}` })),
  );
  ids.workspace = crypto.randomUUID();
  await db.insert(workspaces).values({ id: ids.workspace, name: `Plan workspace ${crypto.randomUUID()}`, admin_id: staff.id });
  await db.insert(workspaceMembers).values([
    { workspace_id: ids.workspace, user_id: staff.id, role: 'admin' },
    { workspace_id: ids.workspace, user_id: other.id, role: 'user' },
  ]);
  ids.branch = crypto.randomUUID();
  await db.insert(workspaceBranches).values({ id: ids.branch, workspace_id: ids.workspace, name: 'Plan branch' });
  await insertEach(
    workspaceSpaces,
    Array.from({ length: 8 }, (_, i) => ({
      branch_id: ids.branch,
      name: `Room ${i}`,
      space_type: 'meeting_room' as const,
      capacity: 4,
      price_per_hour: '10.00',
    })),
  );
  const [space] = await db
    .select({ id: workspaceSpaces.id })
    .from(workspaceSpaces)
    .where(eq(workspaceSpaces.branch_id, ids.branch))
    .limit(1);
  ids.space = space.id;
  const hour = 3_600_000;
  const base = Math.ceil(Date.now() / hour) * hour + 48 * hour;
  await insertEach(
    bookings,
    Array.from({ length: 10 }, (_, i) => ({
      space_id: ids.space,
      workspace_id: ids.workspace,
      user_id: other.id,
      booking_type: 'hourly' as const,
      start: new Date(base + i * 2 * hour).toISOString(),
      end: new Date(base + (i * 2 + 1) * hour).toISOString(),
      price_unit: 'hour' as const,
      quantity: 1,
      unit_price: '10.00',
      subtotal: '10.00',
      total: '10.00',
    })),
  );
});

describe('leads', () => {
  it('the list page and its count use an index (leads by -created_at, live rows only)', async () => {
    const res = await traced('/api/field/leads/?page_size=20', { token: staff.token });
    expect(res.status, res.text).toBe(200);
    await expectIndexed(res.statements, 'leads');
  });

  for (const [filter, value] of [
    ['stage', () => 'won'],
    ['assigned_rep', () => String(staff.id)],
    ['zone', () => String(ids.zone)],
  ] as const) {
    it(`filtered by ${filter}: page and count use an index`, async () => {
      const res = await traced(`/api/field/leads/?page_size=20&${filter}=${value()}`, { token: staff.token });
      expect(res.status, res.text).toBe(200);
      expect(JSON.parse(res.text).count).toBeGreaterThan(0);
      await expectIndexed(res.statements, 'leads');
    });
  }

  it('a page costs the same D1 round trips whatever its size (count and page in one batch, actions in one query)', async () => {
    const small = await traced('/api/field/leads/?page_size=2', { token: staff.token });
    const large = await traced('/api/field/leads/?page_size=20', { token: staff.token });
    expect(JSON.parse(large.text).results).toHaveLength(20);
    expect(large.roundTrips()).toBe(small.roundTrips());
  });

  it('search goes through the trigram index (no bare scan of leads) and sends its count and page in one round trip', async () => {
    const res = await traced('/api/field/leads/?page_size=20&search=golden', { token: staff.token });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).count).toBe(30);
    const both = res.batches.find((b) => b.filter((s) => /leads_search/.test(s.sql) && /\bmatch\b/i.test(s.sql)).length >= 2);
    expect(both, `batches: ${JSON.stringify(res.batches.map((b) => b.map((s) => s.sql)))}`).toBeDefined();
    expect(both!.some((s) => /count\(/i.test(s.sql))).toBe(true);
    expect(res.roundTrips()).toBe(1);
    await expectIndexed(both!, 'leads');
  });
});

describe('finance, tasks, workspaces, chat, bookings', () => {
  it('invoices filtered by party use an index', async () => {
    const res = await traced(`/api/finance/invoices/?party=${ids.party}`, { token: staff.token });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).count).toBe(10);
    await expectIndexed(res.statements, 'finance_invoices');
  });

  it("a project's tasks use an index", async () => {
    const res = await traced(`/api/tasks/?project=${ids.project}`, { token: staff.token });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).count).toBe(25);
    await expectIndexed(res.statements, 'tasks');
  });

  it("a branch's spaces use an index", async () => {
    const res = await traced(`/api/workspace/spaces/?branch_id=${ids.branch}`, { token: staff.token });
    expect(res.status, res.text).toBe(200);
    await expectIndexed(res.statements, 'workspace_spaces');
  });

  it('a workspace with its hierarchy reads branches, spaces and members through indexes', async () => {
    const res = await traced(`/api/workspace/workspaces/${ids.workspace}/`, { token: staff.token });
    expect(res.status, res.text).toBe(200);
    for (const table of ['workspace_branches', 'workspace_members', 'workspace_spaces'])
      await expectIndexed(res.statements, table);
  });

  it("the dashboard KPIs count the user's leads, tasks and projects through indexes", async () => {
    const res = await traced('/api/dashboard/kpis/', { token: staff.token });
    expect(res.status, res.text).toBe(200);
    for (const table of ['leads', 'tasks', 'projects']) await expectIndexed(res.statements, table);
  });

  it("a channel's messages use an index", async () => {
    const res = await traced(`/api/chat/channel-messages/?channel=${ids.channel}`, { token: staff.token });
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).count).toBe(30);
    await expectIndexed(res.statements, 'chat_channel_messages');
  });

  it("a space's bookings in a time window use an index", async () => {
    const from = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 30 * 24 * 3_600_000).toISOString();
    const res = await traced(`/api/workspace/bookings/?space_id=${ids.space}&from=${from}&to=${to}`, { token: staff.token });
    expect(res.status, res.text).toBe(200);
    await expectIndexed(res.statements, 'bookings');
  });

  it('booking create checks the slot through an index', async () => {
    const start = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 24 * 3_600_000;
    const res = await traced('/api/workspace/bookings/create/', {
      token: staff.token,
      method: 'POST',
      body: {
        space_id: ids.space,
        booking_type: 'hourly',
        start: new Date(start).toISOString(),
        end: new Date(start + 3_600_000).toISOString(),
      },
    });
    expect(res.status, res.text).toBe(201);
    await expectIndexed(res.statements, 'bookings');
  });
});
