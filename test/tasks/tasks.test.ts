import { describe, it, expect } from 'vitest';
import { env } from 'cloudflare:test';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { api, contactLeaks, emailLikeUser, expectStatus, makeUser } from '../helpers';

describe('POST /api/tasks/', () => {
  it('creates a task and returns it with its id (original omitted the id), due_date with six fractional digits as the original prints it (we printed three)', async () => {
    const u = await makeUser();
    const mate = await makeUser();
    const p = await makeProject(u);
    const dep = await makeTask(u, { project: p.id });
    const m = await api('/api/projects/milestones/', {
      token: u.token,
      body: { project: p.id, name: 'M', due_date: '2099-01-01' },
    });
    const res = await api('/api/tasks/', {
      token: u.token,
      body: {
        project: p.id,
        title: 'Write copy',
        description: 'd',
        priority: 'high',
        due_date: '2099-05-01T10:00:00+02:00',
        estimated_hours: 3,
        assigned_to: mate.id,
        notes: 'n',
        origin_app: 'projects',
        milestone: m.json.id,
        dependencies: [dep.id, dep.id],
        tags: ['copy', 'web'],
        position: 4,
        created_by: 99999,
      },
    });
    expectStatus(res, 201);
    expect(typeof res.json.id).toBe('number');
    expect(res.json).toMatchObject({
      project: p.id,
      project_name: p.name,
      title: 'Write copy',
      priority: 'high',
      status: 'todo',
      due_date: '2099-05-01T08:00:00.000000Z',
      estimated_hours: 3,
      assigned_to: mate.id,
      // The creator is not the assignee: contact details stay hidden (the original showed them to all).
      assigned_to_email: null,
      milestone: m.json.id,
      dependencies: [dep.id],
      origin_app: 'projects',
      tags: ['copy', 'web'],
      position: 4,
      created_by: u.id,
      is_completed: false,
      completed_at: null,
      is_overdue: false,
    });
    const got = await api(`/api/tasks/${res.json.id}/`, { token: u.token });
    expectStatus(got, 200);
    expect(got.json.dependencies).toEqual([dep.id]);
    expect(got.json).not.toHaveProperty('tags');
  });

  it('allows a task without a project (original: 500) and shows it to its creator only', async () => {
    const u = await makeUser();
    const other = await makeUser();
    const res = await api('/api/tasks/', { token: u.token, body: { title: 'Personal', project: null } });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ project: null, project_name: null, assigned_to_email: null });
    expectStatus(await api(`/api/tasks/${res.json.id}/`, { token: u.token }), 200);
    expectStatus(await api(`/api/tasks/${res.json.id}/`, { token: other.token }), 404);
  });

  it('accepts status (original made it unreachable); done completes the task', async () => {
    const u = await makeUser();
    const res = await api('/api/tasks/', { token: u.token, body: { title: 'Already done', status: 'done' } });
    expectStatus(res, 201);
    expect(res.json.is_completed).toBe(true);
    expect(res.json.completed_at).not.toBeNull();
    const wip = await api('/api/tasks/', { token: u.token, body: { title: 'WIP', status: 'in_progress' } });
    expect(wip.json).toMatchObject({ status: 'in_progress', is_completed: false });
  });

  it('validates fields', async () => {
    const u = await makeUser();
    const res = await api('/api/tasks/', {
      token: u.token,
      body: { title: '', priority: 'urgent', due_date: 'tomorrow', estimated_hours: -1, dependencies: 'x' },
    });
    expectStatus(res, 400);
    expect(res.json.title).toEqual(['This field may not be blank.']);
    expect(res.json.priority).toBeDefined();
    expect(res.json.due_date[0]).toMatch(/Datetime has wrong format/);
    expect(res.json.estimated_hours).toEqual(['Ensure this value is greater than or equal to 0.']);
    expect(res.json.dependencies).toBeDefined();
    const missing = await api('/api/tasks/', { token: u.token, body: {} });
    expect(missing.json.title).toEqual(['This field is required.']);
  });

  it('rejects unknown or invisible references: assignee, milestone, dependencies, project', async () => {
    const u = await makeUser();
    const other = await makeUser();
    const theirs = await makeProject(other);
    const theirTask = await makeTask(other, { project: theirs.id });
    const theirMilestone = await api('/api/projects/milestones/', {
      token: other.token,
      body: { project: theirs.id, name: 'M', due_date: '2099-01-01' },
    });
    const res = await api('/api/tasks/', {
      token: u.token,
      body: { title: 't', assigned_to: 999999, milestone: theirMilestone.json.id, dependencies: [theirTask.id] },
    });
    expectStatus(res, 400);
    expect(res.json).toEqual({
      assigned_to: ['Invalid pk "999999" - object does not exist.'],
      milestone: [`Invalid pk "${theirMilestone.json.id}" - object does not exist.`],
      dependencies: [`Invalid pk "${theirTask.id}" - object does not exist.`],
    });
    const project = await api('/api/tasks/', { token: u.token, body: { title: 't', project: theirs.id } });
    expectStatus(project, 400);
    expect(project.json).toEqual({ project: [`Invalid pk "${theirs.id}" - object does not exist.`] });
    const unknown = await api('/api/tasks/', { token: u.token, body: { title: 't', dependencies: [999999] } });
    expectStatus(unknown, 400);
    expect(unknown.json).toEqual({ dependencies: ['Invalid pk "999999" - object does not exist.'] });
  });

  it("rejects a milestone of another project than the task's", async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const q = await makeProject(u);
    const m = await api('/api/projects/milestones/', {
      token: u.token,
      body: { project: q.id, name: 'M', due_date: '2099-01-01' },
    });
    const res = await api('/api/tasks/', { token: u.token, body: { title: 't', project: p.id, milestone: m.json.id } });
    expectStatus(res, 400);
    expect(res.json.milestone).toEqual(["The milestone does not belong to the task's project."]);
  });

  it('lets contributors add tasks to a project; viewers and assignees get 403', async () => {
    const owner = await makeUser();
    const contributor = await makeUser();
    const viewer = await makeUser();
    const assignee = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, contributor, 'contributor');
    await addMember(owner, p.id, viewer, 'viewer');
    await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    await makeTask(contributor, { project: p.id });
    for (const who of [viewer, assignee]) {
      const res = await api('/api/tasks/', { token: who.token, body: { title: 'x', project: p.id } });
      expectStatus(res, 403);
    }
  });

  it('needs authentication and refuses customers', async () => {
    expectStatus(await api('/api/tasks/', { body: { title: 'x' } }), 401);
    const c = await makeUser({ role: 'Customer' });
    expectStatus(await api('/api/tasks/', { token: c.token, body: { title: 'x' } }), 403);
    expectStatus(await api('/api/tasks/', { token: c.token }), 403);
  });
});

describe('GET /api/tasks/', () => {
  it('orders open tasks first, then by position, then by due date (no due date first)', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const done = await makeTask(u, { project: p.id, position: 0 });
    expectStatus(await api(`/api/tasks/${done.id}/toggle/`, { token: u.token, method: 'POST' }), 200);
    const b = await makeTask(u, { project: p.id, position: 1, due_date: '2099-02-01T00:00:00Z' });
    const a = await makeTask(u, { project: p.id, position: 1, due_date: '2099-01-01T00:00:00Z' });
    const nodue = await makeTask(u, { project: p.id, position: 1 });
    const first = await makeTask(u, { project: p.id, position: 0, due_date: '2099-12-01T00:00:00Z' });
    const res = await api(`/api/tasks/?project=${p.id}`, { token: u.token });
    expectStatus(res, 200);
    expect(res.json.results.map((t: { id: number }) => t.id)).toEqual([first.id, nodue.id, a.id, b.id, done.id]);
  });

  it('filters by project, status, priority and due date range (inclusive whole days)', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const q = await makeProject(u);
    const t1 = await makeTask(u, { project: p.id, priority: 'high', due_date: '2030-03-01T00:00:00Z' });
    const t2 = await makeTask(u, { project: p.id, priority: 'low', due_date: '2030-03-02T23:59:59Z', status: 'in_progress' });
    const t3 = await makeTask(u, { project: q.id, priority: 'high', due_date: '2030-03-03T00:00:00Z' });
    const ids = async (query: string) => {
      const res = await api(`/api/tasks/?${query}`, { token: u.token });
      expectStatus(res, 200);
      return res.json.results.map((t: { id: number }) => t.id).sort((x: number, y: number) => x - y);
    };
    expect(await ids(`project=${p.id}`)).toEqual([t1.id, t2.id]);
    expect(await ids('priority=high')).toEqual([t1.id, t3.id]);
    expect(await ids('status=in_progress')).toEqual([t2.id]);
    expect(await ids('due_date_after=2030-03-02')).toEqual([t2.id, t3.id]);
    expect(await ids('due_date_before=2030-03-02')).toEqual([t1.id, t2.id]);
    expect(await ids('due_date_after=2030-03-02&due_date_before=2030-03-02')).toEqual([t2.id]);
    expect(await ids(`project=${q.id}&priority=low`)).toEqual([]);
  });

  it('rejects malformed filters and an unknown project with 400', async () => {
    const u = await makeUser();
    const other = await makeUser();
    const theirs = await makeProject(other);
    const bad = await api('/api/tasks/?due_date_after=yesterday', { token: u.token });
    expectStatus(bad, 400);
    expect(bad.json).toEqual({ due_date_after: ['Enter a valid date.'] });
    expectStatus(await api('/api/tasks/?project=abc', { token: u.token }), 400);
    const invisible = await api(`/api/tasks/?project=${theirs.id}`, { token: u.token });
    expectStatus(invisible, 400);
    expect(invisible.json.project).toEqual(['Select a valid choice. That choice is not one of the available choices.']);
  });

  it('paginates', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    for (let i = 0; i < 3; i++) await makeTask(u, { project: p.id });
    const res = await api(`/api/tasks/?project=${p.id}&page_size=2&page=2`, { token: u.token });
    expectStatus(res, 200);
    expect(res.json.count).toBe(3);
    expect(res.json.results).toHaveLength(1);
    expect(res.json.previous).not.toBeNull();
    expectStatus(await api(`/api/tasks/?project=${p.id}&page=5`, { token: u.token }), 404);
  });

  it("shows assignees their tasks in others' projects (original hid them) and the whole project to its members", async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const viewer = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, viewer, 'viewer');
    const mine = await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    const sibling = await makeTask(owner, { project: p.id });
    const personal = await makeTask(owner, { title: 'personal of owner' });
    const listOf = async (who: { token: string }) =>
      (await api('/api/tasks/', { token: who.token })).json.results
        .map((t: { id: number }) => t.id)
        .sort((x: number, y: number) => x - y);
    expect(await listOf(assignee)).toEqual([mine.id, sibling.id]);
    expect(await listOf(viewer)).toEqual([mine.id, sibling.id]);
    expect(await listOf(outsider)).toEqual([]);
    expect(await listOf(owner)).toEqual([mine.id, sibling.id, personal.id]);
    expectStatus(await api(`/api/tasks/${mine.id}/`, { token: outsider.token }), 404);
  });

  it('shows a personal task to its assignee', async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const t = await makeTask(owner, { assigned_to: assignee.id });
    expectStatus(await api(`/api/tasks/${t.id}/`, { token: assignee.token }), 200);
  });
});

describe('GET /api/tasks/{id}/', () => {
  it('computes is_overdue: past due and open is true; done or no due date is false (original: null)', async () => {
    const u = await makeUser();
    const late = await makeTask(u, { due_date: '2020-01-01T00:00:00Z' });
    const undated = await makeTask(u);
    const doneLate = await makeTask(u, { due_date: '2020-01-01T00:00:00Z', status: 'done' });
    const get = async (id: number) => (await api(`/api/tasks/${id}/`, { token: u.token })).json;
    expect((await get(late.id)).is_overdue).toBe(true);
    expect((await get(undated.id)).is_overdue).toBe(false);
    expect((await get(doneLate.id)).is_overdue).toBe(false);
  });

  it('is a 404 for a malformed or unknown id', async () => {
    const u = await makeUser();
    const res = await api('/api/tasks/999999/', { token: u.token });
    expectStatus(res, 404);
    expect(res.json).toEqual({ detail: 'No Task matches the given query.' });
    expectStatus(await api('/api/tasks/x1/', { token: u.token }), 404);
  });
});

describe('PUT/PATCH /api/tasks/{id}/', () => {
  it('updates with PUT and PATCH and returns the task with its id', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const t = await makeTask(u, { project: p.id, notes: 'keep' });
    const put = await api(`/api/tasks/${t.id}/`, {
      token: u.token,
      method: 'PUT',
      body: { title: 'New title', priority: 'critical', actual_hours: 5, tags: ['a'], project: 12345 },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({
      id: t.id,
      title: 'New title',
      priority: 'critical',
      actual_hours: 5,
      tags: ['a'],
      notes: 'keep',
      project: p.id,
    });
    const patch = await api(`/api/tasks/${t.id}/`, {
      token: u.token,
      method: 'PATCH',
      body: { status: 'in_progress', position: 7 },
    });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ id: t.id, title: 'New title', status: 'in_progress', position: 7 });
  });

  it('keeps completion and status together: completing sets done and completed_at, reopening clears them', async () => {
    const u = await makeUser();
    const t = await makeTask(u, { status: 'in_progress' });
    const done = await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { is_completed: true } });
    expect(done.json).toMatchObject({ is_completed: true, status: 'done' });
    const at = done.json.completed_at;
    expect(at).not.toBeNull();
    const again = await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { notes: 'x' } });
    expect(again.json.completed_at).toBe(at);
    const reopened = await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { status: 'todo' } });
    expect(reopened.json).toMatchObject({ is_completed: false, status: 'todo', completed_at: null });
    const viaStatus = await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { status: 'done' } });
    expect(viaStatus.json).toMatchObject({ is_completed: true, status: 'done' });
  });

  it('replaces dependencies, rejecting self-dependency and unknown ids', async () => {
    const u = await makeUser();
    const a = await makeTask(u);
    const b = await makeTask(u);
    const c = await makeTask(u);
    const set = await api(`/api/tasks/${a.id}/`, { token: u.token, method: 'PATCH', body: { dependencies: [c.id, b.id] } });
    expectStatus(set, 200);
    expect(set.json.dependencies).toEqual([b.id, c.id]);
    const self = await api(`/api/tasks/${a.id}/`, { token: u.token, method: 'PATCH', body: { dependencies: [a.id, b.id] } });
    expectStatus(self, 400);
    expect(self.json).toEqual({ dependencies: ['A task cannot depend on itself.'] });
    const unknown = await api(`/api/tasks/${a.id}/`, { token: u.token, method: 'PATCH', body: { dependencies: [999999] } });
    expectStatus(unknown, 400);
    expect(unknown.json).toEqual({ dependencies: ['Invalid pk "999999" - object does not exist.'] });
    const cleared = await api(`/api/tasks/${a.id}/`, { token: u.token, method: 'PATCH', body: { dependencies: [] } });
    expect(cleared.json.dependencies).toEqual([]);
    const kept = await env.DB.prepare('SELECT count(*) AS n FROM task_dependencies WHERE task_id = ?')
      .bind(a.id)
      .first<{ n: number }>();
    expect(kept!.n).toBe(0);
  });

  it('validates: PUT needs a title, bad values are field errors', async () => {
    const u = await makeUser();
    const t = await makeTask(u);
    const put = await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PUT', body: { notes: 'x' } });
    expectStatus(put, 400);
    expect(put.json.title).toEqual(['This field is required.']);
    const patch = await api(`/api/tasks/${t.id}/`, {
      token: u.token,
      method: 'PATCH',
      body: { assigned_to: 999999, is_completed: 'maybe' },
    });
    expectStatus(patch, 400);
    expect(patch.json.is_completed).toEqual(['Must be a valid boolean.']);
  });

  it('lets the creator, the assignee and contributors edit; viewers get 403; outsiders 404', async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const contributor = await makeUser();
    const viewer = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, contributor, 'contributor');
    await addMember(owner, p.id, viewer, 'viewer');
    const t = await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    const patch = (who: { token: string }) =>
      api(`/api/tasks/${t.id}/`, { token: who.token, method: 'PATCH', body: { notes: 'n' } });
    for (const who of [owner, assignee, contributor]) expectStatus(await patch(who), 200);
    expectStatus(await patch(viewer), 403);
    expectStatus(await patch(outsider), 404);
  });
});

describe('DELETE /api/tasks/{id}/', () => {
  it('deletes the task and its dependency links', async () => {
    const u = await makeUser();
    const a = await makeTask(u);
    const b = await makeTask(u, { dependencies: [a.id] });
    expectStatus(await api(`/api/tasks/${a.id}/`, { token: u.token, method: 'DELETE' }), 204);
    expectStatus(await api(`/api/tasks/${a.id}/`, { token: u.token }), 404);
    expect((await api(`/api/tasks/${b.id}/`, { token: u.token })).json.dependencies).toEqual([]);
  });

  it('lets the creator and project managers delete; the assignee and contributors get 403; outsiders 404', async () => {
    const owner = await makeUser();
    const assignee = await makeUser();
    const contributor = await makeUser();
    const manager = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, contributor, 'contributor');
    await addMember(owner, p.id, manager, 'manager');
    await addMember(owner, p.id, assignee, 'viewer');
    const t1 = await makeTask(contributor, { project: p.id, assigned_to: assignee.id });
    const t2 = await makeTask(contributor, { project: p.id });
    expectStatus(await api(`/api/tasks/${t2.id}/`, { token: outsider.token, method: 'DELETE' }), 404);
    expectStatus(await api(`/api/tasks/${t1.id}/`, { token: assignee.token, method: 'DELETE' }), 403);
    expectStatus(await api(`/api/tasks/${t1.id}/`, { token: owner.token, method: 'DELETE' }), 204);
    expectStatus(await api(`/api/tasks/${t2.id}/`, { token: manager.token, method: 'DELETE' }), 204);
    const own = await makeTask(contributor, { project: p.id });
    expectStatus(await api(`/api/tasks/${own.id}/`, { token: contributor.token, method: 'DELETE' }), 204);
    const others = await makeTask(owner, { project: p.id });
    expectStatus(await api(`/api/tasks/${others.id}/`, { token: contributor.token, method: 'DELETE' }), 403);
  });

  it('needs authentication', async () => {
    expectStatus(await api('/api/tasks/1/', { method: 'DELETE' }), 401);
  });
});

describe('assigned_to_email (contact details, issue 14 #6)', () => {
  it('is the assignee’s email for the assignee only; other viewers of the task get null (the original showed it to anyone)', async () => {
    const owner = await makeUser();
    const mate = await makeUser();
    const assignee = await emailLikeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, mate, 'viewer');
    await addMember(owner, p.id, assignee, 'viewer');
    const t = await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    expect(t.assigned_to_email, JSON.stringify(t)).toBeNull();
    for (const who of [owner, mate]) {
      for (const path of [`/api/tasks/${t.id}/`, `/api/tasks/?project=${p.id}`]) {
        const res = await api(path, { token: who.token });
        expectStatus(res, 200);
        expect(contactLeaks(res.text, assignee), `${path}: ${res.text}`).toEqual([]);
      }
    }
    const toggled = await api(`/api/tasks/${t.id}/toggle/`, { token: owner.token, method: 'POST' });
    expectStatus(toggled, 200);
    expect(toggled.json.task.assigned_to_email, toggled.text).toBeNull();
    const patched = await api(`/api/tasks/${t.id}/`, { token: owner.token, method: 'PATCH', body: { notes: 'n' } });
    expectStatus(patched, 200);
    expect(patched.json.assigned_to_email, patched.text).toBeNull();
    const own = await api(`/api/tasks/${t.id}/`, { token: assignee.token });
    expectStatus(own, 200);
    expect(own.json.assigned_to_email, own.text).toBe(assignee.email);
  });
});
