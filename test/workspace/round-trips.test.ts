/**
 * Round trips of the workspace family (issue 16): every operation of /api/workspace/ (bookings and
 * public discovery aside: test/bookings/round-trips.test.ts) and of /api/user/, over real data,
 * through a D1 binding that counts round trips (the authorization guard rides the first one).
 * Budget (test/helpers/budget.ts): a GET is ONE round trip, a write at most TWO (its checks, then one batch
 * with the write and the read-back); an exception names its reason. The table is printed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBranch, createSpace, createWorkspace, type World, world } from '../helpers/workspace';
import { Budget, documentedOperations, fakeGoogle, PASSWORD, uniq, waitForMail, wsUser } from '../helpers';

const budget = new Budget();
afterAll(() => budget.print('workspace family'));
afterEach(() => vi.restoreAllMocks());

/** Path prefixes whose operations test/bookings/round-trips.test.ts measures. */
const BOOKINGS_PREFIXES = [
  '/api/workspace/bookings/',
  '/api/workspace/public/',
  '/api/workspace/spaces/{space_id}/availability/',
  '/api/workspace/workspaces/{workspace_id}/bookings/',
];

describe('workspace family round trips', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 60_000);

  it('every GET is one round trip, auth included, refusals too', async () => {
    const a = w.admin.token;
    await budget.call('workspace_workspaces_list', '/api/workspace/workspaces/', { token: a });
    await budget.call('workspace_workspaces_retrieve', `/api/workspace/workspaces/${w.workspaceId}/`, { token: w.staff.token });
    await budget.call('workspace_branches_list', `/api/workspace/branches/?workspace_id=${w.workspaceId}`, { token: a });
    await budget.call('workspace_workspaces_branches_list', `/api/workspace/workspaces/${w.workspaceId}/branches/`, { token: a });
    await budget.call('workspace_branches_retrieve', `/api/workspace/branches/${w.branchId}/`, { token: w.member.token });
    await budget.call('workspace_spaces_list', `/api/workspace/spaces/?branch_id=${w.branchId}`, { token: a });
    await budget.call('workspace_branches_spaces_list', `/api/workspace/branches/${w.branchId}/spaces/`, { token: a });
    await budget.call('workspace_spaces_retrieve', `/api/workspace/spaces/${w.spaceId}/`, { token: w.manager.token });
    await budget.call('workspace_workspaces_members_list', `/api/workspace/workspaces/${w.workspaceId}/members/`, { token: a });
    await budget.call(
      'workspace_workspaces_members_retrieve',
      `/api/workspace/workspaces/${w.workspaceId}/members/${w.memberIds.staff}/`,
      { token: a },
    );
    await budget.call('workspace_admin_onboarding_status_retrieve', '/api/workspace/admin/onboarding-status/', { token: a });
    await budget.call('workspace_admin_profile_retrieve', '/api/workspace/admin/profile/', { token: a });
    await budget.call('user_profile_retrieve', '/api/user/profile/', { token: a });
    // A refusal costs the same single round trip: the access row rides with the data.
    const refused = await budget.call('workspace_workspaces_retrieve', `/api/workspace/workspaces/${w.workspaceId}/`, {
      token: w.outsider.token,
      status: 404,
    });
    expect(refused.trips).toBe(1);
  });

  it('a page of 2 costs the same round trips as a page of 20', async () => {
    const admin = await wsUser('pager');
    const id = await createWorkspace(admin);
    const branch = await createBranch(admin.token, id);
    for (let i = 0; i < 20; i++) await createSpace(admin.token, branch);
    const path = `/api/workspace/spaces/?branch_id=${branch}`;
    const small = await budget.call('workspace_spaces_list', `${path}&page_size=2`, { token: admin.token });
    const large = await budget.call('workspace_spaces_list', `${path}&page_size=20`, { token: admin.token });
    expect(small.json.spaces, small.text).toHaveLength(2);
    expect(large.json.spaces, large.text).toHaveLength(20);
    expect(large.trips).toBe(small.trips);
  }, 60_000);

  it('every write is at most two round trips', async () => {
    const admin = await wsUser('writer', { domain: 'company.com' });
    const other = await wsUser('invitee');
    const a = admin.token;
    const created = await budget.call('workspace_workspaces_create', '/api/workspace/workspaces/create/', {
      token: a,
      body: { name: uniq('RT'), email: `${uniq('rt')}@company.com` },
      status: 201,
    });
    const ws = created.json.data.id as string;
    const branch = await budget.call('workspace_branches_create', '/api/workspace/branches/create/', {
      token: a,
      body: { workspace_id: ws, name: uniq('B'), address: '1 Road', manager_id: admin.uuid },
      status: 201,
    });
    const br = branch.json.data.id as string;
    const space = await budget.call('workspace_spaces_create', '/api/workspace/spaces/create/', {
      token: a,
      body: { branch_id: br, name: uniq('S'), space_type: 'desk', capacity: 2, hourly_rate: '10.00' },
      status: 201,
    });
    const sp = space.json.data.id as string;
    const invited = await budget.call(
      'workspace_workspaces_members_invite_create',
      `/api/workspace/workspaces/${ws}/members/invite/`,
      {
        token: a,
        body: { email: other.email, role: 'staff' },
        status: 201,
      },
    );
    const mb = invited.json.data.id as string;
    const call = (op: string, path: string, method: string, body?: Record<string, unknown>, status = 200) =>
      budget.call(op, path, { token: a, method, body, status });
    await call('workspace_workspaces_update', `/api/workspace/workspaces/${ws}/`, 'PUT', { city: 'Kampala' });
    await call('workspace_workspaces_partial_update', `/api/workspace/workspaces/${ws}/`, 'PATCH', { name: uniq('RT2') });
    await call(
      'workspace_workspaces_branches_create',
      `/api/workspace/workspaces/${ws}/branches/create/`,
      'POST',
      { name: uniq('B'), address: '2 Road' },
      201,
    );
    await call('workspace_branches_update', `/api/workspace/branches/${br}/`, 'PUT', { manager: null });
    await call('workspace_branches_partial_update', `/api/workspace/branches/${br}/`, 'PATCH', { city: 'Gulu' });
    await call(
      'workspace_branches_spaces_create',
      `/api/workspace/branches/${br}/spaces/create/`,
      'POST',
      { name: uniq('S'), space_type: 'office', capacity: 3, price_per_hour: 12 },
      201,
    );
    await call('workspace_spaces_update', `/api/workspace/spaces/${sp}/`, 'PUT', { capacity: 4 });
    await call('workspace_spaces_partial_update', `/api/workspace/spaces/${sp}/`, 'PATCH', { price_per_hour: 11 });
    await call('workspace_workspaces_members_update', `/api/workspace/workspaces/${ws}/members/${mb}/`, 'PUT', {
      role: 'manager',
    });
    await call('workspace_workspaces_members_partial_update', `/api/workspace/workspaces/${ws}/members/${mb}/`, 'PATCH', {
      is_active: true,
    });
    await call('workspace_workspaces_members_destroy', `/api/workspace/workspaces/${ws}/members/${mb}/`, 'DELETE');
    // Space photos (the multipart form of an upload is measured in test/files/round-trips.test.ts).
    const photo = await call(
      'workspace_spaces_images_create',
      `/api/workspace/spaces/${sp}/images/`,
      'POST',
      {
        image: 'https://cdn.example.com/room.jpg',
      },
      201,
    );
    await budget.call('workspace_spaces_images_list', `/api/workspace/spaces/${sp}/images/`, { token: a });
    await call('workspace_spaces_images_order', `/api/workspace/spaces/${sp}/images/order/`, 'POST', {
      order: [photo.json.image.id],
    });
    await call('workspace_spaces_images_destroy', `/api/workspace/spaces/${sp}/images/${photo.json.image.id}/`, 'DELETE');
    await call('workspace_spaces_destroy', `/api/workspace/spaces/${sp}/`, 'DELETE');
    await call('workspace_branches_destroy', `/api/workspace/branches/${br}/`, 'DELETE');
    await call('workspace_workspaces_destroy', `/api/workspace/workspaces/${ws}/`, 'DELETE');
    await call(
      'workspace_admin_onboarding_create',
      '/api/workspace/admin/onboarding/',
      'POST',
      { workspace_name: uniq('Onb'), company_email: `${uniq('onb')}@company.com` },
      201,
    );
  }, 60_000);

  it('identity: register, log in, refresh, reset by code and Google sign-in', async () => {
    const email = `${uniq('rt-user')}@company.com`;
    await budget.call('user_register_create', '/api/user/register/', {
      body: { full_name: 'R T', email, password: PASSWORD, confirm_password: PASSWORD },
      status: 201,
    });
    const login = await budget.call('user_login_create', '/api/user/login/', {
      body: { email, password: PASSWORD },
    });
    await budget.call('workspace_admin_register_create', '/api/workspace/admin/register/', {
      body: { full_name: 'A R', email: `${uniq('rt-admin')}@company.com`, password: PASSWORD, confirm_password: PASSWORD },
      status: 201,
    });
    await budget.call('workspace_admin_login_create', '/api/workspace/admin/login/', {
      body: { email, password: PASSWORD },
    });
    await budget.call('user_token_refresh_create', '/api/user/token/refresh/', {
      body: { refresh_token: login.json.token.refresh_token },
    });
    await budget.call('user_forget_password_create', '/api/user/forget-password/', {
      body: { email },
    });
    const mail = (await waitForMail(email, 1)).find((m) => m.subject === 'XBooking - Password Reset Verification Code');
    expect(mail, 'the reset code was mailed').toBeDefined();
    await budget.call('user_resend_password_reset_create', '/api/user/resend-password-reset/', {
      body: { email },
      // Within the cool-down the original refuses a second code (400); the refusal is what we measure.
      status: 400,
    });
    const code = /code is: (\d{6})/.exec(mail!.text)![1];
    await budget.call('user_password_reset_confirm_create', '/api/user/password-reset-confirm/', {
      body: { email, verification_code: code, new_password: 'NewSecure123!', confirm_new_password: 'NewSecure123!' },
    });
    const googleEmail = `${uniq('rt-google')}@example.com`;
    await fakeGoogle({ email: googleEmail, email_verified: true, name: 'Gee Budget', sub: `g-${googleEmail}` });
    await budget.call('user_auth_google_create', '/api/user/auth/google/', {
      body: { code: 'good-code' },
    });
  }, 60_000);

  it('covers every documented operation of /api/workspace/ (bookings aside) and /api/user/', async () => {
    const bookings = new Set((await Promise.all(BOOKINGS_PREFIXES.map(documentedOperations))).flat());
    expect(bookings.size, 'the bookings operations are documented under these prefixes').toBeGreaterThan(10);
    const missing = [...(await budget.uncovered('/api/workspace/')), ...(await budget.uncovered('/api/user/'))].filter(
      (op) => !bookings.has(op),
    );
    expect(missing).toEqual([]);
  });
});
