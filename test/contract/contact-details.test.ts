/**
 * Issue 14, finding 6, across modules: a non-Admin caller never reads another user's email or phone
 * (core/contact.ts). One user whose username and name are their email takes part in every kind of
 * object that embeds a user (project member, assignee, commenter, notification actor, uploader,
 * author, rep, owner, requester, party user); then every documented GET of the modules that show
 * other users is called by a Staff colleague who sees those objects, and no response may carry the
 * email or the phone. Chat (only user ids today), users (the caller's own data) and the workspace
 * family (member emails by its contract) are covered by their own suites.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, contactLeaks, emailLikeUser, eventually, expectStatus, makeUser, type TestUser } from '../helpers';

const MODULES = [
  '/api/accounts/',
  '/api/field/',
  '/api/finance/',
  '/api/projects/',
  '/api/tasks/',
  '/api/assistants/',
  '/api/notifications/',
  '/api/dashboard/',
  '/api/content/',
  '/api/social/',
];

let viewer: TestUser;
let admin: TestUser;
let other: TestUser;
/** Path parameter values by route template, for the objects built below. */
const ids: Record<string, number> = {};

async function made(token: string, path: string, body: Record<string, unknown>) {
  const res = await api(path, { token, body });
  expect(res.status, `${path}: ${res.text}`).toBeLessThan(300);
  return res.json;
}

beforeAll(async () => {
  [viewer, admin, other] = await Promise.all([makeUser({ prefix: 'viewer' }), makeUser({ role: 'Admin' }), emailLikeUser()]);
  const project = await made(viewer.token, '/api/projects/', {
    name: 'Shared',
    start_date: '2025-01-01',
    due_date: '2099-01-01',
  });
  ids.project = project.id;
  await made(viewer.token, `/api/projects/${project.id}/members/`, { user: other.id, role: 'contributor' });
  ids.task = (await made(viewer.token, '/api/tasks/', { title: 'For other', project: project.id, assigned_to: other.id })).id;
  await made(other.token, `/api/projects/${project.id}/comments/`, { content: 'from other' });
  // `other` assigns a task to the viewer: the viewer's notification has `other` as its actor.
  await made(other.token, '/api/tasks/', { title: 'For viewer', project: project.id, assigned_to: viewer.id });
  ids.milestone = (
    await made(other.token, '/api/projects/milestones/', { project: project.id, name: 'M', due_date: '2099-01-01' })
  ).id;
  ids.media = (await made(other.token, '/api/content/media/', { title: 'Upload' })).id;
  const post = await made(viewer.token, '/api/social/posts/', {
    title: 'Post',
    content_text: 'c',
    platform: 'facebook',
    scheduled_for: '2030-01-01T00:00:00Z',
    assigned_to: other.id,
  });
  ids.post = post.id;
  ids.comment = (await made(other.token, '/api/social/comments/', { post: post.id, content: 'nice' })).id;
  ids.zone = (await made(other.token, '/api/field/zones/', { name: 'Zone' })).id;
  ids.lead = (
    await made(viewer.token, '/api/field/leads/', { business_name: 'Shop', contact_phone: '0700', assigned_rep: other.id })
  ).id;
  ids.visit = (
    await made(viewer.token, '/api/field/visits/', {
      location: 'Kampala',
      business_name: 'B',
      contact_phone: '07',
      rep: other.id,
    })
  ).id;
  ids.goal = (
    await made(viewer.token, '/api/finance/goals/', { title: 'G', target_amount: '10', due_date: '2030-01-01', owner: other.id })
  ).id;
  ids.requisition = (await made(other.token, '/api/finance/requisitions/', { amount: '5.00', purpose: 'Paper' })).id;
  ids.party = (await made(viewer.token, '/api/finance/parties/', { name: 'Other as party', type: 'client', user: other.id })).id;
  const profile = await env.DB.prepare('SELECT id FROM staff_profiles WHERE user_id = ?').bind(other.id).first<{ id: number }>();
  ids.staffProfile = profile!.id;
  // The notification travels through the queue: wait for it.
  const notification = await eventually(
    () =>
      env.DB.prepare('SELECT id FROM notifications WHERE recipient_id = ? AND actor_id = ?')
        .bind(viewer.id, other.id)
        .first<{ id: number }>(),
    { message: 'no notification with the other user as actor' },
  );
  ids.notification = notification.id;
}, 60_000);

/** The concrete path of a documented GET route, or undefined when no object of the test fits it. */
function concrete(template: string): string | undefined {
  const byTemplate: Record<string, number> = {
    '/api/accounts/users-list/{id}/': other.id,
    '/api/accounts/staff-profiles/{id}/': ids.staffProfile,
    '/api/projects/{id}/': ids.project,
    '/api/projects/milestones/{id}/': ids.milestone,
    '/api/tasks/{id}/': ids.task,
    '/api/notifications/{id}/': ids.notification,
    '/api/content/media/{id}/': ids.media,
    '/api/social/posts/{id}/': ids.post,
    '/api/social/comments/{id}/': ids.comment,
    '/api/field/zones/{id}/': ids.zone,
    '/api/field/leads/{id}/': ids.lead,
    '/api/field/visits/{id}/': ids.visit,
    '/api/finance/goals/{id}/': ids.goal,
    '/api/finance/goals/{id}/progress/': ids.goal,
    '/api/finance/requisitions/{id}/': ids.requisition,
    '/api/finance/parties/{id}/': ids.party,
  };
  const withProject = template.replace('{project_id}', String(ids.project));
  if (!withProject.includes('{')) return withProject;
  return byTemplate[template] === undefined ? undefined : withProject.replace('{id}', String(byTemplate[template]));
}

describe("another user's contact details across modules (issue 14 #6)", () => {
  it('no list or detail shows a non-Admin another user’s email or phone (usernames and names that are emails included)', async () => {
    const doc = (await api('/api/schema/')).json;
    const walked: string[] = [];
    const leaks: string[] = [];
    let mentionsOther = 0;
    for (const [template, item] of Object.entries<any>(doc.paths)) {
      if (!item.get || !MODULES.some((m) => template.startsWith(m))) continue;
      const path = concrete(template);
      if (!path) continue;
      const query = item.get.parameters?.some((p: any) => p.name === 'page_size') ? '?page_size=100' : '';
      const goalQuery = template === '/api/finance/payments/by_goal/' ? `?goal=${ids.goal}` : '';
      const res = await api(`${path}${query || goalQuery}`, { token: viewer.token });
      expect(res.status, `${path}: ${res.text}`).toBeLessThan(500);
      walked.push(`${path} ${res.status}`);
      const found = contactLeaks(res.text, other);
      if (found.length) leaks.push(`${path}: ${found.join(', ')} in ${res.text.slice(0, 300)}`);
      if (res.text.includes(`user-${other.id}`) || res.text.includes(`:${other.id},`)) mentionsOther++;
    }
    expect(leaks, leaks.join('\n')).toEqual([]);
    // The walk really went through the objects that embed the other user.
    expect(walked.length, walked.join('\n')).toBeGreaterThan(40);
    expect(mentionsOther, walked.join('\n')).toBeGreaterThan(10);
    // And the checker sees contact data where it is allowed: an Admin reads it.
    const asAdmin = await api(`/api/accounts/users-list/${other.id}/`, { token: admin.token });
    expectStatus(asAdmin, 200);
    expect(contactLeaks(asAdmin.text, other)).toEqual([other.email, other.phone]);
  });
});
