import { beforeAll, describe, expect, it } from 'vitest';
import { createBranch, createWorkspace, expectFailure, invite, world, type World } from '../helpers/workspace';
import { api, expectStatus, uniq, wsUser } from '../helpers';

let w: World;
beforeAll(async () => {
  w = await world();
});

const create = (token: string, body: Record<string, unknown>) => api('/api/workspace/branches/create/', { token, body });

describe('POST /api/workspace/branches/create/ (workspace_id in the body, as the seed)', () => {
  it('lets the admin create a branch with the seed body', async () => {
    const res = await create(w.admin.token, {
      workspace_id: w.workspaceId,
      name: 'Main Branch',
      address: '123 Business St',
      manager_id: w.manager.uuid,
    });
    expectStatus(res, 201);
    expect(res.json.message).toBe('Branch created successfully');
    expect(res.json.branch).toEqual(res.json.data);
    expect(res.json.data).toMatchObject({
      workspace_id: w.workspaceId,
      workspace: w.workspaceId,
      name: 'Main Branch',
      address: '123 Business St',
      manager_id: w.manager.uuid,
      manager: w.manager.uuid,
      manager_name: w.manager.full_name,
      manager_email: w.manager.email,
      is_active: true,
      spaces_count: 0,
      images: [],
      operating_hours: null,
    });
    expect(res.json.data.id).toBe(res.json.data.branch_id);
  });

  it('accepts the original fields, including the manager under its original name', async () => {
    const res = await create(w.admin.token, {
      workspace_id: w.workspaceId,
      name: uniq('Full'),
      address: '9 Road',
      manager: w.staff.uuid,
      email: 'branch@company.com',
      city: 'Lagos',
      country: 'Nigeria',
      latitude: '6.5244',
      longitude: 3.3792,
      operating_hours: { monday: { open: '08:00', close: '18:00' } },
      images: ['https://img.example.com/1.png'],
    });
    expectStatus(res, 201);
    expect(res.json.data).toMatchObject({ manager_id: w.staff.uuid, latitude: 6.5244, longitude: 3.3792, city: 'Lagos' });
    expect(res.json.data.operating_hours).toEqual({ monday: { open: '08:00', close: '18:00' } });
  });

  it('refuses managers, staff and users', async () => {
    for (const who of [w.manager, w.staff, w.member]) {
      expectFailure(
        await create(who.token, { workspace_id: w.workspaceId, name: uniq('B'), address: 'A' }),
        403,
        'Only workspace admin can create branches',
      );
    }
  });

  it('is a 404 for an outsider, as for a workspace that does not exist', async () => {
    expectFailure(
      await create(w.outsider.token, { workspace_id: w.workspaceId, name: 'B', address: 'A' }),
      404,
      'Workspace not found',
    );
  });

  it('requires workspace_id, name and address', async () => {
    const body = expectFailure(await create(w.admin.token, {}), 400, 'Branch creation failed');
    expect(body.errors).toEqual({
      workspace_id: ['This field is required.'],
      name: ['This field is required.'],
      address: ['This field is required.'],
    });
    const bad = expectFailure(await create(w.admin.token, { workspace_id: 'abc', name: 'B', address: 'A' }), 400);
    expect(bad.errors.workspace_id).toEqual(['Must be a valid UUID.']);
  });

  it('validates coordinates, email, JSON fields and lengths', async () => {
    const res = await create(w.admin.token, {
      workspace_id: w.workspaceId,
      name: 'x'.repeat(256),
      address: 'A',
      latitude: 91,
      longitude: 'east',
      email: 'nope',
      operating_hours: ['monday'],
      images: 'one.png',
    });
    const errors = expectFailure(res, 400, 'Branch creation failed').errors;
    expect(errors.name).toEqual(['Ensure this field has no more than 255 characters.']);
    expect(errors.latitude).toEqual(['Ensure this value is less than or equal to 90.']);
    expect(errors.longitude).toEqual(['A valid number is required.']);
    expect(errors.email).toEqual(['Enter a valid email address.']);
    expect(errors.operating_hours).toBeDefined();
    expect(errors.images).toEqual(['Expected a list of items but got type "str".']);
  });

  it('refuses a manager who does not exist or is not an active member', async () => {
    const ghost = await create(w.admin.token, {
      workspace_id: w.workspaceId,
      name: uniq('B'),
      address: 'A',
      manager_id: '00000000-0000-4000-8000-000000000000',
    });
    expect(expectFailure(ghost, 400, 'Branch creation failed').errors.manager_id[0]).toMatch(/object does not exist/);
    const stranger = await create(w.admin.token, {
      workspace_id: w.workspaceId,
      name: uniq('B'),
      address: 'A',
      manager_id: w.outsider.uuid,
    });
    expect(expectFailure(stranger, 400).errors).toEqual({ manager_id: ['User is not an active member of this workspace.'] });
  });

  it('refuses a second branch with the same name in the workspace', async () => {
    const name = uniq('Twin');
    expectStatus(await create(w.admin.token, { workspace_id: w.workspaceId, name, address: 'A' }), 201);
    const res = await create(w.admin.token, { workspace_id: w.workspaceId, name, address: 'B' });
    expect(expectFailure(res, 400, 'Branch creation failed').errors).toEqual({
      non_field_errors: ['The fields workspace, name must make a unique set.'],
    });
    const other = await createWorkspace(w.admin);
    expectStatus(await create(w.admin.token, { workspace_id: other, name, address: 'A' }), 201);
  });
});

describe('POST /api/workspace/workspaces/{id}/branches/create/ (the original path form)', () => {
  it('creates a branch in the workspace of the path', async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/branches/create/`, {
      token: w.admin.token,
      body: { name: uniq('Path'), address: 'A' },
    });
    expectStatus(res, 201);
    expect(res.json.branch.workspace_id).toBe(w.workspaceId);
  });

  it('refuses staff and validates the body', async () => {
    const staff = await api(`/api/workspace/workspaces/${w.workspaceId}/branches/create/`, {
      token: w.staff.token,
      body: { name: uniq('P'), address: 'A' },
    });
    expectFailure(staff, 403, 'Only workspace admin can create branches');
    const bad = await api(`/api/workspace/workspaces/${w.workspaceId}/branches/create/`, {
      token: w.admin.token,
      body: { address: 'A' },
    });
    expect(expectFailure(bad, 400, 'Branch creation failed').errors).toEqual({ name: ['This field is required.'] });
  });
});

describe('GET /api/workspace/branches/?workspace_id=', () => {
  it('requires workspace_id (400 envelope)', async () => {
    const res = await api('/api/workspace/branches/', { token: w.admin.token });
    expect(expectFailure(res, 400).errors).toEqual({ workspace_id: ['This field is required.'] });
    const bad = await api('/api/workspace/branches/?workspace_id=12', { token: w.admin.token });
    expect(expectFailure(bad, 400).errors).toEqual({ workspace_id: ['Must be a valid UUID.'] });
  });

  it('lists every branch, inactive ones included, newest first, for each active member', async () => {
    const admin = await wsUser('admin');
    const staff = await wsUser('staff');
    const id = await createWorkspace(admin);
    await invite(admin, id, staff, 'staff');
    const a = await createBranch(admin.token, id);
    const b = await createBranch(admin.token, id, { is_active: false });
    for (const who of [admin, staff]) {
      const res = await api(`/api/workspace/branches/?workspace_id=${id}`, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.message).toBe('Branches retrieved successfully');
      expect(res.json.data.map((x: any) => x.id)).toEqual([b, a]);
      expect(res.json.branches).toEqual(res.json.data);
      expect(res.json.count).toBe(2);
    }
    const paged = await api(`/api/workspace/branches/?workspace_id=${id}&page_size=1&page=2`, { token: staff.token });
    expect(paged.json.data.map((x: any) => x.id)).toEqual([a]);
    const alias = await api(`/api/workspace/workspaces/${id}/branches/`, { token: staff.token });
    expectStatus(alias, 200);
    expect(alias.json.branches.map((x: any) => x.id)).toEqual([b, a]);
  });

  it('lists for managers and users too, and is a 404 for an outsider', async () => {
    for (const who of [w.manager, w.member]) {
      expectStatus(await api(`/api/workspace/branches/?workspace_id=${w.workspaceId}`, { token: who.token }), 200);
    }
    expectFailure(
      await api(`/api/workspace/branches/?workspace_id=${w.workspaceId}`, { token: w.outsider.token }),
      404,
      'Workspace not found',
    );
  });
});

describe('GET /api/workspace/branches/{id}/', () => {
  it('serves the branch with its available spaces to every member', async () => {
    const branch = await createBranch(w.admin.token, w.workspaceId);
    const open = await api('/api/workspace/spaces/create/', {
      token: w.admin.token,
      body: { branch_id: branch, name: 'Open', space_type: 'desk', capacity: 1, hourly_rate: 5 },
    });
    expectStatus(open, 201);
    await api('/api/workspace/spaces/create/', {
      token: w.admin.token,
      body: { branch_id: branch, name: 'Closed', space_type: 'desk', capacity: 1, hourly_rate: 5, is_available: false },
    });
    for (const who of [w.admin, w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/branches/${branch}/`, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.data.spaces.map((s: any) => s.name)).toEqual(['Open']);
      expect(res.json.data.spaces_count).toBe(1);
    }
  });
});

describe('PUT/PATCH /api/workspace/branches/{id}/', () => {
  it("lets the admin and the branch's own manager edit it", async () => {
    const branch = await createBranch(w.admin.token, w.workspaceId, { manager_id: w.staff.uuid });
    const byAdmin = await api(`/api/workspace/branches/${branch}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { city: 'Ibadan' },
    });
    expectStatus(byAdmin, 200);
    expect(byAdmin.json.message).toBe('Branch updated successfully');
    expect(byAdmin.json.data.city).toBe('Ibadan');
    const byBranchManager = await api(`/api/workspace/branches/${branch}/`, {
      method: 'PATCH',
      token: w.staff.token,
      body: { description: 'Quiet floor', operating_hours: { tuesday: { open: '09:00', close: '17:00' } } },
    });
    expectStatus(byBranchManager, 200);
    expect(byBranchManager.json.branch).toMatchObject({ description: 'Quiet floor', city: 'Ibadan', manager_id: w.staff.uuid });
    const byManagerRole = await api(`/api/workspace/branches/${branch}/`, {
      method: 'PATCH',
      token: w.manager.token,
      body: { phone: '+234' },
    });
    expectStatus(byManagerRole, 200);
  });

  it('refuses staff and users who do not manage the branch', async () => {
    for (const who of [w.staff, w.member]) {
      const res = await api(`/api/workspace/branches/${w.branchId}/`, { method: 'PUT', token: who.token, body: { city: 'x' } });
      expectFailure(res, 403, 'Only workspace admin or branch manager can update branches');
    }
  });

  it('lets only the admin change the manager', async () => {
    const branch = await createBranch(w.admin.token, w.workspaceId, { manager_id: w.staff.uuid });
    const res = await api(`/api/workspace/branches/${branch}/`, {
      method: 'PUT',
      token: w.staff.token,
      body: { manager_id: w.member.uuid },
    });
    expectFailure(res, 403, 'Only workspace admin can change the branch manager');
    const ok = await api(`/api/workspace/branches/${branch}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { manager_id: null },
    });
    expectStatus(ok, 200);
    expect(ok.json.data).toMatchObject({ manager_id: null, manager_name: null });
  });

  it('validates the body and the unique name', async () => {
    const name = uniq('Taken');
    await createBranch(w.admin.token, w.workspaceId, { name });
    const dup = await api(`/api/workspace/branches/${w.branchId}/`, { method: 'PUT', token: w.admin.token, body: { name } });
    expect(expectFailure(dup, 400, 'Update failed').errors).toEqual({
      non_field_errors: ['The fields workspace, name must make a unique set.'],
    });
    const bad = await api(`/api/workspace/branches/${w.branchId}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { name: '', is_active: 'perhaps' },
    });
    const errors = expectFailure(bad, 400, 'Update failed').errors;
    expect(errors.name).toEqual(['This field may not be blank.']);
    expect(errors.is_active).toEqual(['Must be a valid boolean.']);
  });
});

describe('DELETE /api/workspace/branches/{id}/', () => {
  it('refuses everyone but the admin, even the branch manager', async () => {
    const branch = await createBranch(w.admin.token, w.workspaceId, { manager_id: w.staff.uuid });
    for (const who of [w.manager, w.staff, w.member]) {
      expectFailure(
        await api(`/api/workspace/branches/${branch}/`, { method: 'DELETE', token: who.token }),
        403,
        'Only workspace admin can delete branches',
      );
    }
  });

  it('deletes the branch and its spaces', async () => {
    const branch = await createBranch(w.admin.token, w.workspaceId);
    const space = await api('/api/workspace/spaces/create/', {
      token: w.admin.token,
      body: { branch_id: branch, name: 'Gone', space_type: 'desk', capacity: 1, hourly_rate: 1 },
    });
    const res = await api(`/api/workspace/branches/${branch}/`, { method: 'DELETE', token: w.admin.token });
    expectStatus(res, 200);
    expect(res.json).toEqual({ success: true, message: 'Branch deleted successfully' });
    expectFailure(await api(`/api/workspace/branches/${branch}/`, { token: w.admin.token }), 404, 'Branch not found');
    expectFailure(await api(`/api/workspace/spaces/${space.json.data.id}/`, { token: w.admin.token }), 404, 'Space not found');
  });
});
