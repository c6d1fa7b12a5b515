/**
 * Storing files costs no D1 round trip (issue 16's budgets hold): a write with an upload is at most
 * two round trips, a read with signed URLs one.
 */
import { env } from 'cloudflare:test';
import { afterAll, describe, expect, it } from 'vitest';
import { form, jpeg, png } from '../helpers/files';
import { world } from '../helpers/workspace';
import { api, Budget, countingD1, expectStatus, makeUser } from '../helpers';

const budget = new Budget();
afterAll(() => budget.print('files'));

describe('file routes stay within the round-trip budgets', () => {
  it('media create with an upload: at most 2; retrieve with its signed URL: 1', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const DB = countingD1();
    const res = await form(
      '/api/content/media/',
      { title: 'rt', asset_type: 'photo', file: { bytes: jpeg(), name: 'a.jpg' } },
      { token: staff.token, env: { ...env, DB } },
    );
    expectStatus(res, 201);
    expect(DB.trips, res.text).toBeLessThanOrEqual(2);
    const read = countingD1();
    const got = await api(`/api/content/media/${res.json.id}/`, { token: staff.token, env: { ...env, DB: read } });
    expectStatus(got, 200);
    expect(read.trips, got.text).toBe(1);
  });

  it('space photo upload 2, photo list 1, public detail with photos 1, logo update with an upload 2', async () => {
    const w = await world();
    const up = countingD1();
    const res = await form(
      `/api/workspace/spaces/${w.spaceId}/images/`,
      { image: { bytes: jpeg(), name: 'p.jpg' } },
      {
        token: w.admin.token,
        env: { ...env, DB: up },
      },
    );
    expectStatus(res, 201);
    expect(up.trips, res.text).toBe(2);
    const list = countingD1();
    expectStatus(
      await api(`/api/workspace/spaces/${w.spaceId}/images/`, { token: w.member.token, env: { ...env, DB: list } }),
      200,
    );
    expect(list.trips).toBe(1);
    const pub = countingD1();
    const detail = await api(`/api/workspace/public/spaces/${w.spaceId}/`, { env: { ...env, DB: pub } });
    expectStatus(detail, 200);
    expect(pub.trips, detail.text).toBe(1);
    const logo = countingD1();
    const patched = await form(
      `/api/workspace/workspaces/${w.workspaceId}/`,
      { logo_url: { bytes: png(), name: 'l.png' } },
      {
        token: w.admin.token,
        method: 'PATCH',
        env: { ...env, DB: logo },
      },
    );
    expectStatus(patched, 200);
    expect(logo.trips, patched.text).toBe(2);
  });

  it('serving a file by its signed URL reaches no database (the signature is checked in the Worker, the bytes come from R2)', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const res = await form(
      '/api/content/media/',
      { title: 'served', asset_type: 'photo', file: { bytes: jpeg(), name: 'a.jpg' } },
      { token: staff.token },
    );
    expectStatus(res, 201);
    const url = new URL(res.json.file);
    const served = await budget.call('files_retrieve', `${url.pathname}${url.search}`, {
      max: 0,
      reason: 'R2 only: the HMAC signature is checked in the Worker',
    });
    expect(served.text.length, 'the bytes were served').toBeGreaterThan(0);
    expect(await budget.uncovered('/api/files/')).toEqual([]);
  });
});
