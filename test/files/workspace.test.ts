/**
 * Workspace files (src/modules/workspace/space-photos.ts, workspaces.ts, public/spaces.ts): space
 * photos uploaded by the admin or a branch manager, ordered, deleted one by one; the first is the
 * public listing's `main_photo_url`; public photos and logos have long-lived, stable URLs served
 * with immutable caching; deleting a space, branch or workspace removes its objects.
 */
import { describe, expect, it } from 'vitest';
import { countObjects, exists, form, html, jpeg, keyOf, png, waitGone } from '../helpers/files';
import { createBranch, createSpace, createWorkspace, world } from '../helpers/workspace';
import { api, expectStatus, fetchUrl } from '../helpers';

const upload = (token: string, spaceId: string, bytes = jpeg(), name = 'p.jpg') =>
  form(`/api/workspace/spaces/${spaceId}/images/`, { image: { bytes, name, type: 'image/jpeg' } }, { token });

describe('space photos', () => {
  it('are uploaded by the admin or a manager (201, long-lived URL, served with immutable caching), not by a member (403)', async () => {
    const w = await world();
    const bytes = jpeg(4096, 5);
    const res = await upload(w.manager.token, w.spaceId, bytes);
    expectStatus(res, 201);
    expect(res.json.success).toBe(true);
    const photo = res.json.image;
    expect(photo.position).toBe(0);
    keyOf(photo.url);
    const exp = Number(new URL(photo.url).searchParams.get('exp'));
    expect(exp - Date.now() / 1000, 'valid for most of a year').toBeGreaterThan(300 * 24 * 3600);
    const served = await fetchUrl(photo.url);
    expect(served.status).toBe(200);
    expect(served.bytes).toEqual(bytes);
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const again = await api(`/api/workspace/spaces/${w.spaceId}/images/`, { token: w.member.token });
    expectStatus(again, 200);
    expect(
      again.json.images.map((p: { url: string }) => p.url),
      'the same URL on every response',
    ).toEqual([photo.url]);
    const before = await countObjects('photo');
    const refused = await upload(w.member.token, w.spaceId);
    expectStatus(refused, 403);
    const outsider = await upload(w.outsider.token, w.spaceId);
    expectStatus(outsider, 404);
    expect(await countObjects('photo')).toBe(before);
  });

  it('refuse what is not an image (400 in the envelope, nothing stored) and accept a URL instead of a file', async () => {
    const w = await world();
    const before = await countObjects('photo');
    const bad = await form(
      `/api/workspace/spaces/${w.spaceId}/images/`,
      { image: { bytes: html(), name: 'x.jpg' } },
      { token: w.admin.token },
    );
    expectStatus(bad, 400);
    expect(bad.json).toEqual({
      success: false,
      message: 'Image upload failed',
      errors: { image: [expect.stringContaining('Unsupported file type')] },
    });
    expect(await countObjects('photo')).toBe(before);
    const hosted = await api(`/api/workspace/spaces/${w.spaceId}/images/`, {
      token: w.admin.token,
      body: { image: 'https://img.example.com/room.jpg' },
    });
    expectStatus(hosted, 201);
    expect(hosted.json.image.url).toBe('https://img.example.com/room.jpg');
    const none = await api(`/api/workspace/spaces/${w.spaceId}/images/`, { token: w.admin.token, body: {} });
    expectStatus(none, 400);
  });

  it('are ordered (the first is main_photo_url in the public listing and detail) and deleted one by one', async () => {
    const w = await world();
    const a = (await upload(w.admin.token, w.spaceId, jpeg(100, 1))).json.image;
    const b = (await upload(w.admin.token, w.spaceId, png(100))).json.image;
    expect(b.position).toBe(1);
    const listed = async () => {
      const res = await api(`/api/workspace/public/spaces/?branch_id=${w.branchId}`);
      expectStatus(res, 200);
      return res.json.spaces.find((s: { id: string }) => s.id === w.spaceId);
    };
    expect((await listed()).main_photo_url).toBe(a.url);
    const bad = await api(`/api/workspace/spaces/${w.spaceId}/images/order/`, { token: w.admin.token, body: { order: [b.id] } });
    expectStatus(bad, 400);
    const ordered = await api(`/api/workspace/spaces/${w.spaceId}/images/order/`, {
      token: w.manager.token,
      body: { order: [b.id, a.id] },
    });
    expectStatus(ordered, 200);
    expect(ordered.json.images.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
    expect((await listed()).main_photo_url).toBe(b.url);
    const detail = await api(`/api/workspace/public/spaces/${w.spaceId}/`);
    expectStatus(detail, 200);
    expect(detail.json.space.images).toEqual([b.url, a.url]);

    const gone = await api(`/api/workspace/spaces/${w.spaceId}/images/${b.id}/`, { token: w.admin.token, method: 'DELETE' });
    expectStatus(gone, 200);
    await waitGone(keyOf(b.url));
    expect((await listed()).main_photo_url).toBe(a.url);
    const byMember = await api(`/api/workspace/spaces/${w.spaceId}/images/${a.id}/`, { token: w.member.token, method: 'DELETE' });
    expectStatus(byMember, 403);
    expect(await exists(keyOf(a.url))).toBe(true);
  });

  it('leave R2 with their space, branch or workspace', async () => {
    const w = await world();
    const inSpace = keyOf((await upload(w.admin.token, w.spaceId)).json.image.url);
    expectStatus(await api(`/api/workspace/spaces/${w.spaceId}/`, { token: w.admin.token, method: 'DELETE' }), 200);
    await waitGone(inSpace);

    const branch = await createBranch(w.admin.token, w.workspaceId);
    const space = await createSpace(w.admin.token, branch);
    const inBranch = keyOf((await upload(w.admin.token, space)).json.image.url);
    expectStatus(await api(`/api/workspace/branches/${branch}/`, { token: w.admin.token, method: 'DELETE' }), 200);
    await waitGone(inBranch);

    const other = await createWorkspace(w.admin);
    const otherSpace = await createSpace(w.admin.token, await createBranch(w.admin.token, other));
    const inWorkspace = keyOf((await upload(w.admin.token, otherSpace)).json.image.url);
    const logo = await form(
      `/api/workspace/workspaces/${other}/`,
      { logo_url: { bytes: png(), name: 'logo.png' } },
      {
        token: w.admin.token,
        method: 'PATCH',
      },
    );
    expectStatus(logo, 200);
    const logoKey = keyOf(logo.json.workspace.logo_url);
    expectStatus(await api(`/api/workspace/workspaces/${other}/`, { token: w.admin.token, method: 'DELETE' }), 200);
    await waitGone(inWorkspace);
    await waitGone(logoKey);
  });
});

describe('workspace logo', () => {
  it('is uploaded on create and update, shown as a long-lived URL everywhere (public listing included), and replaced', async () => {
    const w = await world();
    const created = await form(
      '/api/workspace/workspaces/create/',
      { name: `Logo Co ${Date.now()}`, logo_url: { bytes: png(), name: 'logo.png', type: 'image/png' } },
      { token: w.admin.token },
    );
    expectStatus(created, 201);
    const first = created.json.workspace.logo_url;
    expect(keyOf(first).startsWith('logo-')).toBe(true);
    const id = created.json.workspace.id;
    const space = await createSpace(w.admin.token, await createBranch(w.admin.token, id));
    const pub = await api(`/api/workspace/public/spaces/${space}/`);
    expectStatus(pub, 200);
    expect(pub.json.space.branch.workspace.logo_url).toBe(first);
    // Sent back as received (GET, edit, PUT): the logo stays.
    const same = await api(`/api/workspace/workspaces/${id}/`, {
      token: w.admin.token,
      method: 'PATCH',
      body: { logo_url: first },
    });
    expectStatus(same, 200);
    expect(same.json.workspace.logo_url).toBe(first);
    const replaced = await form(
      `/api/workspace/workspaces/${id}/`,
      { logo_url: { bytes: jpeg(), name: 'new.jpg' } },
      {
        token: w.admin.token,
        method: 'PATCH',
      },
    );
    expectStatus(replaced, 200);
    expect(replaced.json.workspace.logo_url).not.toBe(first);
    await waitGone(keyOf(first));
    const tooBig = await form(
      `/api/workspace/workspaces/${id}/`,
      { logo_url: { bytes: jpeg(10 * 1024 * 1024 + 1), name: 'big.jpg' } },
      {
        token: w.admin.token,
        method: 'PATCH',
      },
    );
    expectStatus(tooBig, 413);
    expect(tooBig.json).toEqual({
      success: false,
      message: 'File too large',
      errors: { logo_url: ['File too large: the limit is 10 MB.'] },
    });
  });
});
