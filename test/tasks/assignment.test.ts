/**
 * Issue 14, finding 7: assigning a task shows its whole project to the assignee, so an assignment
 * is a grant of access. Only who manages the task (its creator, a manager of its project) changes the
 * assignee, and only to someone who sees the project; a project manager's assignment of someone who
 * does not makes them a `viewer` member in the same batch.
 */
import { describe, it, expect } from 'vitest';
import { env } from 'cloudflare:test';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { api, expectStatus, makeUser } from '../helpers';

const sees = async (who: { token: string }, projectId: number) =>
  (await api(`/api/projects/${projectId}/`, { token: who.token })).status;
const patch = (who: { token: string }, taskId: number, body: Record<string, unknown>) =>
  api(`/api/tasks/${taskId}/`, { token: who.token, method: 'PATCH', body });
const membership = (projectId: number, userId: number) =>
  env.DB.prepare('SELECT role FROM project_members WHERE project_id = ? AND user_id = ?')
    .bind(projectId, userId)
    .first<{ role: string }>();

describe('who may change a task’s assignee (issue 14 #7)', () => {
  it('an assignee cannot re-assign or un-assign the task, so cannot hand the project to an outsider (403)', async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, assignee, 'viewer');
    const t = await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    const handOut = await patch(assignee, t.id, { assigned_to: outsider.id });
    expectStatus(handOut, 403);
    expect(await sees(outsider, p.id), 'the outsider must not see the project').toBe(404);
    expectStatus(await patch(assignee, t.id, { assigned_to: null }), 403);
    // The assignee still edits everything else of their task, and a PUT naming the same assignee is no change.
    expectStatus(await patch(assignee, t.id, { notes: 'on it', assigned_to: assignee.id }), 200);
    const row = await env.DB.prepare('SELECT assigned_to_id AS a FROM tasks WHERE id = ?').bind(t.id).first<{ a: number }>();
    expect(row!.a).toBe(assignee.id);
  });

  it('a contributor cannot re-assign a task someone else created (403)', async () => {
    const owner = await makeUser();
    const contributor = await makeUser();
    const mate = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, contributor, 'contributor');
    await addMember(owner, p.id, mate, 'viewer');
    const t = await makeTask(owner, { project: p.id });
    const res = await patch(contributor, t.id, { assigned_to: mate.id });
    expectStatus(res, 403);
  });
});

describe('to whom a task may be assigned (issue 14 #7)', () => {
  it('a contributor assigns only people who see the project: an outsider is a 400 on assigned_to, nothing written', async () => {
    const owner = await makeUser();
    const contributor = await makeUser();
    const mate = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, contributor, 'contributor');
    await addMember(owner, p.id, mate, 'viewer');
    const before = await env.DB.prepare('SELECT count(*) AS n FROM tasks WHERE project_id = ?').bind(p.id).first<{ n: number }>();
    const created = await api('/api/tasks/', {
      token: contributor.token,
      body: { title: 'x', project: p.id, assigned_to: outsider.id },
    });
    expectStatus(created, 400);
    expect(created.json, created.text).toEqual({
      assigned_to: ["This user cannot see the task's project; a project manager must add them as a member first."],
    });
    const after = await env.DB.prepare('SELECT count(*) AS n FROM tasks WHERE project_id = ?').bind(p.id).first<{ n: number }>();
    expect(after!.n).toBe(before!.n);
    const own = await makeTask(contributor, { project: p.id, assigned_to: mate.id });
    const moved = await patch(contributor, own.id, { assigned_to: outsider.id });
    expectStatus(moved, 400);
    expect(Object.keys(moved.json), moved.text).toEqual(['assigned_to']);
    expect(await sees(outsider, p.id)).toBe(404);
    expect(await membership(p.id, outsider.id)).toBeNull();
  });

  it('a project manager assigning an outsider makes them a viewer member in the same write', async () => {
    const owner = await makeUser();
    const manager = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, manager, 'manager');
    const t = await makeTask(owner, { project: p.id });
    const res = await patch(manager, t.id, { assigned_to: outsider.id });
    expectStatus(res, 200);
    expect(await membership(p.id, outsider.id)).toEqual({ role: 'viewer' });
    const members = await api(`/api/projects/${p.id}/members/`, { token: owner.token });
    expect(members.json.results.map((m: { user: number; role: string }) => [m.user, m.role])).toContainEqual([
      outsider.id,
      'viewer',
    ]);
    expect(await sees(outsider, p.id)).toBe(200);
    // As a viewer the new assignee reads and works on the task but manages nothing.
    expectStatus(
      await api(`/api/projects/${p.id}/`, { token: outsider.token, method: 'PATCH', body: { description: 'x' } }),
      403,
    );
    // Creating with an assignee works the same way for the owner; an existing member keeps their role.
    const other = await makeUser();
    await makeTask(owner, { project: p.id, assigned_to: other.id });
    expect(await membership(p.id, other.id)).toEqual({ role: 'viewer' });
    await makeTask(owner, { project: p.id, assigned_to: manager.id });
    expect(await membership(p.id, manager.id)).toEqual({ role: 'manager' });
  });

  it('parallel assignments of one outsider by a manager leave one membership and no error', async () => {
    const owner = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    const tasks = await Promise.all(Array.from({ length: 8 }, () => makeTask(owner, { project: p.id })));
    const results = await Promise.all(tasks.map((t) => patch(owner, t.id, { assigned_to: outsider.id })));
    for (const r of results) expectStatus(r, 200);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM project_members WHERE project_id = ? AND user_id = ?')
      .bind(p.id, outsider.id)
      .first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it('a task without a project may be assigned to anyone by its creator (only that task becomes visible)', async () => {
    const creator = await makeUser();
    const anyone = await makeUser();
    const t = await makeTask(creator, { assigned_to: anyone.id });
    expectStatus(await api(`/api/tasks/${t.id}/`, { token: anyone.token }), 200);
    const third = await makeUser();
    expectStatus(await patch(anyone, t.id, { assigned_to: third.id }), 403);
    expectStatus(await patch(creator, t.id, { assigned_to: third.id }), 200);
  });
});
