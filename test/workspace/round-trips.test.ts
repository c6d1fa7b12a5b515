/**
 * Round trips of the workspace family (issue 16): every operation of /api/workspace/ (bookings
 * aside: their own test) and /api/user/, over real data, through a D1 binding that counts round
 * trips (the authorization guard rides the first one). Budget: a GET is ONE round trip, a write at
 * most TWO (its checks, then one batch with the write and the read-back). Exceptions are listed
 * with their reason in EXCEPTIONS. The table is printed.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, countingD1, expectStatus } from '../helpers';
import { createBranch, createSpace, createWorkspace, PASSWORD, uniq, type World, world, wsUser } from './helpers';

interface Op {
  name: string;
  method: string;
  path: string;
  token?: string;
  body?: Record<string, unknown>;
  status: number;
}

/**
 * Operations over budget, with the measured figure and why. None today: registration and sign-in
 * (users/service.ts, users/tokens.ts) cost two round trips like any write (the email check or the
 * account read, then one batch with the user or the session).
 */
const EXCEPTIONS: Record<string, { budget: number; reason: string }> = {};

const rows: { op: string; trips: number; budget: number }[] = [];

async function measure(op: Op) {
  const DB = countingD1();
  const res = await api(op.path, { method: op.method, token: op.token, body: op.body, env: { ...env, DB } });
  expectStatus(res, op.status);
  const key = `${op.method} ${op.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}').replace(/\?.*$/, '')}`;
  const budget = EXCEPTIONS[`${op.method} ${op.path}`]?.budget ?? (op.method === 'GET' ? 1 : 2);
  rows.push({ op: `${op.name} (${key})`, trips: DB.trips, budget });
  return { trips: DB.trips, budget, res };
}

describe('workspace family round trips', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 60_000);

  it('every GET is one round trip, auth included', async () => {
    const a = w.admin.token;
    const gets: Op[] = [
      { name: 'workspaces list', method: 'GET', path: '/api/workspace/workspaces/', token: a, status: 200 },
      {
        name: 'workspace hierarchy',
        method: 'GET',
        path: `/api/workspace/workspaces/${w.workspaceId}/`,
        token: w.staff.token,
        status: 200,
      },
      {
        name: 'branches (seed)',
        method: 'GET',
        path: `/api/workspace/branches/?workspace_id=${w.workspaceId}`,
        token: a,
        status: 200,
      },
      {
        name: 'branches (original)',
        method: 'GET',
        path: `/api/workspace/workspaces/${w.workspaceId}/branches/`,
        token: a,
        status: 200,
      },
      {
        name: 'branch detail',
        method: 'GET',
        path: `/api/workspace/branches/${w.branchId}/`,
        token: w.member.token,
        status: 200,
      },
      { name: 'spaces (seed)', method: 'GET', path: `/api/workspace/spaces/?branch_id=${w.branchId}`, token: a, status: 200 },
      { name: 'spaces (original)', method: 'GET', path: `/api/workspace/branches/${w.branchId}/spaces/`, token: a, status: 200 },
      { name: 'space detail', method: 'GET', path: `/api/workspace/spaces/${w.spaceId}/`, token: w.manager.token, status: 200 },
      { name: 'members', method: 'GET', path: `/api/workspace/workspaces/${w.workspaceId}/members/`, token: a, status: 200 },
      {
        name: 'member',
        method: 'GET',
        path: `/api/workspace/workspaces/${w.workspaceId}/members/${w.memberIds.staff}/`,
        token: a,
        status: 200,
      },
      { name: 'onboarding status', method: 'GET', path: '/api/workspace/admin/onboarding-status/', token: a, status: 200 },
      { name: 'admin profile', method: 'GET', path: '/api/workspace/admin/profile/', token: a, status: 200 },
      { name: 'user profile', method: 'GET', path: '/api/user/profile/', token: a, status: 200 },
      // Refusals cost the same single round trip: the access row rides with the data.
      {
        name: 'outsider 404',
        method: 'GET',
        path: `/api/workspace/workspaces/${w.workspaceId}/`,
        token: w.outsider.token,
        status: 404,
      },
    ];
    for (const op of gets) {
      const { trips, res } = await measure(op);
      expect(trips, `${op.method} ${op.path}: ${res.text.slice(0, 300)}`).toBe(1);
    }
  });

  it('a page of 2 costs the same round trips as a page of 20', async () => {
    const admin = await wsUser('pager');
    const id = await createWorkspace(admin);
    const branch = await createBranch(admin.token, id);
    for (let i = 0; i < 20; i++) await createSpace(admin.token, branch);
    const small = await measure({
      name: 'spaces page of 2',
      method: 'GET',
      path: `/api/workspace/spaces/?branch_id=${branch}&page_size=2`,
      token: admin.token,
      status: 200,
    });
    const large = await measure({
      name: 'spaces page of 20',
      method: 'GET',
      path: `/api/workspace/spaces/?branch_id=${branch}&page_size=20`,
      token: admin.token,
      status: 200,
    });
    expect(small.res.json.spaces, small.res.text).toHaveLength(2);
    expect(large.res.json.spaces, large.res.text).toHaveLength(20);
    expect(large.trips).toBe(small.trips);
    expect(large.trips).toBe(1);
  }, 60_000);

  it('every write is at most two round trips (exceptions listed with their reason)', async () => {
    const admin = await wsUser('writer', 'company.com');
    const other = await wsUser('invitee');
    const a = admin.token;
    const created = await measure({
      name: 'workspace create',
      method: 'POST',
      path: '/api/workspace/workspaces/create/',
      token: a,
      body: { name: uniq('RT'), email: `${uniq('rt')}@company.com` },
      status: 201,
    });
    const ws = created.res.json.data.id as string;
    const branch = await measure({
      name: 'branch create (seed)',
      method: 'POST',
      path: '/api/workspace/branches/create/',
      token: a,
      body: { workspace_id: ws, name: uniq('B'), address: '1 Road', manager_id: admin.uuid },
      status: 201,
    });
    const br = branch.res.json.data.id as string;
    const space = await measure({
      name: 'space create (seed)',
      method: 'POST',
      path: '/api/workspace/spaces/create/',
      token: a,
      body: { branch_id: br, name: uniq('S'), space_type: 'desk', capacity: 2, hourly_rate: '10.00' },
      status: 201,
    });
    const sp = space.res.json.data.id as string;
    const invited = await measure({
      name: 'member invite',
      method: 'POST',
      path: `/api/workspace/workspaces/${ws}/members/invite/`,
      token: a,
      body: { email: other.email, role: 'staff' },
      status: 201,
    });
    const mb = invited.res.json.data.id as string;
    const ops: Op[] = [
      {
        name: 'workspace update',
        method: 'PUT',
        path: `/api/workspace/workspaces/${ws}/`,
        token: a,
        body: { city: 'Kampala' },
        status: 200,
      },
      {
        name: 'workspace partial update',
        method: 'PATCH',
        path: `/api/workspace/workspaces/${ws}/`,
        token: a,
        body: { name: uniq('RT2') },
        status: 200,
      },
      {
        name: 'branch create (original)',
        method: 'POST',
        path: `/api/workspace/workspaces/${ws}/branches/create/`,
        token: a,
        body: { name: uniq('B'), address: '2 Road' },
        status: 201,
      },
      {
        name: 'branch update',
        method: 'PUT',
        path: `/api/workspace/branches/${br}/`,
        token: a,
        body: { manager: null },
        status: 200,
      },
      {
        name: 'branch partial update',
        method: 'PATCH',
        path: `/api/workspace/branches/${br}/`,
        token: a,
        body: { city: 'Gulu' },
        status: 200,
      },
      {
        name: 'space create (original)',
        method: 'POST',
        path: `/api/workspace/branches/${br}/spaces/create/`,
        token: a,
        body: { name: uniq('S'), space_type: 'office', capacity: 3, price_per_hour: 12 },
        status: 201,
      },
      { name: 'space update', method: 'PUT', path: `/api/workspace/spaces/${sp}/`, token: a, body: { capacity: 4 }, status: 200 },
      {
        name: 'space partial update',
        method: 'PATCH',
        path: `/api/workspace/spaces/${sp}/`,
        token: a,
        body: { price_per_hour: 11 },
        status: 200,
      },
      {
        name: 'member update',
        method: 'PUT',
        path: `/api/workspace/workspaces/${ws}/members/${mb}/`,
        token: a,
        body: { role: 'manager' },
        status: 200,
      },
      {
        name: 'member partial update',
        method: 'PATCH',
        path: `/api/workspace/workspaces/${ws}/members/${mb}/`,
        token: a,
        body: { is_active: true },
        status: 200,
      },
      { name: 'member remove', method: 'DELETE', path: `/api/workspace/workspaces/${ws}/members/${mb}/`, token: a, status: 200 },
      { name: 'space delete', method: 'DELETE', path: `/api/workspace/spaces/${sp}/`, token: a, status: 200 },
      { name: 'branch delete', method: 'DELETE', path: `/api/workspace/branches/${br}/`, token: a, status: 200 },
      { name: 'workspace delete', method: 'DELETE', path: `/api/workspace/workspaces/${ws}/`, token: a, status: 200 },
      {
        name: 'onboarding',
        method: 'POST',
        path: '/api/workspace/admin/onboarding/',
        token: a,
        body: { workspace_name: uniq('Onb'), company_email: `${uniq('onb')}@company.com` },
        status: 201,
      },
    ];
    for (const op of ops) await measure(op);
    const email = `${uniq('rt-user')}@company.com`;
    const identity: Op[] = [
      {
        name: 'user register',
        method: 'POST',
        path: '/api/user/register/',
        body: { full_name: 'R T', email, password: PASSWORD, confirm_password: PASSWORD },
        status: 201,
      },
      { name: 'user login', method: 'POST', path: '/api/user/login/', body: { email, password: PASSWORD }, status: 200 },
      {
        name: 'admin register',
        method: 'POST',
        path: '/api/workspace/admin/register/',
        body: { full_name: 'A R', email: `${uniq('rt-admin')}@company.com`, password: PASSWORD, confirm_password: PASSWORD },
        status: 201,
      },
      {
        name: 'admin login',
        method: 'POST',
        path: '/api/workspace/admin/login/',
        body: { email, password: PASSWORD },
        status: 200,
      },
    ];
    for (const op of identity) await measure(op);
    const login = await api('/api/user/login/', { body: { email: admin.email, password: PASSWORD } });
    await measure({
      name: 'token refresh',
      method: 'POST',
      path: '/api/user/token/refresh/',
      body: { refresh_token: login.json.token.refresh_token },
      status: 200,
    });
    for (const row of rows.filter((r) => !r.op.startsWith('GET')))
      expect(row.trips, `${row.op}: ${row.trips} round trips, budget ${row.budget}`).toBeLessThanOrEqual(row.budget);
  }, 60_000);

  it('prints the table (every measured operation within its budget)', () => {
    console.log(
      [
        'round trips  budget  operation',
        ...rows.map((r) => `${String(r.trips).padStart(11)}  ${String(r.budget).padStart(6)}  ${r.op}`),
      ].join('\n'),
    );
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const r of rows) expect(r.trips, r.op).toBeLessThanOrEqual(r.budget);
  });
});
