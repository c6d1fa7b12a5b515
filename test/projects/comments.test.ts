import { describe, it, expect } from 'vitest';
import { env } from 'cloudflare:test';
import { addMember, makeProject, makeTask } from '../helpers/tasks';
import { api, contactLeaks, emailLikeUser, expectStatus, makeUser } from '../helpers';

const url = (id: number | string) => `/api/projects/${id}/comments/`;

describe('/api/projects/{project_id}/comments/', () => {
  it('posts a comment without `project` in the body (project from the URL, author the caller)', async () => {
    const u = await makeUser();
    await env.DB.prepare("UPDATE users SET first_name = 'Grace', last_name = 'Hopper' WHERE id = ?").bind(u.id).run();
    const p = await makeProject(u);
    const res = await api(url(p.id), { token: u.token, body: { content: 'First!', user: 424242 } });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      content: 'First!',
      project: p.id,
      user: u.id,
      user_name: 'Grace Hopper',
      is_internal: true,
    });
  });

  it('ignores a `project` in the body that differs from the URL', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const q = await makeProject(u);
    const res = await api(url(p.id), { token: u.token, body: { content: 'x', project: q.id, is_internal: false } });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({ project: p.id, is_internal: false });
  });

  it('gives an empty user_name when the author has no names (no fallback to username)', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const res = await api(url(p.id), { token: u.token, body: { content: 'x' } });
    expect(res.json.user_name).toBe('');
  });

  it('lists the comments of the project, oldest first, paginated', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const q = await makeProject(u);
    for (const content of ['one', 'two', 'three']) expectStatus(await api(url(p.id), { token: u.token, body: { content } }), 201);
    expectStatus(await api(url(q.id), { token: u.token, body: { content: 'elsewhere' } }), 201);
    const res = await api(`${url(p.id)}?page_size=2`, { token: u.token });
    expectStatus(res, 200);
    expect(res.json.count).toBe(3);
    expect(res.json.results.map((c: { content: string }) => c.content)).toEqual(['one', 'two']);
    expect(res.json.next).toContain('page=2');
  });

  it('validates content', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    const missing = await api(url(p.id), { token: u.token, body: {} });
    expectStatus(missing, 400);
    expect(missing.json.content).toEqual(['This field is required.']);
    const blank = await api(url(p.id), { token: u.token, body: { content: '  ' } });
    expectStatus(blank, 400);
    expect(blank.json.content).toEqual(['This field may not be blank.']);
  });

  it('posting to a project the caller cannot see is a 404 (original: 500); listing it is an empty page', async () => {
    const u = await makeUser();
    const other = await makeUser();
    const p = await makeProject(other);
    expectStatus(await api(url(p.id), { token: other.token, body: { content: 'private' } }), 201);
    const post = await api(url(p.id), { token: u.token, body: { content: 'hi' } });
    expectStatus(post, 404);
    expect(post.json).toEqual({ detail: 'No Project matches the given query.' });
    expectStatus(await api(url(999999), { token: u.token, body: { content: 'hi' } }), 404);
    const list = await api(url(p.id), { token: u.token });
    expectStatus(list, 200);
    expect(list.json).toMatchObject({ count: 0, results: [] });
    expectStatus(await api(url('abc'), { token: u.token }), 404);
  });

  it('members (even viewers) and assignees read and post comments', async () => {
    const owner = await makeUser();
    const viewer = await makeUser();
    const assignee = await makeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, viewer, 'viewer');
    await makeTask(owner, { project: p.id, assigned_to: assignee.id });
    expectStatus(await api(url(p.id), { token: viewer.token, body: { content: 'from viewer' } }), 201);
    expectStatus(await api(url(p.id), { token: assignee.token, body: { content: 'from assignee' } }), 201);
    const list = await api(url(p.id), { token: assignee.token });
    expect(list.json.results.map((c: { content: string }) => c.content)).toEqual(['from viewer', 'from assignee']);
  });

  it('needs authentication and refuses customers', async () => {
    const u = await makeUser();
    const p = await makeProject(u);
    expectStatus(await api(url(p.id)), 401);
    expectStatus(await api(url(p.id), { body: { content: 'x' } }), 401);
    const c = await makeUser({ role: 'Customer' });
    expectStatus(await api(url(p.id), { token: c.token, body: { content: 'x' } }), 403);
  });
});

describe('user_name of comment authors (contact details, issue 14 #6)', () => {
  it('an author name that is an email reads "" for other users, as the author’s own for the author', async () => {
    const owner = await makeUser();
    const author = await emailLikeUser();
    const p = await makeProject(owner);
    await addMember(owner, p.id, author, 'viewer');
    const posted = await api(url(p.id), { token: author.token, body: { content: 'from a mailer' } });
    expectStatus(posted, 201);
    expect(posted.json.user_name, posted.text).toBe(author.email);
    for (const path of [url(p.id), `/api/projects/${p.id}/`]) {
      const res = await api(path, { token: owner.token });
      expectStatus(res, 200);
      expect(contactLeaks(res.text, author), `${path}: ${res.text}`).toEqual([]);
      const comments = res.json.results ?? res.json.comments;
      expect(comments.find((c: { user: number }) => c.user === author.id)?.user_name, res.text).toBe('');
    }
  });
});
