/**
 * The admin-only deletes of workspaces, branches and spaces run the caller's access check and the
 * delete in one batch, the delete conditional on the caller being the workspace's admin: a refusal
 * must leave the row (and what would cascade with it) in place, and the admin's delete is one trip.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, countingD1, expectStatus, type TestUser, wsUser } from '../helpers';
import { createBranch, createSpace, createWorkspace, expectFailure, invite } from '../helpers/workspace';

let admin: TestUser;
let manager: TestUser;
let staff: TestUser;
let workspaceId: string;
let branchId: string;
let spaceId: string;

beforeAll(async () => {
  [admin, manager, staff] = await Promise.all([wsUser('del-admin'), wsUser('del-manager'), wsUser('del-staff')]);
  workspaceId = await createWorkspace(admin);
  await invite(admin, workspaceId, manager, 'manager');
  await invite(admin, workspaceId, staff, 'staff');
  branchId = await createBranch(admin.token, workspaceId, { manager_id: manager.uuid });
  spaceId = await createSpace(admin.token, branchId);
});

const still = async (path: string) => expectStatus(await api(path, { token: admin.token }), 200);

describe('admin-only deletes (workspace, branch, space)', () => {
  it('a refused delete deletes nothing: the row and its children are still there', async () => {
    const cases: [string, string][] = [
      [`/api/workspace/spaces/${spaceId}/`, 'Only workspace admin can delete spaces'],
      [`/api/workspace/branches/${branchId}/`, 'Only workspace admin can delete branches'],
      [`/api/workspace/workspaces/${workspaceId}/`, 'Only workspace admin can delete workspace'],
    ];
    for (const [path, message] of cases)
      for (const who of [manager, staff]) expectFailure(await api(path, { method: 'DELETE', token: who.token }), 403, message);
    await still(`/api/workspace/spaces/${spaceId}/`);
    await still(`/api/workspace/branches/${branchId}/`);
    await still(`/api/workspace/workspaces/${workspaceId}/`);
  });

  it("the admin's delete is one round trip (access check, photo keys and delete in one batch)", async () => {
    const paths = [
      `/api/workspace/spaces/${await createSpace(admin.token, branchId)}/`,
      `/api/workspace/branches/${await createBranch(admin.token, workspaceId)}/`,
      `/api/workspace/workspaces/${await createWorkspace(admin)}/`,
    ];
    for (const path of paths) {
      const DB = countingD1();
      const res = await api(path, { method: 'DELETE', token: admin.token, env: { ...env, DB } });
      expectStatus(res, 200);
      expect(DB.trips, `${path}: ${res.text}`).toBe(1);
      expectFailure(await api(path, { token: admin.token }), 404);
    }
  });
});
