/**
 * D1 round trips of every projects operation over populated data (issue 16): each GET one round
 * trip (authorization included) whatever the page size, each write at most two (the caller's
 * access to the project and the reference checks; then one batch with the write, its side effects
 * and the read-back). A project's detail carries its tasks (with dependencies and assignees),
 * milestones, comments and members, loaded in the row's own round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { api, Budget, expectStatus, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let owner: TestUser;
let contributor: TestUser;
let viewer: TestUser;
let outsider: TestUser;
const mates: TestUser[] = [];
let projectId: number;
const projectIds: number[] = [];
const milestoneIds: number[] = [];

const members = (id: number) => `/api/projects/${id}/members/`;
const comments = (id: number) => `/api/projects/${id}/comments/`;

beforeAll(async () => {
  [owner, contributor, viewer, outsider] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
  for (let i = 0; i < 3; i++) mates.push(await makeUser());
  projectId = (await makeProject(owner, { status: 'active', priority: 'high' })).id;
  await addMember(owner, projectId, contributor, 'contributor');
  await addMember(owner, projectId, viewer, 'viewer');
  for (const mate of mates) await addMember(owner, projectId, mate, 'viewer');
  const taskIds: number[] = [];
  for (let i = 0; i < 12; i++) {
    const task = await makeTask(owner, {
      project: projectId,
      assigned_to: i % 2 ? contributor.id : viewer.id,
      dependencies: taskIds.slice(-2),
      status: i % 3 ? 'todo' : 'done',
    });
    taskIds.push(task.id);
  }
  for (let i = 0; i < 4; i++) {
    const res = await api('/api/projects/milestones/', {
      token: owner.token,
      body: { project: projectId, name: `M${i}`, due_date: '2099-01-01', completed: i % 2 === 0 },
    });
    expectStatus(res, 201);
    milestoneIds.push(res.json.id);
  }
  for (let i = 0; i < 24; i++) {
    const who = [owner, contributor, viewer][i % 3];
    expectStatus(await api(comments(projectId), { token: who.token, body: { content: `comment ${i}` } }), 201);
  }
  for (let i = 0; i < 22; i++) {
    const p = await makeProject(owner, { status: i % 2 ? 'active' : 'planning' });
    projectIds.push(p.id);
    if (i < 4) await makeTask(owner, { project: p.id, status: i % 2 ? 'done' : 'todo' });
    if (i < 4)
      expectStatus(
        await api('/api/projects/milestones/', {
          token: owner.token,
          body: { project: p.id, name: 'x', due_date: '2099-01-01' },
        }),
        201,
      );
  }
}, 180_000);

afterAll(() => budget.print('projects'));

describe('projects: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    const t = owner.token;
    await budget.pages('projects_list', '/api/projects/', t);
    await budget.pages('projects_list', '/api/projects/?status=active&search=Project', t);
    const page = await budget.call('projects_list', '/api/projects/?page_size=30', { token: t });
    const counted = page.json.results.find((p: { id: number }) => p.id === projectId);
    expect(counted, page.text.slice(0, 300)).toMatchObject({ task_count: 12, completed_task_count: 4 });
    await budget.pages('projects_milestones_list', '/api/projects/milestones/', t);
    await budget.pages('projects_comments_list', comments(projectId), viewer.token);
    await budget.pages('projects_members_list', members(projectId), contributor.token);
    // A project the caller cannot see: an empty page of comments, a 404 for members, in one round trip.
    const none = await budget.call('projects_comments_list', comments(projectId), { token: outsider.token });
    expect(none.json.count, none.text).toBe(0);
    await budget.call('projects_members_list', members(projectId), { token: outsider.token, status: 404 });
    await budget.call('projects_members_list', members(999999), { token: t, status: 404 });
  });

  it('retrieves cost one round trip, nested tasks, milestones, comments and members included', async () => {
    const one = await budget.call('projects_retrieve', `/api/projects/${projectId}/`, { token: viewer.token });
    expect(one.json.tasks, one.text.slice(0, 300)).toHaveLength(12);
    expect(
      one.json.tasks.filter((x: { dependencies: number[] }) => x.dependencies.length).length,
      'tasks carry dependencies',
    ).toBe(11);
    expect(one.json.tasks.find((x: { assigned_to: number }) => x.assigned_to === viewer.id)?.assigned_to_email).toBe(
      viewer.email,
    );
    expect(one.json.milestones, one.text.slice(0, 300)).toHaveLength(4);
    expect(one.json.comments, one.text.slice(0, 300)).toHaveLength(24);
    expect(one.json.members, one.text.slice(0, 300)).toHaveLength(5);
    expect(one.json, one.text.slice(0, 300)).toMatchObject({ task_count: 12, completed_task_count: 4 });
    await budget.call('projects_retrieve', `/api/projects/${projectId}/`, { token: outsider.token, status: 404 });
    const m = await budget.call('projects_milestones_retrieve', `/api/projects/milestones/${milestoneIds[0]}/`, {
      token: viewer.token,
    });
    expect(m.json.project, m.text).toBe(projectId);
    await budget.call('projects_milestones_retrieve', `/api/projects/milestones/${milestoneIds[0]}/`, {
      token: outsider.token,
      status: 404,
    });
  });

  it('project writes cost at most two round trips: the checks, then one batch', async () => {
    const t = owner.token;
    const created = await budget.call('projects_create', '/api/projects/', {
      token: t,
      body: { name: 'rt', start_date: '2025-01-01', due_date: '2099-12-31' },
    });
    const id = created.json.id;
    await budget.call('projects_create', '/api/projects/', {
      token: t,
      body: { name: '', start_date: '2025-01-01' },
      status: 400,
    });
    await budget.call('projects_update', `/api/projects/${projectId}/`, {
      token: t,
      method: 'PUT',
      body: { name: 'rt 2', start_date: '2025-01-01', due_date: '2099-12-31', status: 'active', priority: 'high' },
    });
    const patched = await budget.call('projects_partial_update', `/api/projects/${projectId}/`, {
      token: t,
      method: 'PATCH',
      body: { description: 'patched' },
    });
    expect(patched.json.tasks, 'the response carries the full project').toHaveLength(12);
    await budget.call('projects_partial_update', `/api/projects/${projectId}/`, {
      token: contributor.token,
      method: 'PATCH',
      body: { description: 'no' },
      status: 403,
    });
    await budget.call('projects_partial_update', `/api/projects/${projectId}/`, {
      token: outsider.token,
      method: 'PATCH',
      body: { description: 'no' },
      status: 404,
    });
    // Deleting cascades to tasks; their assignees are told, from rows read in the delete's own batch.
    await makeTask(owner, { project: id, assigned_to: contributor.id });
    await budget.call('projects_destroy', `/api/projects/${id}/`, { token: contributor.token, method: 'DELETE', status: 403 });
    await budget.call('projects_destroy', `/api/projects/${id}/`, { token: outsider.token, method: 'DELETE', status: 404 });
    await budget.call('projects_destroy', `/api/projects/${id}/`, { token: t, method: 'DELETE' });
  });

  it('milestone writes cost at most two round trips', async () => {
    const created = await budget.call('projects_milestones_create', '/api/projects/milestones/', {
      token: contributor.token,
      body: { project: projectId, name: 'rt', due_date: '2099-01-01', completed: true },
    });
    const id = created.json.id;
    await budget.call('projects_milestones_create', '/api/projects/milestones/', {
      token: viewer.token,
      body: { project: projectId, name: 'rt', due_date: '2099-01-01' },
      status: 403,
    });
    await budget.call('projects_milestones_create', '/api/projects/milestones/', {
      token: contributor.token,
      body: { project: 999999, name: 'rt', due_date: '2099-01-01' },
      status: 400,
    });
    await budget.call('projects_milestones_update', `/api/projects/milestones/${id}/`, {
      token: contributor.token,
      method: 'PUT',
      body: { project: projectIds[0], name: 'moved', due_date: '2099-02-01' },
      status: 400,
    });
    await budget.call('projects_milestones_update', `/api/projects/milestones/${id}/`, {
      token: contributor.token,
      method: 'PUT',
      body: { project: projectId, name: 'rt 2', due_date: '2099-02-01' },
    });
    const patched = await budget.call('projects_milestones_partial_update', `/api/projects/milestones/${id}/`, {
      token: contributor.token,
      method: 'PATCH',
      body: { completed: false },
    });
    expect(patched.json.achievement_date, patched.text).toBeNull();
    await budget.call('projects_milestones_partial_update', `/api/projects/milestones/${id}/`, {
      token: viewer.token,
      method: 'PATCH',
      body: { name: 'no' },
      status: 403,
    });
    await budget.call('projects_milestones_destroy', `/api/projects/milestones/${id}/`, {
      token: viewer.token,
      method: 'DELETE',
      status: 403,
    });
    await budget.call('projects_milestones_destroy', `/api/projects/milestones/${id}/`, {
      token: contributor.token,
      method: 'DELETE',
    });
  });

  it('comment and member writes cost at most two round trips', async () => {
    const posted = await budget.call('projects_comments_create', comments(projectId), {
      token: viewer.token,
      body: { content: 'rt' },
    });
    expect(posted.json.user, posted.text).toBe(viewer.id);
    await budget.call('projects_comments_create', comments(projectId), {
      token: outsider.token,
      body: { content: 'x' },
      status: 404,
    });
    const newcomer = outsider;
    const added = await budget.call('projects_members_create', members(projectId), {
      token: owner.token,
      body: { user: newcomer.id, role: 'viewer' },
    });
    await budget.call('projects_members_create', members(projectId), {
      token: owner.token,
      body: { user: newcomer.id, role: 'viewer' },
      status: 400,
    });
    await budget.call('projects_members_create', members(projectId), {
      token: owner.token,
      body: { user: 999999, role: 'viewer' },
      status: 400,
    });
    await budget.call('projects_members_create', members(projectId), {
      token: viewer.token,
      body: { user: mates[0].id, role: 'viewer' },
      status: 403,
    });
    const changed = await budget.call('projects_members_partial_update', `${members(projectId)}${added.json.id}/`, {
      token: owner.token,
      method: 'PATCH',
      body: { role: 'contributor' },
    });
    expect(changed.json.role, changed.text).toBe('contributor');
    await budget.call('projects_members_partial_update', `${members(projectId)}999999/`, {
      token: owner.token,
      method: 'PATCH',
      body: { role: 'viewer' },
      status: 404,
    });
    await budget.call('projects_members_destroy', `${members(projectId)}${added.json.id}/`, {
      token: viewer.token,
      method: 'DELETE',
      status: 403,
    });
    await budget.call('projects_members_destroy', `${members(projectId)}${added.json.id}/`, {
      token: newcomer.token,
      method: 'DELETE',
    });
  });

  it('every documented projects operation was measured', async () => {
    expect(await budget.uncovered('/api/projects/')).toEqual([]);
  });
});
