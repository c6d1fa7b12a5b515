import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBranch, createSpace, createWorkspace, expectFailure, invite, world, type World } from '../helpers/workspace';
import { api, expectStatus, uniq, wsUser } from '../helpers';

let w: World;
beforeAll(async () => {
  w = await world();
});

describe('POST /api/workspace/workspaces/create/', () => {
  it('returns the seed shape (data) and the original one (workspace), with both id names', async () => {
    const owner = await wsUser('owner');
    const name = uniq('Tech Startup Workspace');
    const res = await api('/api/workspace/workspaces/create/', {
      token: owner.token,
      body: { name, description: 'Our main office workspace', address: '123 Business St, Tech City', admin: 'ignored' },
    });
    expectStatus(res, 201);
    expect(res.json.success).toBe(true);
    expect(res.json.message).toBe('Workspace created successfully');
    const data = res.json.data;
    expect(data).toMatchObject({
      name,
      description: 'Our main office workspace',
      address: '123 Business St, Tech City',
      admin_id: owner.uuid,
      admin: owner.uuid,
      admin_email: owner.email,
      members_count: 1,
      branches_count: 0,
      is_active: true,
      social_media_links: {},
    });
    expect(data.id).toBe(data.workspace_id);
    expect(res.json.workspace).toEqual(data);
  });

  it('creates the admin membership row the original forgot (original bug), listed under admin, not members (original: members holds invited memberships only)', async () => {
    const owner = await wsUser('owner');
    const id = await createWorkspace(owner);
    const row = await env.DB.prepare('SELECT role, is_active FROM workspace_members WHERE workspace_id = ? AND user_id = ?')
      .bind(id, owner.id)
      .first();
    expect(row).toEqual({ role: 'admin', is_active: 1 });
    const members = await api(`/api/workspace/workspaces/${id}/members/`, { token: owner.token });
    expectStatus(members, 200);
    expect(members.json.members, members.text).toEqual([]);
    expect(members.json.admin, members.text).toMatchObject({ id: owner.uuid, role: 'admin' });
  });

  it('accepts the original optional fields', async () => {
    const res = await api('/api/workspace/workspaces/create/', {
      token: w.staff.token,
      body: {
        name: uniq('Full'),
        email: `${uniq('ws')}@company.com`,
        website: 'https://company.com',
        logo_url: '',
        phone: '+1234567890',
        city: 'San Francisco',
        state: 'CA',
        country: 'USA',
        postal_code: '94105',
        social_media_links: { twitter: 'https://x.com/company' },
      },
    });
    expectStatus(res, 201);
    expect(res.json.data).toMatchObject({
      website: 'https://company.com',
      logo_url: null,
      city: 'San Francisco',
      postal_code: '94105',
    });
    expect(res.json.data.social_media_links).toEqual({ twitter: 'https://x.com/company' });
  });

  it('reports each invalid field in the envelope', async () => {
    const res = await api('/api/workspace/workspaces/create/', {
      token: w.admin.token,
      body: { description: 5, email: 'nope', website: 'ftp//x', phone: 'x'.repeat(21), social_media_links: [1] },
    });
    const body = expectFailure(res, 400, 'Workspace creation failed');
    expect(body.errors.name).toEqual(['This field is required.']);
    expect(body.errors.email).toEqual(['Enter a valid email address.']);
    expect(body.errors.website).toEqual(['Enter a valid URL.']);
    expect(body.errors.phone).toEqual(['Ensure this field has no more than 20 characters.']);
    expect(body.errors.description).toBeDefined();
    expect(body.errors.social_media_links).toBeDefined();
  });

  it('refuses a blank or too long name', async () => {
    const blank = await api('/api/workspace/workspaces/create/', { token: w.admin.token, body: { name: '  ' } });
    expect(expectFailure(blank, 400).errors.name).toEqual(['This field may not be blank.']);
    const long = await api('/api/workspace/workspaces/create/', { token: w.admin.token, body: { name: 'x'.repeat(256) } });
    expect(expectFailure(long, 400).errors.name).toEqual(['Ensure this field has no more than 255 characters.']);
  });

  it('refuses a name or email another workspace uses', async () => {
    const mail = `${uniq('dup')}@company.com`;
    const first = await api('/api/workspace/workspaces/create/', {
      token: w.admin.token,
      body: { name: uniq('Dup'), email: mail },
    });
    expectStatus(first, 201);
    const res = await api('/api/workspace/workspaces/create/', {
      token: w.outsider.token,
      body: { name: first.json.data.name, email: mail },
    });
    const body = expectFailure(res, 400, 'Workspace creation failed');
    expect(body.errors).toEqual({
      name: ['workspace with this name already exists.'],
      email: ['workspace with this email already exists.'],
    });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await api('/api/workspace/workspaces/create/', { token: w.admin.token, body: '{oops' });
    expectStatus(res, 400);
    expect(res.json.success).toBe(false);
  });
});

describe('GET /api/workspace/workspaces/', () => {
  it('lists the workspace for its admin and every active member, newest first', async () => {
    for (const who of [w.admin, w.manager, w.staff, w.member]) {
      const res = await api('/api/workspace/workspaces/', { token: who.token });
      expectStatus(res, 200);
      expect(res.json.message).toBe('Workspaces retrieved successfully');
      const ids = res.json.data.map((x: any) => x.workspace_id);
      expect(ids).toContain(w.workspaceId);
      expect(res.json.workspaces).toEqual(res.json.data);
      expect(res.json.count).toBe(ids.length);
    }
  });

  it('does not list it for an outsider', async () => {
    const res = await api('/api/workspace/workspaces/', { token: w.outsider.token });
    expectStatus(res, 200);
    expect(res.json.data.map((x: any) => x.workspace_id)).not.toContain(w.workspaceId);
  });

  it('no longer lists it for a deactivated member (the original still did)', async () => {
    const admin = await wsUser('admin');
    const gone = await wsUser('gone');
    const id = await createWorkspace(admin);
    const memberId = await invite(admin, id, gone, 'staff');
    expect((await api('/api/workspace/workspaces/', { token: gone.token })).json.count).toBe(1);
    const off = await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, {
      method: 'PUT',
      token: admin.token,
      body: { is_active: false },
    });
    expectStatus(off, 200);
    const res = await api('/api/workspace/workspaces/', { token: gone.token });
    expect(res.json).toMatchObject({ count: 0, data: [] });
  });

  it('paginates with page and page_size', async () => {
    const owner = await wsUser('many');
    const a = await createWorkspace(owner);
    const b = await createWorkspace(owner);
    const c = await createWorkspace(owner);
    const first = await api('/api/workspace/workspaces/?page_size=2', { token: owner.token });
    expectStatus(first, 200);
    expect(first.json.count).toBe(3);
    expect(first.json.data.map((x: any) => x.id)).toEqual([c, b]);
    expect(first.json.next).toContain('page=2');
    expect(first.json.previous).toBeNull();
    const second = await api('/api/workspace/workspaces/?page_size=2&page=2', { token: owner.token });
    expect(second.json.data.map((x: any) => x.id)).toEqual([a]);
    expect(second.json.next).toBeNull();
    expectFailure(await api('/api/workspace/workspaces/?page=3&page_size=2', { token: owner.token }), 404, 'Invalid page.');
    expectFailure(await api('/api/workspace/workspaces/?page=zero', { token: owner.token }), 404, 'Invalid page.');
  });
});

describe('GET /api/workspace/workspaces/{id}/', () => {
  it('serves the whole hierarchy to every active member', async () => {
    for (const who of [w.admin, w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.workspace).toEqual(res.json.data);
      const d = res.json.data;
      expect(d.workspace_id).toBe(w.workspaceId);
      expect(d.admin).toEqual({ id: w.admin.uuid, full_name: w.admin.full_name, email: w.admin.email });
      expect(d.admin_id).toBe(w.admin.uuid);
      expect(d.branches.map((b: any) => b.id)).toContain(w.branchId);
      expect(d.members.map((m: any) => m.user_id).sort()).toEqual(
        [w.admin.uuid, w.manager.uuid, w.staff.uuid, w.member.uuid].sort(),
      );
      expect(d.members[0].role).toBe('admin');
    }
  });

  it('counts available spaces per branch and skips inactive branches', async () => {
    const admin = await wsUser('admin');
    const id = await createWorkspace(admin);
    const b1 = await createBranch(admin.token, id);
    const b2 = await createBranch(admin.token, id);
    await createBranch(admin.token, id, { is_active: false });
    await createSpace(admin.token, b1);
    await createSpace(admin.token, b1);
    await createSpace(admin.token, b1, { is_available: false });
    await createSpace(admin.token, b2);
    const res = await api(`/api/workspace/workspaces/${id}/`, { token: admin.token });
    expectStatus(res, 200);
    const counts = Object.fromEntries(res.json.data.branches.map((b: any) => [b.id, b.spaces_count]));
    expect(counts).toEqual({ [b1]: 2, [b2]: 1 });
    expect(res.json.data.total_spaces).toBe(3);
    expect(res.json.data.branches_count).toBe(2);
  });

  it('is a 404 for a deactivated member', async () => {
    const admin = await wsUser('admin');
    const gone = await wsUser('gone');
    const id = await createWorkspace(admin);
    const memberId = await invite(admin, id, gone, 'manager');
    expectStatus(await api(`/api/workspace/workspaces/${id}/`, { token: gone.token }), 200);
    await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, {
      method: 'PUT',
      token: admin.token,
      body: { is_active: false },
    });
    expectFailure(await api(`/api/workspace/workspaces/${id}/`, { token: gone.token }), 404, 'Workspace not found');
  });
});

describe('PUT/PATCH /api/workspace/workspaces/{id}/', () => {
  it('lets the admin update part of the workspace', async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { description: 'Renovated', city: 'Lagos' },
    });
    expectStatus(res, 200);
    expect(res.json.message).toBe('Workspace updated successfully');
    expect(res.json.data).toMatchObject({ description: 'Renovated', city: 'Lagos', address: '123 Main St' });
    const patch = await api(`/api/workspace/workspaces/${w.workspaceId}/`, {
      method: 'PATCH',
      token: w.admin.token,
      body: { city: 'Abuja' },
    });
    expectStatus(patch, 200);
    expect(patch.json.workspace.city).toBe('Abuja');
  });

  it('refuses managers, staff and users', async () => {
    for (const who of [w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/workspaces/${w.workspaceId}/`, {
        method: 'PUT',
        token: who.token,
        body: { description: 'x' },
      });
      expectFailure(res, 403, 'Only workspace admin can update workspace');
    }
  });

  it('validates and keeps names unique', async () => {
    const other = await createWorkspace(w.outsider);
    const otherName = (await api(`/api/workspace/workspaces/${other}/`, { token: w.outsider.token })).json.data.name;
    const dup = await api(`/api/workspace/workspaces/${w.workspaceId}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { name: otherName },
    });
    expect(expectFailure(dup, 400, 'Update failed').errors).toEqual({ name: ['workspace with this name already exists.'] });
    const bad = await api(`/api/workspace/workspaces/${w.workspaceId}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { email: 'x', is_active: 'maybe' },
    });
    const errors = expectFailure(bad, 400, 'Update failed').errors;
    expect(errors.email).toEqual(['Enter a valid email address.']);
    expect(errors.is_active).toEqual(['Must be a valid boolean.']);
    const self = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { method: 'PUT', token: w.admin.token, body: {} });
    expectStatus(self, 200);
  });
});

describe('DELETE /api/workspace/workspaces/{id}/', () => {
  it('refuses everyone but the admin', async () => {
    for (const who of [w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { method: 'DELETE', token: who.token });
      expectFailure(res, 403, 'Only workspace admin can delete workspace');
    }
  });

  it('deletes the workspace with its branches, spaces and memberships', async () => {
    const admin = await wsUser('admin');
    const staff = await wsUser('staff');
    const id = await createWorkspace(admin);
    await invite(admin, id, staff, 'staff');
    const branch = await createBranch(admin.token, id);
    const space = await createSpace(admin.token, branch);
    const res = await api(`/api/workspace/workspaces/${id}/`, { method: 'DELETE', token: admin.token });
    expectStatus(res, 200);
    expect(res.json).toEqual({ success: true, message: 'Workspace deleted successfully' });
    expectFailure(await api(`/api/workspace/workspaces/${id}/`, { token: admin.token }), 404);
    expectFailure(await api(`/api/workspace/branches/${branch}/`, { token: admin.token }), 404);
    expectFailure(await api(`/api/workspace/spaces/${space}/`, { token: admin.token }), 404);
    const left = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM workspace_members WHERE workspace_id = ?1) + (SELECT count(*) FROM workspace_branches WHERE workspace_id = ?1) + (SELECT count(*) FROM workspace_spaces WHERE id = ?2) AS n',
    )
      .bind(id, space)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
  });
});
