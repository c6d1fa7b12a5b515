/**
 * The Tamiti user's avatar (issue 18): PATCH /api/users/me/ (and /api/auth/me/) takes an image as a
 * multipart file part, stored in R2 and shown as a signed absolute URL, or an http(s) URL string as
 * before; a non-image is a 400 naming `avatar`, a file over 10 MB a 413, and nothing is stored;
 * replacing or clearing an uploaded avatar removes the old object (through the queue).
 */
import { describe, expect, it } from 'vitest';
import { countObjects, exists, form, html, jpeg, keyOf, png, waitGone } from '../helpers/files';
import { api, expectStatus, fetchUrl, makeUser } from '../helpers';

describe('avatar of the current user', () => {
  it('a multipart image is stored in R2 and shown as a signed URL serving the same bytes', async () => {
    const u = await makeUser();
    const bytes = png(512);
    const res = await form(
      '/api/users/me/',
      { avatar: { bytes, name: 'me.png', type: 'image/png' }, bio: 'with a face' },
      {
        token: u.token,
        method: 'PATCH',
      },
    );
    expectStatus(res, 200);
    expect(res.json.bio, res.text).toBe('with a face');
    const key = keyOf(res.json.avatar);
    expect(await exists(key), `object ${key} stored`).toBe(true);
    const served = await fetchUrl(res.json.avatar);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect([...served.bytes]).toEqual([...bytes]);
    // GET re-signs it; the alias shows the same object.
    const me = await api('/api/auth/me/', { token: u.token });
    expectStatus(me, 200);
    expect(keyOf(me.json.avatar), me.text).toBe(key);
  });

  it('an http(s) URL string is kept as sent (the URL form)', async () => {
    const u = await makeUser();
    const url = 'https://cdn.example.com/faces/1.png';
    const res = await api('/api/users/me/', { token: u.token, method: 'PATCH', body: { avatar: url } });
    expectStatus(res, 200);
    expect(res.json.avatar, res.text).toBe(url);
  });

  it('a non-image is refused with a 400 naming avatar, and nothing is stored', async () => {
    const u = await makeUser();
    const before = await countObjects('avatar');
    const res = await form(
      '/api/users/me/',
      { avatar: { bytes: html(), name: 'face.png', type: 'image/png' } },
      {
        token: u.token,
        method: 'PATCH',
      },
    );
    expect(res.status, res.text).toBe(400);
    expect(Object.keys(res.json), res.text).toEqual(['avatar']);
    expect(await countObjects('avatar')).toBe(before);
  });

  it('an image over 10 MB is a 413 naming avatar, and nothing is stored', async () => {
    const u = await makeUser();
    const before = await countObjects('avatar');
    const res = await form(
      '/api/users/me/',
      { avatar: { bytes: jpeg(10 * 1024 * 1024 + 1), name: 'big.jpg' } },
      {
        token: u.token,
        method: 'PATCH',
      },
    );
    expect(res.status, res.text).toBe(413);
    expect(res.json.avatar, res.text).toBeTruthy();
    expect(await countObjects('avatar')).toBe(before);
  }, 30_000);

  it('a taken username refuses the whole change before the upload is stored', async () => {
    const [u, other] = await Promise.all([makeUser(), makeUser()]);
    const before = await countObjects('avatar');
    const res = await form(
      '/api/users/me/',
      { avatar: { bytes: png(), name: 'a.png' }, username: other.username },
      {
        token: u.token,
        method: 'PATCH',
      },
    );
    expect(res.status, res.text).toBe(400);
    expect(res.json.username, res.text).toBeTruthy();
    expect(await countObjects('avatar')).toBe(before);
  });

  it('replacing the upload removes the old object; sending its URL back keeps it; clearing removes it', async () => {
    const u = await makeUser();
    const first = await form(
      '/api/users/me/',
      { avatar: { bytes: png(), name: 'one.png' } },
      { token: u.token, method: 'PATCH' },
    );
    expectStatus(first, 200);
    const oldKey = keyOf(first.json.avatar);
    // The URL a response showed, sent back unchanged: the object stays.
    const same = await api('/api/users/me/', { token: u.token, method: 'PATCH', body: { avatar: first.json.avatar, bio: 'x' } });
    expectStatus(same, 200);
    expect(keyOf(same.json.avatar), same.text).toBe(oldKey);
    expect(await exists(oldKey)).toBe(true);

    const second = await form(
      '/api/users/me/',
      { avatar: { bytes: jpeg(), name: 'two.jpg' } },
      { token: u.token, method: 'PATCH' },
    );
    expectStatus(second, 200);
    const newKey = keyOf(second.json.avatar);
    expect(newKey).not.toBe(oldKey);
    await waitGone(oldKey);
    expect(await exists(newKey)).toBe(true);

    const cleared = await api('/api/users/me/', { token: u.token, method: 'PATCH', body: { avatar: null } });
    expectStatus(cleared, 200);
    await waitGone(newKey);
  }, 30_000);

  it("another record's file URL is refused (a row holds only what was uploaded for it)", async () => {
    const [u, other] = await Promise.all([makeUser(), makeUser()]);
    const theirs = await form(
      '/api/users/me/',
      { avatar: { bytes: png(), name: 'o.png' } },
      { token: other.token, method: 'PATCH' },
    );
    expectStatus(theirs, 200);
    const res = await api('/api/users/me/', { token: u.token, method: 'PATCH', body: { avatar: theirs.json.avatar } });
    expect(res.status, res.text).toBe(400);
    expect(res.json.avatar, res.text).toBeTruthy();
    expect(await exists(keyOf(theirs.json.avatar))).toBe(true);
  });

  it('the document shows the multipart body with a binary avatar', async () => {
    const doc = (await api('/api/schema/')).json;
    const body = doc.paths['/api/users/me/'].patch.requestBody.content;
    expect(body['multipart/form-data']?.schema?.properties?.avatar, JSON.stringify(body).slice(0, 400)).toMatchObject({
      type: 'string',
      format: 'binary',
    });
  });
});
