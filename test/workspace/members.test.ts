import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBranch, createWorkspace, expectFailure, invite, world, type World } from '../helpers/workspace';
import { api, eventually, expectStatus, waitForMail, wsUser } from '../helpers';

let w: World;
beforeAll(async () => {
  w = await world();
});

const inviteAs = (token: string, workspaceId: string, body: Record<string, unknown>) =>
  api(`/api/workspace/workspaces/${workspaceId}/members/invite/`, { token, body });

describe('POST /api/workspace/workspaces/{id}/members/invite/', () => {
  it('adds an existing account, emails it and notifies it', async () => {
    const newcomer = await wsUser('newcomer');
    const res = await inviteAs(w.admin.token, w.workspaceId, { email: newcomer.email, role: 'manager' });
    expectStatus(res, 201);
    expect(res.json.message).toBe('User invited as manager successfully');
    expect(res.json.member).toEqual(res.json.data);
    expect(res.json.member).toMatchObject({
      workspace_id: w.workspaceId,
      user_id: newcomer.uuid,
      user_email: newcomer.email,
      user_name: newcomer.full_name,
      role: 'manager',
      role_display: 'Manager',
      is_active: true,
    });
    const mail = await waitForMail(newcomer.email);
    expect(mail[0].text).toContain('as manager');
    const row = await eventually(() =>
      env.DB.prepare('SELECT actor_id, verb, target_type, target_id FROM notifications WHERE recipient_id = ?')
        .bind(newcomer.id)
        .first(),
    );
    expect(row).toEqual({
      actor_id: w.admin.id,
      verb: 'invited you to a workspace',
      target_type: 'workspace',
      target_id: w.workspaceId,
    });
    expectStatus(await api(`/api/workspace/workspaces/${w.workspaceId}/`, { token: newcomer.token }), 200);
  });

  it('refuses managers, staff and users', async () => {
    const someone = await wsUser('someone');
    for (const who of [w.manager, w.staff, w.member]) {
      expectFailure(
        await inviteAs(who.token, w.workspaceId, { email: someone.email, role: 'staff' }),
        403,
        'Only workspace admin can invite members',
      );
    }
  });

  it('refuses the admin role and bad input', async () => {
    const someone = await wsUser('someone');
    const admin = await inviteAs(w.admin.token, w.workspaceId, { email: someone.email, role: 'admin' });
    expect(expectFailure(admin, 400, 'Invitation failed').errors).toEqual({ role: ['"admin" is not a valid choice.'] });
    const empty = await inviteAs(w.admin.token, w.workspaceId, {});
    expect(expectFailure(empty, 400, 'Invitation failed').errors).toEqual({
      email: ['This field is required.'],
      role: ['This field is required.'],
    });
    const bad = await inviteAs(w.admin.token, w.workspaceId, { email: 'not-an-email', role: 'staff' });
    expect(expectFailure(bad, 400).errors).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('reaches existing accounts only', async () => {
    const res = await inviteAs(w.admin.token, w.workspaceId, { email: 'nobody-here@example.com', role: 'staff' });
    expectFailure(res, 404, 'User with this email does not exist. They need to register first.');
  });

  it('refuses a duplicate, the admin themself, and an inactive member', async () => {
    expectFailure(
      await inviteAs(w.admin.token, w.workspaceId, { email: w.staff.email, role: 'user' }),
      400,
      'User is already a member of this workspace',
    );
    expectFailure(
      await inviteAs(w.admin.token, w.workspaceId, { email: w.admin.email, role: 'user' }),
      400,
      'User is already a member of this workspace',
    );
    const sleeper = await wsUser('sleeper');
    const id = await invite(w.admin, w.workspaceId, sleeper, 'staff');
    await api(`/api/workspace/workspaces/${w.workspaceId}/members/${id}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { is_active: false },
    });
    expectFailure(
      await inviteAs(w.admin.token, w.workspaceId, { email: sleeper.email, role: 'staff' }),
      400,
      'User is already a member of this workspace',
    );
  });
});

describe('GET /api/workspace/workspaces/{id}/members/', () => {
  it('lists the invited memberships only, the owner under admin (original: the same; before: the owner repeated first in members)', async () => {
    for (const who of [w.admin, w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/workspaces/${w.workspaceId}/members/`, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.message).toBe('Members retrieved successfully');
      expect(res.json.admin).toMatchObject({ id: w.admin.uuid, email: w.admin.email, role: 'admin' });
      const ids = res.json.members.map((m: any) => m.user_id);
      expect(ids, res.text).not.toContain(w.admin.uuid);
      expect(res.json.count, res.text).toBe(ids.length);
      for (const u of [w.manager, w.staff, w.member]) expect(ids).toContain(u.uuid);
      expect(res.json.data).toEqual(res.json.members);
    }
  });

  it('shows inactive members to the admin only', async () => {
    const admin = await wsUser('admin');
    const staff = await wsUser('staff');
    const off = await wsUser('off');
    const id = await createWorkspace(admin);
    await invite(admin, id, staff, 'staff');
    const offId = await invite(admin, id, off, 'user');
    await api(`/api/workspace/workspaces/${id}/members/${offId}/`, {
      method: 'PUT',
      token: admin.token,
      body: { is_active: false },
    });
    const forAdmin = await api(`/api/workspace/workspaces/${id}/members/`, { token: admin.token });
    expect(forAdmin.json.count, forAdmin.text).toBe(2);
    const forStaff = await api(`/api/workspace/workspaces/${id}/members/`, { token: staff.token });
    expect(forStaff.json.count, forStaff.text).toBe(1);
    expect(forStaff.json.members.map((m: any) => m.user_id)).not.toContain(off.uuid);
    expectFailure(
      await api(`/api/workspace/workspaces/${id}/members/${offId}/`, { token: staff.token }),
      404,
      'Member not found',
    );
    expectStatus(await api(`/api/workspace/workspaces/${id}/members/${offId}/`, { token: admin.token }), 200);
  });

  it('paginates', async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/members/?page_size=2`, { token: w.staff.token });
    expectStatus(res, 200);
    expect(res.json.members).toHaveLength(2);
    expect(res.json.count).toBeGreaterThan(2);
    expect(res.json.next).toContain('page=2');
  });
});

describe('GET /api/workspace/workspaces/{id}/members/{member_id}/', () => {
  it('serves a membership to members and 404s for ids of other workspaces', async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/members/${w.memberIds.staff}/`, { token: w.member.token });
    expectStatus(res, 200);
    expect(res.json.member).toMatchObject({ id: w.memberIds.staff, user: { id: w.staff.uuid, email: w.staff.email } });
    const elsewhere = await createWorkspace(w.admin);
    expectFailure(
      await api(`/api/workspace/workspaces/${elsewhere}/members/${w.memberIds.staff}/`, { token: w.admin.token }),
      404,
      'Member not found',
    );
  });
});

describe('PUT /api/workspace/workspaces/{id}/members/{member_id}/', () => {
  it("changes a member's role", async () => {
    const admin = await wsUser('admin');
    const who = await wsUser('who');
    const id = await createWorkspace(admin);
    const memberId = await invite(admin, id, who, 'staff');
    const res = await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, {
      method: 'PUT',
      token: admin.token,
      body: { role: 'manager' },
    });
    expectStatus(res, 200);
    expect(res.json.message).toBe('Member updated successfully');
    expect(res.json.member).toMatchObject({ role: 'manager', is_active: true, user: { id: who.uuid } });
    // The promoted manager may now create spaces in any branch.
    const branch = await createBranch(admin.token, id);
    const space = await api('/api/workspace/spaces/create/', {
      token: who.token,
      body: { branch_id: branch, name: 'Desk', space_type: 'desk', capacity: 1, hourly_rate: 1 },
    });
    expectStatus(space, 201);
    const patch = await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, {
      method: 'PATCH',
      token: admin.token,
      body: { role: 'user' },
    });
    expect(patch.json.member.role).toBe('user');
  });

  it('refuses managers, staff and users', async () => {
    for (const who of [w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/workspaces/${w.workspaceId}/members/${w.memberIds.member}/`, {
        method: 'PUT',
        token: who.token,
        body: { role: 'manager' },
      });
      expectFailure(res, 403, 'Only workspace admin can update member roles');
    }
  });

  it('refuses a bad role, a bad flag, the admin row and unknown members', async () => {
    const url = `/api/workspace/workspaces/${w.workspaceId}/members/${w.memberIds.member}/`;
    const role = await api(url, { method: 'PUT', token: w.admin.token, body: { role: 'admin' } });
    expect(expectFailure(role, 400, 'Invalid role. Must be one of: manager, staff, user').errors).toEqual({
      role: ['"admin" is not a valid choice.'],
    });
    const flag = await api(url, { method: 'PUT', token: w.admin.token, body: { is_active: 'sometimes' } });
    expect(expectFailure(flag, 400, 'Member update failed').errors).toEqual({ is_active: ['Must be a valid boolean.'] });
    // The owner's own row is not in the members list (the original's shape); the hierarchy shows it.
    const detail = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { token: w.admin.token });
    const adminRow = detail.json.data.members.find((m: any) => m.role === 'admin').id;
    const own = await api(`/api/workspace/workspaces/${w.workspaceId}/members/${adminRow}/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { role: 'staff' },
    });
    expectFailure(own, 400, 'Cannot change admin role');
    const unknown = await api(`/api/workspace/workspaces/${w.workspaceId}/members/00000000-0000-4000-8000-000000000000/`, {
      method: 'PUT',
      token: w.admin.token,
      body: { role: 'staff' },
    });
    expectFailure(unknown, 404, 'Member not found');
  });

  it('cuts a deactivated member off at once, and lets them back in when reactivated', async () => {
    const admin = await wsUser('admin');
    const who = await wsUser('who');
    const id = await createWorkspace(admin);
    const branch = await createBranch(admin.token, id);
    const memberId = await invite(admin, id, who, 'manager');
    expectStatus(await api(`/api/workspace/branches/${branch}/`, { token: who.token }), 200);
    const off = await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, {
      method: 'PUT',
      token: admin.token,
      body: { is_active: false },
    });
    expect(off.json.member.is_active).toBe(false);
    expectFailure(await api(`/api/workspace/branches/${branch}/`, { token: who.token }), 404, 'Branch not found');
    expectFailure(await api(`/api/workspace/workspaces/${id}/members/`, { token: who.token }), 404, 'Workspace not found');
    await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, {
      method: 'PUT',
      token: admin.token,
      body: { is_active: true },
    });
    expectStatus(await api(`/api/workspace/branches/${branch}/`, { token: who.token }), 200);
  });
});

describe('DELETE /api/workspace/workspaces/{id}/members/{member_id}/', () => {
  it('refuses managers, staff and users', async () => {
    for (const who of [w.manager, w.staff, w.member]) {
      const res = await api(`/api/workspace/workspaces/${w.workspaceId}/members/${w.memberIds.member}/`, {
        method: 'DELETE',
        token: who.token,
      });
      expectFailure(res, 403, 'Only workspace admin can remove members');
    }
  });

  it('never removes the admin', async () => {
    // The owner's own row is not in the members list (the original's shape); the hierarchy shows it.
    const detail = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { token: w.admin.token });
    const adminRow = detail.json.data.members.find((m: any) => m.role === 'admin').id;
    expectFailure(
      await api(`/api/workspace/workspaces/${w.workspaceId}/members/${adminRow}/`, { method: 'DELETE', token: w.admin.token }),
      400,
      'Cannot remove workspace admin',
    );
  });

  it('removes a member, who loses access at once and stops managing their branch', async () => {
    const admin = await wsUser('admin');
    const who = await wsUser('who');
    const id = await createWorkspace(admin);
    const memberId = await invite(admin, id, who, 'staff');
    const branch = await createBranch(admin.token, id, { manager_id: who.uuid });
    const res = await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, { method: 'DELETE', token: admin.token });
    expectStatus(res, 200);
    expect(res.json).toEqual({ success: true, message: 'Member removed from workspace' });
    expectFailure(await api(`/api/workspace/workspaces/${id}/`, { token: who.token }), 404, 'Workspace not found');
    const space = await api('/api/workspace/spaces/create/', {
      token: who.token,
      body: { branch_id: branch, name: 'X', space_type: 'desk', capacity: 1, hourly_rate: 1 },
    });
    expectFailure(space, 404, 'Branch not found');
    const detail = await api(`/api/workspace/branches/${branch}/`, { token: admin.token });
    expect(detail.json.data.manager_id).toBeNull();
    expectFailure(
      await api(`/api/workspace/workspaces/${id}/members/${memberId}/`, { method: 'DELETE', token: admin.token }),
      404,
      'Member not found',
    );
  });
});
