/**
 * D1 round trips of every content operation over populated data (issue 16): each GET one round trip
 * (authorization included) whatever the page size, category and uploader names included; each
 * write at most two; filter checks (an unknown category is a 400) ride the list's own round trip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, Budget, expectStatus, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let staff: TestUser;
let category: number;

beforeAll(async () => {
  staff = await makeUser({ role: 'Staff' });
  for (let i = 0; i < 4; i++) {
    const res = await api('/api/content/categories/', { token: staff.token, body: { name: `Cat ${i}` } });
    expectStatus(res, 201);
    category = res.json.id;
  }
  for (let i = 0; i < 24; i++) {
    const res = await api('/api/content/media/', {
      token: staff.token,
      body: { title: `Asset ${i}`, category, asset_type: i % 2 ? 'photo' : 'video', file: 'https://cdn.example.com/a.jpg' },
    });
    expectStatus(res, 201);
  }
}, 60_000);

afterAll(() => budget.print('content'));

describe('content: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20, filter checks included', async () => {
    const t = staff.token;
    await budget.pages('content_categories_list', '/api/content/categories/', t);
    await budget.pages('content_media_list', '/api/content/media/', t);
    await budget.pages('content_media_list', `/api/content/media/?category=${category}&asset_type=video&search=asset`, t);
    const bad = await budget.call('content_media_list', '/api/content/media/?category=999999&asset_type=gif', {
      token: t,
      status: 400,
    });
    expect(Object.keys(bad.json).sort()).toEqual(['asset_type', 'category']);
    const missing = await budget.call('content_media_list', '/api/content/media/?category=999999', { token: t, status: 400 });
    expect(missing.json).toEqual({ category: ['Select a valid choice. That choice is not one of the available choices.'] });
  });

  it('retrieves cost one round trip', async () => {
    const t = staff.token;
    await budget.call('content_categories_retrieve', `/api/content/categories/${category}/`, { token: t });
    const list = (await api('/api/content/media/', { token: t })).json.results;
    const one = await budget.call('content_media_retrieve', `/api/content/media/${list[0].id}/`, { token: t });
    expect(one.json.category_name).toBe('Cat 3');
  });

  it('writes cost at most two round trips', async () => {
    const t = staff.token;
    const cat = await budget.call('content_categories_create', '/api/content/categories/', { token: t, body: { name: 'RT' } });
    const catAt = `/api/content/categories/${cat.json.id}/`;
    await budget.call('content_categories_update', catAt, { token: t, method: 'PUT', body: { name: 'RT2' } });
    await budget.call('content_categories_partial_update', catAt, { token: t, method: 'PATCH', body: { description: 'd' } });
    const media = await budget.call('content_media_create', '/api/content/media/', {
      token: t,
      body: { title: 'RT', category: cat.json.id },
    });
    const mediaAt = `/api/content/media/${media.json.id}/`;
    await budget.call('content_media_update', mediaAt, { token: t, method: 'PUT', body: { title: 'RT2', category: category } });
    await budget.call('content_media_partial_update', mediaAt, { token: t, method: 'PATCH', body: { caption: 'c' } });
    await budget.call('content_media_destroy', mediaAt, { token: t, method: 'DELETE' });
    await budget.call('content_categories_destroy', catAt, { token: t, method: 'DELETE' });
  });

  it('every documented content operation was measured', async () => {
    expect(await budget.uncovered('/api/content/')).toEqual([]);
  });
});
