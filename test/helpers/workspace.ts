/**
 * Workspace-family factories: a workspace with one person per role (admin, manager, staff, user,
 * an outsider), its branches and spaces, built through the API itself; the failure envelope.
 */
import { expect } from 'vitest';
import { api, expectStatus } from './http';
import { type TestUser, uniq, wsUser } from './users';

/** Creates a workspace as `owner`; returns its id. */
export async function createWorkspace(owner: TestUser, body: Record<string, unknown> = {}) {
  const res = await api('/api/workspace/workspaces/create/', {
    token: owner.token,
    body: { name: uniq('Workspace'), description: 'Main office', address: '123 Main St', ...body },
  });
  expectStatus(res, 201);
  return res.json.data.workspace_id as string;
}

export async function createBranch(token: string, workspaceId: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/workspace/branches/create/', {
    token,
    body: { workspace_id: workspaceId, name: uniq('Branch'), address: '1 Branch Rd', ...body },
  });
  expectStatus(res, 201);
  return res.json.data.id as string;
}

export async function createSpace(token: string, branchId: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/workspace/spaces/create/', {
    token,
    body: { branch_id: branchId, name: uniq('Room'), space_type: 'meeting_room', capacity: 8, hourly_rate: 75, ...body },
  });
  expectStatus(res, 201);
  return res.json.data.id as string;
}

export async function invite(admin: { token: string }, workspaceId: string, who: TestUser, role: string) {
  const res = await api(`/api/workspace/workspaces/${workspaceId}/members/invite/`, {
    token: admin.token,
    body: { email: who.email, role },
  });
  expectStatus(res, 201);
  return res.json.member.id as string;
}

export interface World {
  admin: TestUser;
  manager: TestUser;
  staff: TestUser;
  member: TestUser;
  outsider: TestUser;
  workspaceId: string;
  branchId: string;
  spaceId: string;
  memberIds: { manager: string; staff: string; member: string };
}

/** A workspace with a branch and a space, and one account per role. */
export async function world(): Promise<World> {
  const [admin, manager, staff, member, outsider] = await Promise.all([
    wsUser('admin'),
    wsUser('manager'),
    wsUser('staff'),
    wsUser('user'),
    wsUser('outsider'),
  ]);
  const workspaceId = await createWorkspace(admin);
  const memberIds = {
    manager: await invite(admin, workspaceId, manager, 'manager'),
    staff: await invite(admin, workspaceId, staff, 'staff'),
    member: await invite(admin, workspaceId, member, 'user'),
  };
  const branchId = await createBranch(admin.token, workspaceId);
  const spaceId = await createSpace(admin.token, branchId);
  return { admin, manager, staff, member, outsider, workspaceId, branchId, spaceId, memberIds };
}

/**
 * Asserts the workspace failure envelope: exactly success, message and errors (and, on a 404 of a
 * workspace, branch, space or member, the original's DRF `detail` beside them: issue 20, item 2).
 */
export function expectFailure(res: { status: number; text: string; json: any }, status: number, message?: string) {
  expectStatus(res, status);
  const keys = Object.keys(res.json).filter((k) => !(status === 404 && k === 'detail'));
  expect(keys.sort(), res.text).toEqual(['errors', 'message', 'success']);
  if (status === 404 && 'detail' in res.json)
    expect(res.json.detail, res.text).toMatch(/^No (Workspace|Branch|Space|WorkspaceUser) matches the given query\.$/);
  expect(res.json.success).toBe(false);
  expect(typeof res.json.errors, res.text).toBe('object');
  if (message !== undefined) expect(res.json.message, res.text).toBe(message);
  return res.json;
}
