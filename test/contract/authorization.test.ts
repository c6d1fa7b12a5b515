/**
 * Object-level authorization, mass assignment and lost updates across modules (OWASP API1, API3, API6):
 * one user's objects are invisible or untouchable for another, read-only fields sent by a client are
 * ignored, and parallel writes end in a state equal to some serial order.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, day, expectStatus, makeUser, type TestUser } from '../helpers';

let owner: TestUser;
let other: TestUser;
let friend: TestUser;

beforeAll(async () => {
  [owner, other, friend] = await Promise.all([
    makeUser({ prefix: 'owner' }),
    makeUser({ prefix: 'other' }),
    makeUser({ prefix: 'friend' }),
  ]);
});

/** Every read and write of `detail` by a stranger is 403/404 and never shows the object's data. */
async function expectSealed(detail: string, listPath: string | null, id: number | string, secret: string) {
  // A valid body (the owner's own representation), so that only authorization can refuse it.
  const mine = (await api(detail, { token: owner.token })).json;
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
    const res = await api(detail, {
      method,
      token: other.token,
      body: method === 'PUT' || method === 'PATCH' ? { ...mine, name: 'hijack', title: 'hijack' } : undefined,
    });
    // 405: the resource has no such method at all (e.g. notifications are read-only).
    expect([403, 404, 405], `${method} ${detail} -> ${res.status}: ${res.text}`).toContain(res.status);
    expect(res.text).not.toContain(secret);
  }
  if (listPath) {
    const list = await api(listPath, { token: other.token });
    expect(list.status).toBeLessThan(500);
    expect(list.text, `${listPath} leaks ${id}`).not.toContain(secret);
    // The same list shows the object to its owner: the check above looked where the secret would be.
    const ownList = await api(listPath, { token: owner.token });
    expectStatus(ownList, 200);
    expect(ownList.text, `${listPath} as the owner`).toContain(secret);
  }
  const own = await api(detail, { token: owner.token });
  expectStatus(own, 200);
  expect(own.text).toContain(secret);
}

describe("object-level authorization (a stranger never sees or changes another user's objects)", () => {
  it('projects, their milestones, comments and tasks', async () => {
    const secret = `secret-project-${Date.now()}`;
    const project = await api('/api/projects/', {
      token: owner.token,
      body: { name: secret, start_date: day(), due_date: day(30) },
    });
    expectStatus(project, 201);
    await expectSealed(`/api/projects/${project.json.id}/`, '/api/projects/', project.json.id, secret);

    const milestone = await api('/api/projects/milestones/', {
      token: owner.token,
      body: { name: `${secret}-m`, due_date: day(10), project: project.json.id },
    });
    expectStatus(milestone, 201);
    await expectSealed(
      `/api/projects/milestones/${milestone.json.id}/`,
      '/api/projects/milestones/',
      milestone.json.id,
      `${secret}-m`,
    );

    const task = await api('/api/tasks/', { token: owner.token, body: { title: `${secret}-t`, project: project.json.id } });
    expectStatus(task, 201);
    await expectSealed(`/api/tasks/${task.json.id}/`, '/api/tasks/', task.json.id, `${secret}-t`);
    const toggle = await api(`/api/tasks/${task.json.id}/toggle/`, { method: 'POST', token: other.token });
    expectStatus(toggle, 404);

    const comment = await api(`/api/projects/${project.json.id}/comments/`, {
      token: other.token,
      body: { content: 'intrusion' },
    });
    expectStatus(comment, 404);
    // A stranger cannot attach a task to someone else's project either.
    const foreign = await api('/api/tasks/', { token: other.token, body: { title: 'x', project: project.json.id } });
    expectStatus(foreign, 400);
  });

  it('private channels, direct threads and their messages', async () => {
    const secret = `secret-channel-${Date.now()}`;
    const channel = await api('/api/chat/channels/', {
      token: owner.token,
      body: { name: secret, type: 'private', is_private: true },
    });
    expectStatus(channel, 201);
    await expectSealed(`/api/chat/channels/${channel.json.id}/`, '/api/chat/channels/', channel.json.id, secret);
    const msg = await api('/api/chat/channel-messages/', {
      token: owner.token,
      body: { channel: channel.json.id, content: `${secret}-msg` },
    });
    expectStatus(msg, 201);
    const list = await api(`/api/chat/channel-messages/?channel=${channel.json.id}`, { token: other.token });
    expect(list.text).not.toContain(`${secret}-msg`);
    const ownList = await api(`/api/chat/channel-messages/?channel=${channel.json.id}`, { token: owner.token });
    expect(ownList.text, 'the owner reads the message in the same list').toContain(`${secret}-msg`);
    const post = await api('/api/chat/channel-messages/', {
      token: other.token,
      body: { channel: channel.json.id, content: 'intrusion' },
    });
    expect([400, 403, 404]).toContain(post.status);

    const thread = await api('/api/chat/direct-threads/', { token: owner.token, body: { user_2: friend.id } });
    expect([200, 201]).toContain(thread.status);
    const dm = await api('/api/chat/direct-messages/', {
      token: owner.token,
      body: { thread: thread.json.id, content: `${secret}-dm` },
    });
    expectStatus(dm, 201);
    const threadRes = await api(`/api/chat/direct-threads/${thread.json.id}/`, { token: other.token });
    expectStatus(threadRes, 404);
    const dms = await api('/api/chat/direct-messages/', { token: other.token });
    expect(dms.text).not.toContain(`${secret}-dm`);
    const ownDms = await api('/api/chat/direct-messages/', { token: owner.token });
    expect(ownDms.text, 'the owner reads the message in the same list').toContain(`${secret}-dm`);
  });

  it('workspaces: an outsider gets the same answer as for a workspace that does not exist', async () => {
    const secret = `Secret Workspace ${Date.now()}`;
    const ws = await api('/api/workspace/workspaces/create/', {
      token: owner.token,
      body: { name: secret, description: 'x', address: 'y' },
    });
    expectStatus(ws, 201);
    const id = ws.json.data.workspace_id;
    const outsider = await api(`/api/workspace/workspaces/${id}/`, { token: other.token });
    const missing = await api(`/api/workspace/workspaces/${crypto.randomUUID()}/`, { token: other.token });
    expect(outsider.status).toBe(missing.status);
    expect(outsider.json).toEqual(missing.json);
    expect(outsider.text).not.toContain(secret);
    const list = await api('/api/workspace/workspaces/', { token: other.token });
    expect(list.text).not.toContain(secret);
    const ownList = await api('/api/workspace/workspaces/', { token: owner.token });
    expect(ownList.text, 'the owner sees the workspace in the same list').toContain(secret);
    const invite = await api(`/api/workspace/workspaces/${id}/members/invite/`, {
      token: other.token,
      body: { email: other.email, role: 'manager' },
    });
    expect(invite.status).toBe(missing.status);
  });

  it('notifications of one user are invisible to another', async () => {
    const res = await env.DB.prepare(
      "INSERT INTO notifications (recipient_id, verb, is_read, created_at, event_id) VALUES (?, 'secret-verb', 0, ?, ?) RETURNING id",
    )
      .bind(owner.id, new Date().toISOString(), crypto.randomUUID())
      .first<{ id: number }>();
    await expectSealed(`/api/notifications/${res!.id}/`, '/api/notifications/', res!.id, 'secret-verb');
    expectStatus(await api(`/api/notifications/${res!.id}/mark-read/`, { method: 'POST', token: other.token }), 404);
  });

  it("users-list hides other users' email and phone from non-admins", async () => {
    const res = await api(`/api/accounts/users-list/${owner.id}/`, { token: other.token });
    expectStatus(res, 200);
    expect(res.json.id, res.text).toBe(owner.id);
    expect(res.text).not.toContain(owner.email);
    // An Admin reads the same record with the email: the check above looked where it would be.
    const admin = await makeUser({ role: 'Admin' });
    expect((await api(`/api/accounts/users-list/${owner.id}/`, { token: admin.token })).text).toContain(owner.email);
  });
});

describe('mass assignment: read-only fields sent by a client are ignored', () => {
  it('registration cannot choose a role; me cannot change it', async () => {
    const name = `massrole${Date.now()}`;
    expectStatus(
      await api('/api/users/register/', {
        body: { username: name, email: `${name}@example.com`, password: 'longenough1', role: 'Admin', is_staff: true },
      }),
      201,
    );
    const row = await env.DB.prepare('SELECT role, is_staff FROM users WHERE username = ?').bind(name).first<any>();
    expect(row).toEqual({ role: 'Staff', is_staff: 0 });
  });

  it("a task's id, creator and completion time come from the server", async () => {
    const res = await api('/api/tasks/', {
      token: owner.token,
      body: { title: 'mass', id: 987654, created_by: other.id, completed_at: '2020-01-01T00:00:00Z' },
    });
    expectStatus(res, 201);
    expect(res.json.id).not.toBe(987654);
    const row = await env.DB.prepare('SELECT created_by_id, completed_at FROM tasks WHERE id = ?').bind(res.json.id).first<any>();
    expect(row).toEqual({ created_by_id: owner.id, completed_at: null });
  });

  it("an invoice's balance and paid flag come from the server", async () => {
    const admin = await makeUser({ role: 'Admin' });
    const party = await api('/api/finance/parties/', { token: admin.token, body: { name: 'Mass Co', type: 'client' } });
    expectStatus(party, 201);
    const inv = await api('/api/finance/invoices/', {
      token: admin.token,
      body: { party: party.json.id, amount: 100, is_paid: true, balance: '0.00' },
    });
    expectStatus(inv, 201);
    expect(inv.json.is_paid).toBe(false);
    expect(inv.json.balance).toBe('100.00');
  });

  it("a workspace's admin is the caller, whatever the body says", async () => {
    const res = await api('/api/workspace/workspaces/create/', {
      token: owner.token,
      body: { name: `Mass WS ${Date.now()}`, admin_id: other.uuid, admin: other.uuid },
    });
    expectStatus(res, 201);
    expect(res.json.data.admin_id).toBe(owner.uuid);
  });
});

describe('no lost updates under concurrency', () => {
  it('20 parallel toggles of one task end as 20 serial toggles would: open, with counters back to zero', async () => {
    const project = await api('/api/projects/', {
      token: owner.token,
      body: { name: 'race', start_date: day(), due_date: day(5) },
    });
    const task = await api('/api/tasks/', {
      token: owner.token,
      body: { title: 'race', project: project.json.id, assigned_to: owner.id },
    });
    expectStatus(task, 201);
    const before = await env.DB.prepare('SELECT total_tasks_completed AS n FROM users WHERE id = ?')
      .bind(owner.id)
      .first<{ n: number }>();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => api(`/api/tasks/${task.json.id}/toggle/`, { method: 'POST', token: owner.token })),
    );
    expect(
      results.map((r) => r.status).join(','),
      results
        .filter((r) => r.status !== 200)
        .map((r) => r.text)
        .join('\n')
        .slice(0, 800),
    ).toBe(Array(20).fill(200).join(','));
    const completed = results.filter((r) => r.json.message === 'Task completed').length;
    expect(completed).toBe(10);
    const after = await api(`/api/tasks/${task.json.id}/`, { token: owner.token });
    expect(after.json.is_completed).toBe(false);
    const counter = await env.DB.prepare('SELECT total_tasks_completed AS n FROM users WHERE id = ?')
      .bind(owner.id)
      .first<{ n: number }>();
    expect(counter!.n).toBe(before!.n);
  });

  it('10 parallel PATCHes completing one task count it once', async () => {
    const project = await api('/api/projects/', {
      token: owner.token,
      body: { name: 'race2', start_date: day(), due_date: day(5) },
    });
    const task = await api('/api/tasks/', {
      token: owner.token,
      body: { title: 'race2', project: project.json.id, assigned_to: owner.id },
    });
    const before = await env.DB.prepare('SELECT total_tasks_completed AS n FROM users WHERE id = ?')
      .bind(owner.id)
      .first<{ n: number }>();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(`/api/tasks/${task.json.id}/`, { method: 'PATCH', token: owner.token, body: { is_completed: true } }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const after = await env.DB.prepare('SELECT total_tasks_completed AS n FROM users WHERE id = ?')
      .bind(owner.id)
      .first<{ n: number }>();
    expect(after!.n).toBe(before!.n + 1);
  });

  it('parallel role changes of one member leave exactly one membership with one of the requested roles', async () => {
    const ws = await api('/api/workspace/workspaces/create/', {
      token: owner.token,
      body: { name: `Race WS ${Date.now()}`, description: 'x', address: 'y' },
    });
    const id = ws.json.data.workspace_id;
    const invited = await api(`/api/workspace/workspaces/${id}/members/invite/`, {
      token: owner.token,
      body: { email: friend.email, role: 'staff' },
    });
    expectStatus(invited, 201);
    const memberId = invited.json.member.id;
    const roles = ['manager', 'staff', 'user'];
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        api(`/api/workspace/workspaces/${id}/members/${memberId}/`, {
          method: 'PUT',
          token: owner.token,
          body: { role: roles[i % 3] },
        }),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const rows = await env.DB.prepare('SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?')
      .bind(id, friend.id)
      .all<{ role: string }>();
    expect(rows.results.length).toBe(1);
    expect(roles).toContain(rows.results[0].role);
  });
});
