/**
 * Workspace-family test factories: accounts registered through /api/user/ and a workspace with one
 * person per role (admin, manager, staff, user, an outsider), built through the API itself.
 */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { api, expectStatus } from '../helpers';

export const PASSWORD = 'SecurePass123!';
let counter = 0;

/** A unique suffix for names that must be unique (workspace names and emails are global). */
export const uniq = (prefix = 'x') => `${prefix}-${Date.now().toString(36)}-${counter++}`;

export interface WsUser {
  id: number;
  uuid: string;
  email: string;
  full_name: string;
  token: string;
}

/** Registers an account through the seed's /api/user/register/. */
export async function wsUser(name = 'member', domain = 'example.com'): Promise<WsUser> {
  const email = `${uniq(name)}@${domain}`;
  const full_name = `${name} ${counter}`;
  const res = await api('/api/user/register/', { body: { full_name, email, password: PASSWORD, confirm_password: PASSWORD } });
  expectStatus(res, 201);
  const row = await env.DB.prepare('SELECT id FROM users WHERE uuid = ?').bind(res.json.user.user_id).first<{ id: number }>();
  return { id: row!.id, uuid: res.json.user.user_id, email, full_name, token: res.json.token.access_token };
}

/** Creates a workspace as `owner`; returns its id. */
export async function createWorkspace(owner: WsUser, body: Record<string, unknown> = {}) {
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

export async function invite(admin: { token: string }, workspaceId: string, who: WsUser, role: string) {
  const res = await api(`/api/workspace/workspaces/${workspaceId}/members/invite/`, {
    token: admin.token,
    body: { email: who.email, role },
  });
  expectStatus(res, 201);
  return res.json.member.id as string;
}

export interface World {
  admin: WsUser;
  manager: WsUser;
  staff: WsUser;
  member: WsUser;
  outsider: WsUser;
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
