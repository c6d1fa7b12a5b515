/**
 * D1 round trips of every social operation over populated data (issue 16): each GET one round trip
 * (authorization included) whatever the page size — posts with their comments (author names) and
 * metrics; each write at most two; filter checks ride the list's own round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, Budget, expectStatus, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let staff: TestUser;
const posts: number[] = [];

const post = async (path: string, body: Record<string, unknown>) => {
  const res = await api(path, { token: staff.token, body });
  expectStatus(res, 201);
  return res.json;
};

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  for (let i = 0; i < 24; i++) {
    const p = await post('/api/social/posts/', {
      title: `Post ${i}`,
      content_text: 'x',
      platform: 'x',
      assigned_to: staff.id,
      scheduled_for: '2030-01-01T10:00:00Z',
    });
    posts.push(p.id);
    for (let c = 0; c < 3; c++) await post('/api/social/comments/', { post: p.id, content: `Comment ${c}` });
    if (i < 6) await post('/api/social/metrics/', { post: p.id, likes: i, views: 10 * i });
  }
  for (const platform of ['facebook', 'instagram', 'x', 'linkedin']) await post('/api/social/platforms/', { platform });
}, 120_000);

afterAll(() => budget.print('social'));

describe('social: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    const t = staff.token;
    await budget.pages('social_posts_list', '/api/social/posts/', t);
    await budget.pages('social_posts_list', `/api/social/posts/?platform=x&status=draft&assigned_to=${staff.id}&search=post`, t);
    await budget.pages('social_comments_list', '/api/social/comments/', t);
    await budget.pages('social_metrics_list', '/api/social/metrics/?ordering=-engagement_score', t);
    await budget.pages('social_platforms_list', '/api/social/platforms/', t);
    const bad = await budget.call('social_posts_list', '/api/social/posts/?platform=myspace&assigned_to=999999', {
      token: t,
      status: 400,
    });
    expect(Object.keys(bad.json).sort()).toEqual(['assigned_to', 'platform']);
  });

  it('retrieves cost one round trip, nested comments and metrics included', async () => {
    const t = staff.token;
    const one = await budget.call('social_posts_retrieve', `/api/social/posts/${posts[0]}/`, { token: t });
    expect(one.json.comments).toHaveLength(3);
    expect(one.json.metrics).not.toBeNull();
    const comments = (await api(`/api/social/comments/?post=${posts[0]}`, { token: t })).json.results;
    await budget.call('social_comments_retrieve', `/api/social/comments/${comments[0].id}/`, { token: t });
    const metrics = (await api('/api/social/metrics/', { token: t })).json.results;
    await budget.call('social_metrics_retrieve', `/api/social/metrics/${metrics[0].id}/`, { token: t });
    const platforms = (await api('/api/social/platforms/', { token: t })).json.results;
    await budget.call('social_platforms_retrieve', `/api/social/platforms/${platforms[0].id}/`, { token: t });
  });

  it('writes cost at most two round trips', async () => {
    const t = staff.token;
    const p = await budget.call('social_posts_create', '/api/social/posts/', {
      token: t,
      body: {
        title: 'RT',
        content_text: 'x',
        platform: 'tiktok',
        assigned_to: staff.id,
        reviewer: staff.id,
        scheduled_for: '2030-01-01T10:00:00Z',
      },
    });
    const postAt = `/api/social/posts/${p.json.id}/`;
    await budget.call('social_posts_update', postAt, {
      token: t,
      method: 'PUT',
      body: { title: 'RT', content_text: 'y', platform: 'tiktok', status: 'approved', scheduled_for: '2030-01-02T10:00:00Z' },
    });
    await budget.call('social_posts_partial_update', postAt, { token: t, method: 'PATCH', body: { status: 'published' } });
    const c = await budget.call('social_comments_create', '/api/social/comments/', {
      token: t,
      body: { post: p.json.id, content: 'c' },
    });
    const commentAt = `/api/social/comments/${c.json.id}/`;
    await budget.call('social_comments_update', commentAt, { token: t, method: 'PUT', body: { post: p.json.id, content: 'c2' } });
    await budget.call('social_comments_partial_update', commentAt, { token: t, method: 'PATCH', body: { content: 'c3' } });
    const m = await budget.call('social_metrics_create', '/api/social/metrics/', {
      token: t,
      body: { post: p.json.id, likes: 3 },
    });
    const metricAt = `/api/social/metrics/${m.json.id}/`;
    await budget.call('social_metrics_update', metricAt, { token: t, method: 'PUT', body: { post: p.json.id, likes: 4 } });
    await budget.call('social_metrics_partial_update', metricAt, { token: t, method: 'PATCH', body: { shares: 2 } });
    const pl = await budget.call('social_platforms_create', '/api/social/platforms/', {
      token: t,
      body: { platform: 'youtube' },
    });
    const platformAt = `/api/social/platforms/${pl.json.id}/`;
    await budget.call('social_platforms_update', platformAt, {
      token: t,
      method: 'PUT',
      body: { platform: 'youtube', followers: 3 },
    });
    await budget.call('social_platforms_partial_update', platformAt, { token: t, method: 'PATCH', body: { posts_made: 1 } });
    await budget.call('social_platforms_destroy', platformAt, { token: t, method: 'DELETE' });
    await budget.call('social_metrics_destroy', metricAt, { token: t, method: 'DELETE' });
    await budget.call('social_comments_destroy', commentAt, { token: t, method: 'DELETE' });
    await budget.call('social_posts_destroy', postAt, { token: t, method: 'DELETE' });
  });

  it('every documented social operation was measured', async () => {
    expect(await budget.uncovered('/api/social/')).toEqual([]);
  });
});
