import { describe, expect, it } from 'vitest';
import { createBranch, createSpace, createWorkspace, expectFailure, invite } from '../helpers/workspace';
import { api, expectStatus, PASSWORD, uniq, wsUser } from '../helpers';

const register = (body: Record<string, unknown>) => api('/api/workspace/admin/register/', { body });
const adminBody = (over: Record<string, unknown> = {}) => ({
  full_name: 'John Admin',
  email: `${uniq('john')}@company.com`,
  password: PASSWORD,
  confirm_password: PASSWORD,
  ...over,
});

async function registeredAdmin() {
  const body = adminBody();
  const res = await register(body);
  expectStatus(res, 201);
  return { email: body.email as string, token: res.json.token.access_token as string, id: res.json.user.user_id as string };
}

const onboardingBody = (over: Record<string, unknown> = {}) => ({
  workspace_name: uniq('My Company'),
  workspace_description: 'Main workspace for our company',
  company_email: `${uniq('info')}@company.com`,
  company_phone: '+1234567890',
  company_address: '123 Business St',
  company_city: 'San Francisco',
  company_country: 'USA',
  ...over,
});

describe('POST /api/workspace/admin/register/', () => {
  it('registers an admin with a business email', async () => {
    const body = adminBody();
    const res = await register(body);
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      success: true,
      message: 'Admin registration successful',
      user: { email: body.email, user_email: body.email, full_name: 'John Admin', avatar_url: null },
    });
    expect(res.json.user.user_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.token.access_token).toBeTruthy();
    expect(res.json.token.refresh_token).toBeTruthy();
    const profile = await api('/api/workspace/admin/profile/', { token: res.json.token.access_token });
    expectStatus(profile, 200);
  });

  it('refuses free-mail domains, whatever their case', async () => {
    for (const domain of ['gmail.com', 'Yahoo.com', 'OUTLOOK.COM', 'qq.com', '163.com']) {
      const res = await register(adminBody({ email: `${uniq('free')}@${domain}` }));
      expect(expectFailure(res, 400, 'Admin registration failed').errors).toEqual({
        email: [
          'Admin registration requires a business email address. Free email providers (Gmail, Yahoo, etc.) are not allowed.',
        ],
      });
    }
  });

  it('refuses an email that already has an account', async () => {
    const existing = await wsUser('exists', { domain: 'company.com' });
    const res = await register(adminBody({ email: existing.email }));
    expect(expectFailure(res, 400, 'Admin registration failed').errors).toEqual({ email: ['Email already exists'] });
  });

  it('checks the password: length, then match, then strength', async () => {
    const short = await register(adminBody({ password: 'Ab1!', confirm_password: 'Ab1!' }));
    expect(expectFailure(short, 400).errors).toEqual({ password: ['Ensure this field has at least 8 characters.'] });
    const mismatch = await register(adminBody({ confirm_password: 'Different123!' }));
    expect(expectFailure(mismatch, 400).errors).toEqual({ password: ['Passwords do not match'] });
    const weak = await register(adminBody({ password: 'alllowercase1', confirm_password: 'alllowercase1' }));
    expect(expectFailure(weak, 400).errors).toEqual({
      password: ['Password must contain uppercase, lowercase, digit, and special character'],
    });
  });

  it('requires every field', async () => {
    const res = await register({});
    expect(expectFailure(res, 400, 'Admin registration failed').errors).toEqual({
      full_name: ['This field is required.'],
      email: ['This field is required.'],
      password: ['This field is required.'],
      confirm_password: ['This field is required.'],
    });
  });
});

describe('POST /api/workspace/admin/login/', () => {
  it('signs in with the admin envelope', async () => {
    const admin = await registeredAdmin();
    const res = await api('/api/workspace/admin/login/', { body: { email: admin.email, password: PASSWORD } });
    expectStatus(res, 200);
    expect(res.json).toMatchObject({
      success: true,
      message: 'Admin login successful',
      user: { user_id: admin.id, email: admin.email },
    });
    expect(res.json.token.access_token).toBeTruthy();
  });

  it('answers a wrong password and an unknown email the same way (the original told them apart)', async () => {
    const admin = await registeredAdmin();
    const wrong = await api('/api/workspace/admin/login/', { body: { email: admin.email, password: 'Wrong123!x' } });
    const unknown = await api('/api/workspace/admin/login/', {
      body: { email: 'nobody-at-all@company.com', password: 'Wrong123!x' },
    });
    expect(expectFailure(wrong, 400, 'Login failed').errors).toEqual({ non_field_errors: ['Invalid email or password'] });
    expect(unknown.json).toEqual(wrong.json);
  });

  it('validates the body', async () => {
    const res = await api('/api/workspace/admin/login/', { body: { email: 'x' } });
    expect(expectFailure(res, 400, 'Login failed').errors).toEqual({
      email: ['Enter a valid email address.'],
      password: ['This field is required.'],
    });
  });
});

describe('POST /api/workspace/admin/onboarding/', () => {
  it("creates the admin's workspace from the company details, once", async () => {
    const admin = await registeredAdmin();
    const body = onboardingBody();
    const res = await api('/api/workspace/admin/onboarding/', { token: admin.token, body });
    expectStatus(res, 201);
    expect(res.json.message).toBe('Onboarding successful. Workspace created!');
    expect(res.json.next_steps).toEqual([
      'Create branches for your workspace',
      'Add spaces/rooms within branches',
      'Invite team members to manage the workspace',
      'Set up pricing and availability',
    ]);
    expect(res.json.workspace).toEqual(res.json.data);
    expect(res.json.data).toMatchObject({
      name: body.workspace_name,
      description: body.workspace_description,
      email: body.company_email,
      phone: '+1234567890',
      address: '123 Business St',
      city: 'San Francisco',
      country: 'USA',
      admin_id: admin.id,
      branches: [],
    });
    expect(res.json.data.members).toEqual([expect.objectContaining({ user_id: admin.id, role: 'admin' })]);
    const again = await api('/api/workspace/admin/onboarding/', { token: admin.token, body: onboardingBody() });
    expectFailure(
      again,
      400,
      'Admin can create workspace only once during onboarding. Use workspace creation endpoint for additional workspaces.',
    );
    // Further workspaces go through the creation endpoint.
    expectStatus(await api('/api/workspace/workspaces/create/', { token: admin.token, body: { name: uniq('Second') } }), 201);
  });

  it('refuses an admin who already owns a workspace', async () => {
    const owner = await wsUser('owner');
    await createWorkspace(owner);
    const res = await api('/api/workspace/admin/onboarding/', { token: owner.token, body: onboardingBody() });
    expectFailure(
      res,
      400,
      'Admin can create workspace only once during onboarding. Use workspace creation endpoint for additional workspaces.',
    );
  });

  it('refuses a taken workspace name or company email', async () => {
    const first = await registeredAdmin();
    const body = onboardingBody();
    expectStatus(await api('/api/workspace/admin/onboarding/', { token: first.token, body }), 201);
    const second = await registeredAdmin();
    const res = await api('/api/workspace/admin/onboarding/', {
      token: second.token,
      body: onboardingBody({ workspace_name: body.workspace_name, company_email: body.company_email }),
    });
    expect(expectFailure(res, 400, 'Onboarding failed').errors).toEqual({
      workspace_name: ['Workspace name already exists'],
      company_email: ['Email already used for another workspace'],
    });
  });

  it('validates the body', async () => {
    const admin = await registeredAdmin();
    const res = await api('/api/workspace/admin/onboarding/', {
      token: admin.token,
      body: { workspace_description: 'x'.repeat(1001), company_email: 'nope', company_phone: '1'.repeat(21) },
    });
    expect(expectFailure(res, 400, 'Onboarding failed').errors).toEqual({
      workspace_name: ['This field is required.'],
      workspace_description: ['Ensure this field has no more than 1000 characters.'],
      company_email: ['Enter a valid email address.'],
      company_phone: ['Ensure this field has no more than 20 characters.'],
    });
  });
});

describe('GET /api/workspace/admin/onboarding-status/', () => {
  it('reports each completed step as the admin goes', async () => {
    const admin = await registeredAdmin();
    const status = async () => {
      const res = await api('/api/workspace/admin/onboarding-status/', { token: admin.token });
      expectStatus(res, 200);
      expect(res.json.message).toBe('Onboarding status retrieved');
      expect(res.json.data).toEqual(res.json.onboarding);
      return res.json;
    };
    const fresh = await status();
    expect(fresh.onboarding).toEqual({
      is_registered: true,
      has_workspace: false,
      completed_steps: [],
      pending_steps: ['Create workspace', 'Create branches', 'Create spaces', 'Invite team members'],
    });
    expect(fresh.progress_percentage).toBe(0);

    const onboarded = await api('/api/workspace/admin/onboarding/', { token: admin.token, body: onboardingBody() });
    const workspaceId = onboarded.json.data.workspace_id;
    let s = await status();
    expect(s.onboarding.completed_steps).toEqual(['Create workspace']);
    expect(s.onboarding.workspace).toMatchObject({ workspace_id: workspaceId, branch_count: 0, member_count: 1 });
    expect(s.progress_percentage).toBe(25);

    const branch = await createBranch(admin.token, workspaceId);
    expect((await status()).progress_percentage).toBe(50);
    await createSpace(admin.token, branch);
    s = await status();
    expect(s.onboarding.completed_steps).toEqual(['Create workspace', 'Create branches', 'Create spaces']);
    expect(s.onboarding.pending_steps).toEqual(['Invite team members']);

    const staff = await wsUser('staff');
    await invite(admin, workspaceId, staff, 'staff');
    s = await status();
    expect(s.progress_percentage).toBe(100);
    expect(s.onboarding.pending_steps).toEqual([]);
    expect(s.onboarding.workspace).toMatchObject({ branch_count: 1, member_count: 2 });
  });
});

describe('GET /api/workspace/admin/profile/', () => {
  it('counts owned workspaces and active memberships elsewhere', async () => {
    const admin = await wsUser('admin');
    const other = await wsUser('other');
    await createWorkspace(admin);
    await createWorkspace(admin);
    const elsewhere = await createWorkspace(other);
    const memberId = await invite(other, elsewhere, admin, 'staff');
    const res = await api('/api/workspace/admin/profile/', { token: admin.token });
    expectStatus(res, 200);
    expect(res.json.message).toBe('Profile retrieved successfully');
    expect(res.json.user).toMatchObject({
      id: admin.uuid,
      email: admin.email,
      full_name: admin.full_name,
      workspace_count: 2,
      membership_count: 1,
    });
    expect(res.json.user.date_joined).toBeTruthy();
    await api(`/api/workspace/workspaces/${elsewhere}/members/${memberId}/`, {
      method: 'PUT',
      token: other.token,
      body: { is_active: false },
    });
    const after = await api('/api/workspace/admin/profile/', { token: admin.token });
    expect(after.json.user).toMatchObject({ workspace_count: 2, membership_count: 0 });
  });
});
