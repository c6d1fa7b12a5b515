/**
 * Media assets' `file` (src/modules/content/media.ts) through the resource kit's file fields: a
 * multipart file part is stored in R2 and shown as a signed URL, a URL string stays as sent, a part
 * breaking the field's rule stores nothing, and an object the row lets go is removed.
 */
import { describe, expect, it } from 'vitest';
import { countObjects, exists, form, html, jpeg, keyOf, waitGone } from '../helpers/files';
import { api, expectStatus, fetchUrl, makeUser } from '../helpers';

describe('media asset files', () => {
  it('store a multipart file part and serve it back byte-for-byte through the signed URL the response shows', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const bytes = jpeg(5000, 9);
    const res = await form(
      '/api/content/media/',
      { title: 'Banner', asset_type: 'photo', file: { bytes, name: 'banner.jpg', type: 'image/jpeg' } },
      { token: staff.token },
    );
    expectStatus(res, 201);
    const key = keyOf(res.json.file);
    expect(key.startsWith('media-')).toBe(true);
    const got = await fetchUrl(res.json.file);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    expect(got.bytes).toEqual(bytes);
    const again = await api(`/api/content/media/${res.json.id}/`, { token: staff.token });
    expect(keyOf(again.json.file), again.text).toBe(key);
  });

  it('keep a URL string sent in JSON as it is (the URL form)', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const res = await api('/api/content/media/', {
      token: staff.token,
      body: { title: 'Hosted', asset_type: 'photo', file: 'https://cdn.example.com/a.png' },
    });
    expectStatus(res, 201);
    expect(res.json.file).toBe('https://cdn.example.com/a.png');
  });

  it('refuse a part whose bytes are no media type (400 in the DRF shape) and a part above 10 MB (413), storing nothing', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const before = await countObjects('media');
    const bad = await form(
      '/api/content/media/',
      { title: 'x', asset_type: 'photo', file: { bytes: html(), name: 'x.png', type: 'image/png' } },
      { token: staff.token },
    );
    expectStatus(bad, 400);
    expect(bad.json).toEqual({ file: [expect.stringContaining('Unsupported file type')] });
    const big = await form(
      '/api/content/media/',
      { title: 'x', asset_type: 'photo', file: { bytes: jpeg(10 * 1024 * 1024 + 1), name: 'big.jpg' } },
      { token: staff.token },
    );
    expectStatus(big, 413);
    expect(big.json).toEqual({ file: ['File too large: the limit is 10 MB.'] });
    expect(await countObjects('media')).toBe(before);
  });

  it('remove the stored object when the row write fails (no orphan in the bucket)', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const before = await countObjects('media');
    const res = await form(
      '/api/content/media/',
      { title: 'x', asset_type: 'photo', category: '999999', file: { bytes: jpeg(), name: 'a.jpg' } },
      { token: staff.token },
    );
    expectStatus(res, 400);
    expect(res.json).toEqual({ category: ['Invalid pk "999999" - object does not exist.'] });
    expect(await countObjects('media')).toBe(before);
  });

  it('remove the old object when a file is replaced or cleared, and every object when the row is deleted', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const created = await form(
      '/api/content/media/',
      { title: 'v1', asset_type: 'photo', file: { bytes: jpeg(300, 1), name: 'v1.jpg' } },
      { token: staff.token },
    );
    expectStatus(created, 201);
    const first = keyOf(created.json.file);
    const replaced = await form(
      `/api/content/media/${created.json.id}/`,
      { file: { bytes: jpeg(300, 2), name: 'v2.jpg' } },
      { token: staff.token, method: 'PATCH' },
    );
    expectStatus(replaced, 200);
    const second = keyOf(replaced.json.file);
    expect(second).not.toBe(first);
    await waitGone(first);
    expect(await exists(second)).toBe(true);

    const cleared = await api(`/api/content/media/${created.json.id}/`, {
      token: staff.token,
      method: 'PATCH',
      body: { file: null },
    });
    expectStatus(cleared, 200);
    expect(cleared.json.file).toBeNull();
    await waitGone(second);

    const other = await form(
      '/api/content/media/',
      { title: 'doomed', asset_type: 'photo', file: { bytes: jpeg(), name: 'd.jpg' } },
      { token: staff.token },
    );
    const doomed = keyOf(other.json.file);
    const admin = await makeUser({ role: 'Admin' });
    expectStatus(await api(`/api/content/media/${other.json.id}/`, { token: admin.token, method: 'DELETE' }), 204);
    await waitGone(doomed);
  });

  it("keep the key when a client sends back the row's own signed URL, and refuse another record's URL", async () => {
    const staff = await makeUser({ role: 'Staff' });
    const a = await form(
      '/api/content/media/',
      { title: 'a', asset_type: 'photo', file: { bytes: jpeg(), name: 'a.jpg' } },
      { token: staff.token },
    );
    const b = await form(
      '/api/content/media/',
      { title: 'b', asset_type: 'photo', file: { bytes: jpeg(), name: 'b.jpg' } },
      { token: staff.token },
    );
    const same = await api(`/api/content/media/${a.json.id}/`, {
      token: staff.token,
      method: 'PUT',
      body: { title: 'a2', asset_type: 'photo', file: a.json.file },
    });
    expectStatus(same, 200);
    expect(keyOf(same.json.file)).toBe(keyOf(a.json.file));
    expect(await exists(keyOf(a.json.file))).toBe(true);
    const stolen = await api(`/api/content/media/${a.json.id}/`, {
      token: staff.token,
      method: 'PATCH',
      body: { file: b.json.file },
    });
    expectStatus(stolen, 400);
    expect(stolen.json).toEqual({ file: ['This URL names a file of another record: upload the file instead.'] });
  });
});
