/**
 * D1 round trips of every tasks operation over populated data (issue 16): each GET one round trip
 * (authorization included) whatever the page size, each write at most two (the task, the caller's
 * project access and the reference checks; then one batch with the write and the read-back). Tasks
 * carry dependencies, an assignee and a project, loaded in the page's own round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { Budget, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let owner: TestUser;
let member: TestUser;
let projectId: number;
let standaloneId: number;
const taskIds: number[] = [];

beforeAll(async () => {
  [owner, member] = await Promise.all([makeUser(), makeUser()]);
  projectId = (await makeProject(owner)).id;
  await addMember(owner, projectId, member);
  for (let i = 0; i < 24; i++) {
    const task = await makeTask(owner, {
      project: i % 2 ? projectId : undefined,
      assigned_to: i % 2 ? member.id : owner.id,
      dependencies: taskIds.slice(-2),
      status: i % 5 ? 'todo' : 'done',
    });
    taskIds.push(task.id);
  }
  standaloneId = (await makeTask(owner, { title: 'standalone' })).id;
}, 120_000);

afterAll(() => budget.print('tasks'));

describe('tasks: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    await budget.pages('tasks_list', '/api/tasks/', owner.token);
    await budget.pages('tasks_list', `/api/tasks/?project=${projectId}&status=todo`, owner.token);
    await budget.pages('tasks_list', '/api/tasks/?priority=medium&status=todo', member.token);
    const page = await budget.call('tasks_list', '/api/tasks/?page_size=20', { token: owner.token });
    const rich = page.json.results.filter(
      (t: { dependencies: number[]; project_name: string | null }) => t.dependencies.length && t.project_name,
    );
    expect(rich.length, `the page carries dependencies and project names: ${page.text.slice(0, 300)}`).toBeGreaterThan(3);
    // An invisible project is a 400, in the same single round trip.
    await budget.call('tasks_list', '/api/tasks/?project=999999', { token: owner.token, status: 400 });
  });

  it('retrieves cost one round trip', async () => {
    const one = await budget.call('tasks_retrieve', `/api/tasks/${taskIds[3]}/`, { token: member.token });
    expect(one.json.dependencies, one.text).toHaveLength(2);
    expect(one.json.assigned_to_email, one.text).toBe(member.email);
    await budget.call('tasks_retrieve', '/api/tasks/999999/', { token: owner.token, status: 404 });
  });

  it('writes cost at most two round trips: the checks, then one batch', async () => {
    const t = owner.token;
    const created = await budget.call('tasks_create', '/api/tasks/', {
      token: t,
      body: { title: 'rt', project: projectId, assigned_to: member.id, dependencies: taskIds.slice(0, 3), status: 'done' },
    });
    expect(created.json.dependencies, created.text).toEqual(taskIds.slice(0, 3));
    await budget.call('tasks_create', '/api/tasks/', { token: t, body: { title: 'no project' } });
    await budget.call('tasks_create', '/api/tasks/', { token: t, body: { title: 'x', project: 999999 }, status: 400 });
    await budget.call('tasks_update', `/api/tasks/${created.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { title: 'rt 2', assigned_to: owner.id, dependencies: [taskIds[4]] },
    });
    const patched = await budget.call('tasks_partial_update', `/api/tasks/${created.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { status: 'in_progress' },
    });
    expect(patched.json.is_completed, patched.text).toBe(false);
    // A task the caller cannot see: the same 404 as a missing one, within the budget.
    await budget.call('tasks_partial_update', `/api/tasks/${standaloneId}/`, {
      token: member.token,
      method: 'PATCH',
      body: { title: 'not mine' },
      status: 404,
    });
    const toggled = await budget.call('tasks_toggle_create', `/api/tasks/${created.json.id}/toggle/`, {
      token: member.token,
      method: 'POST',
    });
    expect(toggled.json.message, toggled.text).toBe('Task completed');
    await budget.call('tasks_toggle_create', '/api/tasks/999999/toggle/', { token: t, method: 'POST', status: 404 });
    await budget.call('tasks_destroy', `/api/tasks/${created.json.id}/`, { token: member.token, method: 'DELETE', status: 403 });
    await budget.call('tasks_destroy', `/api/tasks/${created.json.id}/`, { token: t, method: 'DELETE' });
  });

  it('every documented tasks operation was measured', async () => {
    expect(await budget.uncovered('/api/tasks/')).toEqual([]);
  });
});
