import { describe, it, expect } from 'vitest';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { api, day, expectStatus, makeUser } from '../helpers';

const URL = '/api/projects/milestones/';

describe('/api/projects/milestones/', () => {
  it('creates, lists, retrieves, updates and deletes a milestone', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const created = await api(URL, {
      token: u.token,
      body: { project: p.id, name: 'Beta', due_date: '2099-03-01', reward: 'Cake' },
    });
    expectStatus(created, 201);
    expect(created.json).toMatchObject({
      project: p.id,
      name: 'Beta',
      completed: false,
      achievement_date: null,
      reward: 'Cake',
      description: '',
    });
    const id = created.json.id;
    const list = await api(URL, { token: u.token });
    expectStatus(list, 200);
    expect(list.json.results.map((m: { id: number }) => m.id)).toEqual([id]);
    expectStatus(await api(`${URL}${id}/`, { token: u.token }), 200);
    const put = await api(`${URL}${id}/`, {
      token: u.token,
      method: 'PUT',
      body: { project: p.id, name: 'Beta 2', due_date: '2099-04-01' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ name: 'Beta 2', due_date: '2099-04-01' });
    const patch = await api(`${URL}${id}/`, { token: u.token, method: 'PATCH', body: { description: 'd' } });
    expectStatus(patch, 200);
    expect(patch.json.description).toBe('d');
    expectStatus(await api(`${URL}${id}/`, { token: u.token, method: 'DELETE' }), 204);
    expectStatus(await api(`${URL}${id}/`, { token: u.token }), 404);
  });

  it('sets achievement_date to today when completed, keeps it, and clears it when reopened; the client cannot set it', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const m = await api(URL, {
      token: u.token,
      body: { project: p.id, name: 'Done at once', due_date: '2099-01-01', completed: true, achievement_date: '2001-01-01' },
    });
    expectStatus(m, 201);
    expect(m.json.achievement_date).toBe(day());
    const keep = await api(`${URL}${m.json.id}/`, { token: u.token, method: 'PATCH', body: { name: 'Renamed' } });
    expect(keep.json.achievement_date).toBe(day());
    const reopen = await api(`${URL}${m.json.id}/`, { token: u.token, method: 'PATCH', body: { completed: false } });
    expectStatus(reopen, 200);
    expect(reopen.json.achievement_date).toBeNull();
    const again = await api(`${URL}${m.json.id}/`, { token: u.token, method: 'PATCH', body: { completed: true } });
    expect(again.json.achievement_date).toBe(day());
  });

  it('validates required fields and dates', async () => {
    const u = await makeUser();
    const res = await api(URL, { token: u.token, body: { due_date: 'soon' } });
    expectStatus(res, 400);
    expect(res.json.name).toEqual(['This field is required.']);
    expect(res.json.project).toEqual(['This field is required.']);
    expect(res.json.due_date[0]).toMatch(/Date has wrong format/);
    const p = await makeProject(u);
    const blank = await api(URL, { token: u.token, body: { project: p.id, name: '', due_date: '2099-01-01' } });
    expectStatus(blank, 400);
    expect(blank.json).toEqual({ name: ['This field may not be blank.'] });
  });

  it('refuses a project the caller cannot see as a missing one (original accepted any project)', async () => {
    const u = await makeUser();
    const other = await makeUser();
    const p = await makeProject(other);
    const res = await api(URL, { token: u.token, body: { project: p.id, name: 'x', due_date: '2099-01-01' } });
    expectStatus(res, 400);
    expect(res.json).toEqual({ project: [`Invalid pk "${p.id}" - object does not exist.`] });
    const missing = await api(URL, { token: u.token, body: { project: 999999, name: 'x', due_date: '2099-01-01' } });
    expectStatus(missing, 400);
  });

  it('is visible to members and assignees; contributors write, viewers and assignees only read (403); outsiders get 404', async () => {
    const owner = await makeUser();
    const contributor = await makeUser();
    const viewer = await makeUser();
    const assignee = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, contributor, 'contributor');
    await addMember(owner, p.id, viewer, 'viewer');
    await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    const byContributor = await api(URL, {
      token: contributor.token,
      body: { project: p.id, name: 'c', due_date: '2099-01-01' },
    });
    expectStatus(byContributor, 201);
    const id = byContributor.json.id;
    for (const who of [viewer, assignee]) {
      expectStatus(await api(`${URL}${id}/`, { token: who.token }), 200);
      expectStatus(await api(URL, { token: who.token, body: { project: p.id, name: 'v', due_date: '2099-01-01' } }), 403);
      expectStatus(await api(`${URL}${id}/`, { token: who.token, method: 'PATCH', body: { name: 'v' } }), 403);
      expectStatus(await api(`${URL}${id}/`, { token: who.token, method: 'DELETE' }), 403);
    }
    expectStatus(await api(`${URL}${id}/`, { token: outsider.token }), 404);
    expectStatus(await api(`${URL}${id}/`, { token: outsider.token, method: 'PATCH', body: { name: 'o' } }), 404);
    expect((await api(URL, { token: outsider.token })).json.count).toBe(0);
  });

  it('cannot be moved to a project the caller cannot see', async () => {
    const u = await makeUser();
    const other = await makeUser();
    const mine = await makeProject(u);
    const theirs = await makeProject(other);
    const m = await api(URL, { token: u.token, body: { project: mine.id, name: 'm', due_date: '2099-01-01' } });
    const res = await api(`${URL}${m.json.id}/`, { token: u.token, method: 'PATCH', body: { project: theirs.id } });
    expectStatus(res, 400);
    expect(res.json.project).toBeDefined();
  });

  it('needs authentication and refuses customers', async () => {
    expectStatus(await api(URL), 401);
    const c = await makeUser({ role: 'Customer' });
    expectStatus(await api(URL, { token: c.token }), 403);
  });
});
