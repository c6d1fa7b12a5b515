/**
 * Drop-in parity with the original workspace API (issue 20, workspace items). Each test names the
 * original's answer and ours. Item 3 (members list without the owner) is in members.test.ts and
 * workspaces.test.ts, item 6 (a space without a price) in spaces.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type World, world } from '../helpers/workspace';
import { api, expectStatus } from '../helpers';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('workspace parity with the original', () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  }, 60_000);

  it('item 1: branch detail nests the workspace object (original) and keeps workspace_id (seed)', async () => {
    const res = await api(`/api/workspace/branches/${w.branchId}/`, { token: w.staff.token });
    expectStatus(res, 200);
    const b = res.json.branch;
    expect(b.workspace_id, res.text).toBe(w.workspaceId);
    expect(b.workspace, res.text).toMatchObject({ id: w.workspaceId, workspace_id: w.workspaceId, admin: w.admin.uuid });
    expect(typeof b.workspace.name, res.text).toBe('string');
    expect(
      b.spaces.map((s: { id: string }) => s.id),
      res.text,
    ).toContain(w.spaceId);
    expect(res.json.data).toEqual(b);
  });

  it('item 1: space detail nests the branch object (original) and keeps branch_id and workspace_id (seed)', async () => {
    const res = await api(`/api/workspace/spaces/${w.spaceId}/`, { token: w.member.token });
    expectStatus(res, 200);
    const s = res.json.space;
    expect(s.branch_id, res.text).toBe(w.branchId);
    expect(s.workspace_id, res.text).toBe(w.workspaceId);
    expect(s.branch, res.text).toMatchObject({ id: w.branchId, branch_id: w.branchId, workspace_id: w.workspaceId });
    expect(typeof s.branch.name, res.text).toBe('string');
  });

  it('item 1: lists and writes keep the flat ids (branch.workspace and space.branch are ids there, as the seed)', async () => {
    const branches = await api(`/api/workspace/branches/?workspace_id=${w.workspaceId}`, { token: w.admin.token });
    expect(branches.json.branches[0].workspace, branches.text).toBe(w.workspaceId);
    const spaces = await api(`/api/workspace/spaces/?branch_id=${w.branchId}`, { token: w.admin.token });
    expect(spaces.json.spaces[0].branch, spaces.text).toBe(w.branchId);
  });

  it.each([
    ['workspace', `/api/workspace/workspaces/${MISSING}/`, 'Workspace not found', 'No Workspace matches the given query.'],
    ['branch', `/api/workspace/branches/${MISSING}/`, 'Branch not found', 'No Branch matches the given query.'],
    ['space', `/api/workspace/spaces/${MISSING}/`, 'Space not found', 'No Space matches the given query.'],
  ])(
    'item 2: an unknown %s is the original DRF detail ("No … matches the given query.") beside our envelope',
    async (_what, path, message, detail) => {
      const res = await api(path, { token: w.admin.token });
      expectStatus(res, 404);
      expect(res.json, res.text).toEqual({ success: false, message, errors: { non_field_errors: [message] }, detail });
    },
  );

  it('item 2: an unknown member is "No WorkspaceUser matches the given query." (original) beside our envelope', async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/members/${MISSING}/`, { token: w.admin.token });
    expectStatus(res, 404);
    expect(res.json, res.text).toMatchObject({
      success: false,
      message: 'Member not found',
      detail: 'No WorkspaceUser matches the given query.',
    });
  });

  it("item 2: an outsider's 404 is the same body as for a missing workspace (the original answered 403)", async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { token: w.outsider.token });
    expectStatus(res, 404);
    expect(res.json.detail, res.text).toBe('No Workspace matches the given query.');
  });

  it('item 7: a wrong method is a 405 envelope with DRF\'s detail (original: {"detail": "Method \\"PATCH\\" not allowed."})', async () => {
    const res = await api('/api/workspace/workspaces/', { method: 'PATCH', token: w.admin.token, body: {} });
    expectStatus(res, 405);
    expect(res.json.success, res.text).toBe(false);
    expect(res.json.detail, res.text).toBe('Method "PATCH" not allowed.');
    expect(res.json.message, res.text).toBe(res.json.detail);
  });

  it('item 7: a bad token is a 401 with simplejwt\'s messages (original: token_class AccessToken, "Token is invalid")', async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { token: 'not-a-token' });
    expectStatus(res, 401);
    expect(res.json.messages, res.text).toEqual([
      { token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid' },
    ]);
  });

  it('item 8: an omitted branch description is null (original: null; we answered "")', async () => {
    const res = await api('/api/workspace/branches/create/', {
      token: w.admin.token,
      body: { workspace_id: w.workspaceId, name: `no-description-${Date.now()}`, address: '1 Road' },
    });
    expectStatus(res, 201);
    expect(res.json.branch.description, res.text).toBeNull();
    const detail = await api(`/api/workspace/branches/${res.json.branch.id}/`, { token: w.admin.token });
    expect(detail.json.branch.description, detail.text).toBeNull();
    const given = await api(`/api/workspace/branches/${res.json.branch.id}/`, {
      method: 'PATCH',
      token: w.admin.token,
      body: { description: 'Quiet floor' },
    });
    expect(given.json.branch.description, given.text).toBe('Quiet floor');
    const cleared = await api(`/api/workspace/branches/${res.json.branch.id}/`, {
      method: 'PATCH',
      token: w.admin.token,
      body: { description: null },
    });
    expect(cleared.json.branch.description, cleared.text).toBeNull();
  });

  it("item 8: a space's operational_hours and availability_schedule default to {} (original), not null (before)", async () => {
    const res = await api(`/api/workspace/spaces/${w.spaceId}/`, { token: w.admin.token });
    expectStatus(res, 200);
    expect(res.json.space.operational_hours, res.text).toEqual({});
    expect(res.json.space.availability_schedule, res.text).toEqual({});
    const list = await api(`/api/workspace/spaces/?branch_id=${w.branchId}`, { token: w.admin.token });
    expect(list.json.spaces[0].operational_hours, list.text).toEqual({});
  });
});
