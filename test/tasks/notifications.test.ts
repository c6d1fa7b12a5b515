import { describe, it, expect } from 'vitest';
import { waitForEvents } from '../helpers/notifications';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { api, eventually, expectStatus, makeUser } from '../helpers';

describe('task notifications (published on the NOTIFICATIONS queue)', () => {
  it('task created without an assignee: the creator is told', async () => {
    const u = await makeUser();
    const t = await makeTask(u);
    const [event] = await waitForEvents({ target_id: t.id, verb: 'created a task' });
    expect(event).toMatchObject({
      type: 'notification',
      recipient_id: u.id,
      actor_id: u.id,
      url: `/tasks/${t.id}/`,
      target_type: 'task',
    });
  });

  it('task created with an assignee: the assignee is told it was created and that they are assigned', async () => {
    const u = await makeUser();
    const mate = await makeUser();
    const t = await makeTask(u, { assigned_to: mate.id });
    const [created] = await waitForEvents({ target_id: t.id, verb: 'created a task' });
    expect(created).toMatchObject({ recipient_id: mate.id, actor_id: u.id });
    const [assigned] = await waitForEvents({ target_id: t.id, verb: 'assigned you to a task' });
    expect(assigned).toMatchObject({ recipient_id: mate.id, actor_id: u.id, url: `/tasks/${t.id}/` });
  });

  it('reassignment tells both sides, with the acting user as actor (original: always the creator)', async () => {
    const owner = await makeUser();
    const manager = await makeUser();
    const first = await makeUser();
    const second = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, manager, 'manager');
    const t = await makeTask(owner, { project: p.id, assigned_to: first.id });
    const res = await api(`/api/tasks/${t.id}/`, { token: manager.token, method: 'PATCH', body: { assigned_to: second.id } });
    expectStatus(res, 200);
    const [assigned] = await waitForEvents({ target_id: t.id, verb: 'assigned you to a task', recipient_id: second.id });
    expect(assigned.actor_id).toBe(manager.id);
    const [unassigned] = await waitForEvents({ target_id: t.id, verb: 'unassigned you from a task' });
    expect(unassigned).toMatchObject({
      recipient_id: first.id,
      actor_id: manager.id,
      url: `/tasks/${t.id}/`,
      target_type: 'task',
    });
  });

  it('unassigning (assigned_to null) tells the previous assignee', async () => {
    const u = await makeUser();
    const mate = await makeUser();
    const t = await makeTask(u, { assigned_to: mate.id });
    expectStatus(await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'PATCH', body: { assigned_to: null } }), 200);
    const [event] = await waitForEvents({ target_id: t.id, verb: 'unassigned you from a task' });
    expect(event).toMatchObject({ recipient_id: mate.id, actor_id: u.id });
  });

  it('deleting an assigned task tells the assignee (no url: the task is gone)', async () => {
    const u = await makeUser();
    const mate = await makeUser();
    const t = await makeTask(u, { assigned_to: mate.id });
    expectStatus(await api(`/api/tasks/${t.id}/`, { token: u.token, method: 'DELETE' }), 204);
    const [event] = await waitForEvents({ target_id: t.id, verb: 'deleted a task assigned to you' });
    expect(event).toMatchObject({ recipient_id: mate.id, actor_id: u.id, url: '', target_type: 'task' });
  });

  it("ends up in the recipient's GET /api/notifications/", async () => {
    const u = await makeUser();
    const mate = await makeUser();
    const t = await makeTask(u, { assigned_to: mate.id });
    await waitForEvents({ target_id: t.id, verb: 'assigned you to a task' });
    let verbs: string[] = [];
    await eventually(
      async () => {
        const res = await api('/api/notifications/', { token: mate.token });
        expectStatus(res, 200);
        verbs = res.json.results.map((n: { verb: string }) => n.verb);
        return verbs.length >= 2;
      },
      { timeoutMs: 5000, message: () => `notifications so far: ${verbs}` },
    );
    expect(verbs.sort()).toEqual(['assigned you to a task', 'created a task']);
  });
});
