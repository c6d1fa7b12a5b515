import { describe, it, expect } from 'vitest';
import { env } from 'cloudflare:test';
import { addMember, countersOf, makeProject, makeTask } from '../helpers/tasks';
import { api, day, expectStatus, makeUser } from '../helpers';

const toggle = (id: number | string, token?: string) => api(`/api/tasks/${id}/toggle/`, { token, method: 'POST' });

async function setStreak(userId: number, streak: number, lastDay: string | null, total = 0) {
  await env.DB.prepare('UPDATE users SET streak_days = ?, current_streak_started = ?, total_tasks_completed = ? WHERE id = ?')
    .bind(streak, lastDay, total, userId)
    .run();
}

describe('POST /api/tasks/{task_id}/toggle/', () => {
  it('completes then reopens: completed_at set/cleared, status follows, message as the original', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const t = await makeTask(u, { project: p.id, status: 'in_progress' });
    const done = await toggle(t.id, u.token);
    expectStatus(done, 200);
    expect(done.json.message).toBe('Task completed');
    expect(done.json.task).toMatchObject({
      id: t.id,
      is_completed: true,
      status: 'done',
      project_name: p.name,
      is_overdue: false,
    });
    expect(Date.parse(done.json.task.completed_at)).not.toBeNaN();
    const reopened = await toggle(t.id, u.token);
    expectStatus(reopened, 200);
    expect(reopened.json.message).toBe('Task reopened');
    expect(reopened.json.task).toMatchObject({ is_completed: false, completed_at: null, status: 'todo' });
  });

  it("recomputes the project's completion_percentage", async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const t = await makeTask(u, { project: p.id });
    await makeTask(u, { project: p.id });
    expectStatus(await toggle(t.id, u.token), 200);
    expect((await api(`/api/projects/${p.id}/`, { token: u.token })).json.completion_percentage).toBe(50);
  });

  it('credits the assignee (not the toggler): total +1, streak started today; reopening takes the completion back', async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const p = await makeProject(owner);
    const t = await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    expectStatus(await toggle(t.id, owner.token), 200);
    expect(await countersOf(assignee)).toEqual({ total_tasks_completed: 1, streak_days: 1, current_streak_started: day(0) });
    expect((await countersOf(owner)).total_tasks_completed).toBe(0);
    const me = await api('/api/users/me/', { token: assignee.token });
    expect(me.json).toMatchObject({ total_tasks_completed: 1, streak_days: 1, current_streak_started: day(0) });
    expectStatus(await toggle(t.id, owner.token), 200);
    expect((await countersOf(assignee)).total_tasks_completed).toBe(0);
  });

  it('credits the toggler when the task has no assignee', async () => {
    const u = await makeUser();
    const t = await makeTask(u);
    expectStatus(await toggle(t.id, u.token), 200);
    expect(await countersOf(u)).toMatchObject({ total_tasks_completed: 1, streak_days: 1 });
  });

  it('applies the streak rule: yesterday extends it, today keeps it, an older day restarts it', async () => {
    const u = await makeUser();
    const [a, b, c] = [await makeTask(u), await makeTask(u), await makeTask(u)];
    await setStreak(u.id, 4, day(-1), 10);
    expectStatus(await toggle(a.id, u.token), 200);
    expect(await countersOf(u)).toEqual({ total_tasks_completed: 11, streak_days: 5, current_streak_started: day(0) });
    expectStatus(await toggle(b.id, u.token), 200);
    expect(await countersOf(u)).toEqual({ total_tasks_completed: 12, streak_days: 5, current_streak_started: day(0) });
    await setStreak(u.id, 7, day(-3), 12);
    expectStatus(await toggle(c.id, u.token), 200);
    expect(await countersOf(u)).toEqual({ total_tasks_completed: 13, streak_days: 1, current_streak_started: day(0) });
  });

  it('never takes the total below zero', async () => {
    const u = await makeUser();
    const t = await makeTask(u, { status: 'done' });
    await setStreak(u.id, 0, null, 0);
    expectStatus(await toggle(t.id, u.token), 200);
    expect((await countersOf(u)).total_tasks_completed).toBe(0);
  });

  it('moves the counters the same way when completion changes through PATCH', async () => {
    const u = await makeUser();
    const t = await makeTask(u);
    expectStatus(await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { is_completed: true } }), 200);
    expect((await countersOf(u)).total_tasks_completed).toBe(1);
    expectStatus(await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { is_completed: true } }), 200);
    expect((await countersOf(u)).total_tasks_completed).toBe(1);
    expectStatus(await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { is_completed: false } }), 200);
    expect((await countersOf(u)).total_tasks_completed).toBe(0);
  });

  it('answers {"error": "Task not found"} for a task the caller cannot see, an unknown id or a malformed id', async () => {
    const owner = await makeUser();
    const outsider = await makeUser();
    const t = await makeTask(owner);
    for (const id of [t.id, 999999, 'abc']) {
      const res = await toggle(id, outsider.token);
      expectStatus(res, 404);
      expect(res.json).toEqual({ error: 'Task not found' });
    }
    expect((await api(`/api/tasks/${t.id}/`, { token: owner.token })).json.is_completed).toBe(false);
  });

  it('lets the assignee toggle; a viewer member gets 403', async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const viewer = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, viewer, 'viewer');
    const t = await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    expectStatus(await toggle(t.id, assignee.token), 200);
    expectStatus(await toggle(t.id, viewer.token), 403);
  });

  it('needs authentication and refuses customers', async () => {
    expectStatus(await toggle(1), 401);
    const c = await makeUser({ role: 'Customer' });
    expectStatus(await toggle(1, c.token), 403);
  });
});

describe('toggles of many tasks in parallel', () => {
  it("10 parallel toggles of 10 tasks of one project: completion_percentage 100 and the assignee's total +10", async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, assignee, 'viewer');
    const tasks = await Promise.all(
      Array.from({ length: 10 }, () => makeTask(owner, { project: p.id, assigned_to: assignee.id })),
    );
    const before = await countersOf(assignee);
    const results = await Promise.all(tasks.map((t) => toggle(t.id, owner.token)));
    for (const r of results) expectStatus(r, 200);
    const project = await api(`/api/projects/${p.id}/`, { token: owner.token });
    expect(project.json, project.text).toMatchObject({ completion_percentage: 100, completed_task_count: 10, task_count: 10 });
    expect((await countersOf(assignee)).total_tasks_completed).toBe(before.total_tasks_completed + 10);
  });
});
