import { describe, expect, it } from 'vitest';
import { api, expectStatus, PASSWORD, uniq } from '../helpers';

describe('Complete Workspace Setup Workflow (seed 002)', () => {
  it('registers, creates a workspace, branches and spaces, then lists and reads the hierarchy', async () => {
    const email = `${uniq('john')}@example.com`;
    const reg = await api('/api/user/register/', {
      body: { full_name: 'John Doe', email, password: PASSWORD, confirm_password: PASSWORD },
    });
    expectStatus(reg, 201);
    const token = reg.json.token.access_token as string;
    const userId = reg.json.user.user_id as string;

    const name = uniq('My Company Workspace');
    const created = await api('/api/workspace/workspaces/create/', {
      token,
      body: { name, description: 'Main office', address: '123 Main St, City' },
    });
    expectStatus(created, 201);
    expect(created.json).toMatchObject({
      success: true,
      message: 'Workspace created successfully',
      data: { name, description: 'Main office', address: '123 Main St, City', admin_id: userId },
    });
    const workspaceId = created.json.data.workspace_id as string;
    expect(workspaceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json.data.id).toBe(workspaceId);
    expect(created.json.workspace).toEqual(created.json.data);
    expect(created.json.data.created_at).toMatch(/Z$/);

    const branch = await api('/api/workspace/branches/create/', {
      token,
      body: { workspace_id: workspaceId, name: 'Main Branch', address: '123 Business St', manager_id: userId },
    });
    expectStatus(branch, 201);
    expect(branch.json.data).toMatchObject({
      name: 'Main Branch',
      workspace_id: workspaceId,
      manager_id: userId,
      spaces_count: 0,
    });
    const branchId = branch.json.data.branch_id as string;

    const space = await api('/api/workspace/spaces/create/', {
      token,
      body: {
        branch_id: branchId,
        name: 'Meeting Room A',
        space_type: 'meeting_room',
        capacity: 8,
        hourly_rate: 75.0,
        daily_rate: 500.0,
        monthly_rate: 8000.0,
        amenities: ['Projector', 'Whiteboard', 'Coffee'],
      },
    });
    expectStatus(space, 201);
    expect(space.json.data).toMatchObject({
      branch_id: branchId,
      name: 'Meeting Room A',
      hourly_rate: '75.00',
      price_per_hour: '75.00',
      daily_rate: '500.00',
      monthly_rate: '8000.00',
      amenities: ['Projector', 'Whiteboard', 'Coffee'],
    });

    const list = await api('/api/workspace/workspaces/', { token });
    expectStatus(list, 200);
    expect(list.json.message).toBe('Workspaces retrieved successfully');
    expect(list.json.data.map((w: any) => w.workspace_id)).toEqual([workspaceId]);

    const detail = await api(`/api/workspace/workspaces/${workspaceId}/`, { token });
    expectStatus(detail, 200);
    expect(detail.json.data.branches).toHaveLength(1);
    expect(detail.json.data.branches[0]).toMatchObject({ id: branchId, spaces_count: 1 });
    expect(detail.json.data.members).toHaveLength(1);
    expect(detail.json.data.members[0]).toMatchObject({ user_id: userId, role: 'admin' });
    expect(detail.json.data.total_spaces).toBe(1);

    const branches = await api(`/api/workspace/branches/?workspace_id=${workspaceId}`, { token });
    expectStatus(branches, 200);
    expect(branches.json.data.map((b: any) => b.id)).toEqual([branchId]);
    expect(branches.json.count).toBe(1);

    const spaces = await api(`/api/workspace/spaces/?branch_id=${branchId}`, { token });
    expectStatus(spaces, 200);
    expect(spaces.json.data.map((s: any) => s.name)).toEqual(['Meeting Room A']);
  });

  it('runs the same workflow for a business admin: admin register, onboarding, then the original path forms', async () => {
    const email = `${uniq('owner')}@acme-corp.io`;
    const reg = await api('/api/workspace/admin/register/', {
      body: { full_name: 'John Admin', email, password: PASSWORD, confirm_password: PASSWORD },
    });
    expectStatus(reg, 201);
    const login = await api('/api/workspace/admin/login/', { body: { email, password: PASSWORD } });
    expectStatus(login, 200);
    const token = login.json.token.access_token as string;

    const onboarding = await api('/api/workspace/admin/onboarding/', {
      token,
      body: { workspace_name: uniq('Acme'), company_email: `info-${uniq('acme')}@acme-corp.io`, company_city: 'Nairobi' },
    });
    expectStatus(onboarding, 201);
    const workspaceId = onboarding.json.workspace.id as string;

    const branch = await api(`/api/workspace/workspaces/${workspaceId}/branches/create/`, {
      token,
      body: { name: 'HQ', address: '1 Acme Way' },
    });
    expectStatus(branch, 201);
    const branchId = branch.json.branch.id as string;
    const space = await api(`/api/workspace/branches/${branchId}/spaces/create/`, {
      token,
      body: { name: 'Hot desk', space_type: 'desk', capacity: 1, price_per_hour: '4.25' },
    });
    expectStatus(space, 201);

    const branches = await api(`/api/workspace/workspaces/${workspaceId}/branches/`, { token });
    expect(branches.json.branches.map((b: any) => b.name)).toEqual(['HQ']);
    const spaces = await api(`/api/workspace/branches/${branchId}/spaces/`, { token });
    expect(spaces.json.spaces.map((x: any) => [x.name, x.price_per_hour, x.hourly_rate])).toEqual([['Hot desk', '4.25', '4.25']]);

    const status = await api('/api/workspace/admin/onboarding-status/', { token });
    expect(status.json.onboarding.completed_steps).toEqual(['Create workspace', 'Create branches', 'Create spaces']);
    const profile = await api('/api/workspace/admin/profile/', { token });
    expect(profile.json.user).toMatchObject({ email, workspace_count: 1, membership_count: 0 });
  });
});
