import { describe, it, expect } from 'vitest';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { api, contactLeaks, emailLikeUser, expectStatus, makeUser } from '../helpers';

const url = (id: number | string) => `/api/projects/${id}/members/`;

describe('/api/projects/{project_id}/members/', () => {
  it('adds, lists, changes and removes members', async () => {
    const owner = await makeUser();
    const mate = await makeUser();
    const p = await makeProject(owner);
    const added = await api(url(p.id), { token: owner.token, body: { user: mate.id, role: 'viewer' } });
    expectStatus(added, 201);
    expect(added.json).toMatchObject({ user: mate.id, role: 'viewer', project: p.id, user_email: null });
    const list = await api(url(p.id), { token: owner.token });
    expectStatus(list, 200);
    expect(list.json.results).toEqual([expect.objectContaining({ id: added.json.id, user: mate.id })]);
    const patch = await api(`${url(p.id)}${added.json.id}/`, { token: owner.token, method: 'PATCH', body: { role: 'manager' } });
    expectStatus(patch, 200);
    expect(patch.json.role).toBe('manager');
    expectStatus(await api(`${url(p.id)}${added.json.id}/`, { token: owner.token, method: 'DELETE' }), 204);
    expect((await api(url(p.id), { token: owner.token })).json.count).toBe(0);
    expectStatus(await api(`/api/projects/${p.id}/`, { token: mate.token }), 404);
  });

  it('validates user, role and duplicates', async () => {
    const owner = await makeUser();
    const mate = await makeUser();
    const p = await makeProject(owner);
    const bad = await api(url(p.id), { token: owner.token, body: { role: 'boss' } });
    expectStatus(bad, 400);
    expect(bad.json.user).toEqual(['This field is required.']);
    expect(bad.json.role).toEqual(['"boss" is not a valid choice.']);
    const ghost = await api(url(p.id), { token: owner.token, body: { user: 999999, role: 'viewer' } });
    expectStatus(ghost, 400);
    expect(ghost.json).toEqual({ user: ['Invalid pk "999999" - object does not exist.'] });
    await addMember(owner, p.id, mate);
    const dup = await api(url(p.id), { token: owner.token, body: { user: mate.id, role: 'viewer' } });
    expectStatus(dup, 400);
    expect(dup.json).toEqual({ non_field_errors: ['The fields project, user must make a unique set.'] });
    const badPatch = await api(`${url(p.id)}999999/`, { token: owner.token, method: 'PATCH', body: { role: 'viewer' } });
    expectStatus(badPatch, 404);
  });

  it('lets managers manage members; contributors, viewers and assignees see them but get 403; outsiders get 404', async () => {
    const owner = await makeUser();
    const manager = await makeUser();
    const contributor = await makeUser();
    const assignee = await makeUser();
    const newbie = await makeUser();
    const outsider = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, manager, 'manager');
    const c = await addMember(owner, p.id, contributor, 'contributor');
    await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    expectStatus(await api(url(p.id), { token: manager.token, body: { user: newbie.id, role: 'viewer' } }), 201);
    for (const who of [contributor, assignee]) {
      expectStatus(await api(url(p.id), { token: who.token }), 200);
      expectStatus(await api(url(p.id), { token: who.token, body: { user: outsider.id, role: 'viewer' } }), 403);
    }
    expectStatus(await api(`${url(p.id)}${c.id}/`, { token: assignee.token, method: 'PATCH', body: { role: 'owner' } }), 403);
    expectStatus(await api(url(p.id), { token: outsider.token }), 404);
    expectStatus(await api(url(p.id), { token: outsider.token, body: { user: outsider.id, role: 'owner' } }), 404);
    expectStatus(await api(`${url(p.id)}${c.id}/`, { token: outsider.token, method: 'DELETE' }), 404);
  });

  it('lets a member leave (delete their own membership)', async () => {
    const owner = await makeUser();
    const mate = await makeUser();
    const p = await makeProject(owner);
    const m = await addMember(owner, p.id, mate, 'viewer');
    expectStatus(await api(`${url(p.id)}${m.id}/`, { token: mate.token, method: 'DELETE' }), 204);
    expectStatus(await api(`/api/projects/${p.id}/`, { token: mate.token }), 404);
  });

  it('refuses a membership id of another project (404)', async () => {
    const owner = await makeUser();
    const mate = await makeUser();
    const p = await makeProject(owner);
    const q = await makeProject(owner);
    const m = await addMember(owner, q.id, mate);
    expectStatus(await api(`${url(p.id)}${m.id}/`, { token: owner.token, method: 'DELETE' }), 404);
  });

  it('needs authentication', async () => {
    expectStatus(await api(url(1)), 401);
  });
});

describe('user_email of project members (contact details, issue 14 #6)', () => {
  it('is null for other members and the owner, the member’s own email for themselves and for an Admin', async () => {
    const owner = await makeUser();
    const admin = await makeUser({ role: 'Admin' });
    const member = await emailLikeUser();
    const p = await makeProject(owner);
    const m = await addMember(owner, p.id, member, 'viewer');
    expect(m.user_email, JSON.stringify(m)).toBeNull();
    await addMember(owner, p.id, admin, 'viewer');
    const asOwner = await api(url(p.id), { token: owner.token });
    expectStatus(asOwner, 200);
    expect(contactLeaks(asOwner.text, member), asOwner.text).toEqual([]);
    const patched = await api(`${url(p.id)}${m.id}/`, { token: owner.token, method: 'PATCH', body: { role: 'contributor' } });
    expectStatus(patched, 200);
    expect(patched.json.user_email, patched.text).toBeNull();
    for (const who of [member, admin]) {
      const res = await api(url(p.id), { token: who.token });
      expectStatus(res, 200);
      const row = res.json.results.find((r: { user: number }) => r.user === member.id);
      expect(row?.user_email, res.text).toBe(member.email);
    }
  });
});
