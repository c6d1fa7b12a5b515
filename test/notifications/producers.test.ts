/**
 * One event from each producing module, end to end: the module's API publishes on the
 * NOTIFICATIONS queue, the consumer stores the row, and the recipient reads it from
 * GET /api/notifications/ (polled: the queue delivers asynchronously).
 */
import { describe, expect, it } from 'vitest';
import { api, eventually, expectStatus, makeUser, type TestUser } from '../helpers';

/** Polls the recipient's notifications until one with a matching verb arrives. */
async function waitForVerb(token: string, verb: RegExp) {
  let last = '';
  return eventually(
    async () => {
      const res = await api('/api/notifications/?page_size=100', { token });
      expectStatus(res, 200);
      last = res.text;
      return res.json.results.find((n: any) => verb.test(n.verb)) as
        | { id: number; actor: { id: number; username: string } | null; verb: string; is_read: boolean }
        | undefined;
    },
    { message: () => `no notification matching ${verb}: ${last}` },
  );
}

const tag = () => crypto.randomUUID().slice(0, 8);

describe('notifications produced by other modules', () => {
  it('tasks: the assignee of a new task is notified', async () => {
    const owner: TestUser = await makeUser();
    const assignee = await makeUser();
    const project = await api('/api/projects/', {
      token: owner.token,
      body: { name: `P ${tag()}`, start_date: '2025-01-01', due_date: '2099-12-31' },
    });
    expectStatus(project, 201);
    const task = await api('/api/tasks/', {
      token: owner.token,
      body: { title: `T ${tag()}`, project: project.json.id, assigned_to: assignee.id },
    });
    expectStatus(task, 201);
    const n = await waitForVerb(assignee.token, /^(assigned you to a task|created a task)$/);
    expect(n.actor).toEqual({ id: owner.id, username: owner.username });
    expect(n.is_read).toBe(false);
  });

  it('field: the rep given a lead is notified', async () => {
    const manager = await makeUser();
    const rep = await makeUser();
    const lead = await api('/api/field/leads/', {
      token: manager.token,
      body: { business_name: `Biz ${tag()}`, contact_phone: '0700000000', assigned_rep: rep.id },
    });
    expectStatus(lead, 201);
    const n = await waitForVerb(rep.token, /lead/);
    expect(n.actor).toEqual({ id: manager.id, username: manager.username });
  });

  it('finance: the requester of an approved requisition is notified', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const staff = await makeUser();
    const req = await api('/api/finance/requisitions/', {
      token: staff.token,
      body: { amount: '50.00', purpose: `Paper ${tag()}` },
    });
    expectStatus(req, 201);
    const approve = await api(`/api/finance/requisitions/${req.json.id}/`, {
      method: 'PATCH',
      token: admin.token,
      body: { status: 'approved' },
    });
    expectStatus(approve, 200);
    const n = await waitForVerb(staff.token, /^approved your requisition$/);
    expect(n.actor).toEqual({ id: admin.id, username: admin.username });
  });

  it('workspace: an invited member is notified', async () => {
    const password = 'SecurePass123!';
    const register = async (name: string) => {
      const email = `${name}-${tag()}@example.com`;
      const res = await api('/api/user/register/', { body: { full_name: name, email, password, confirm_password: password } });
      expectStatus(res, 201);
      return { email, token: res.json.token.access_token as string };
    };
    const owner = await register('owner');
    const invitee = await register('invitee');
    const ws = await api('/api/workspace/workspaces/create/', {
      token: owner.token,
      body: { name: `WS ${tag()}`, description: 'd', address: 'a' },
    });
    expectStatus(ws, 201);
    const inv = await api(`/api/workspace/workspaces/${ws.json.data.workspace_id}/members/invite/`, {
      token: owner.token,
      body: { email: invitee.email, role: 'staff' },
    });
    expectStatus(inv, 201);
    // The same account reads its Tamiti notifications (one users table, one token format).
    const n = await waitForVerb(invitee.token, /^invited you to a workspace$/);
    expect(n.actor).not.toBeNull();
  });
});
