/**
 * Issue 16 (routing, first request): a module app whose route table Hono's RegExpRouter rejects
 * is built on the TrieRouter directly (src/app.ts marks it `trie`), so its first request does not
 * build a RegExpRouter only to throw it away; every other module keeps the SmartRouter, which
 * settles on the RegExpRouter. A route added to a module can flip its table either way: this test
 * says which mark to change.
 */
import { createExecutionContext, env as testEnv } from 'cloudflare:test';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { describe, expect, it, vi } from 'vitest';
import { areaFor, areaIndex, buildApp, loadAllAreas, loadReadAreas } from '../../src/app';
import { api, BASE } from '../helpers/http';

/** Whether the RegExpRouter accepts a table (it throws UnsupportedPathError when it first matches). */
function regExpAccepts(routes: { method: string; path: string }[]) {
  const router = new RegExpRouter<number>();
  try {
    for (const [i, r] of routes.entries()) router.add(r.method, r.path, i);
    router.match('GET', '/');
    return true;
  } catch {
    return false;
  }
}

describe('router choice per module app', () => {
  it('uses the TrieRouter exactly for the route tables the RegExpRouter rejects', async () => {
    const apps = await loadAllAreas();
    const table = apps.map((app) => {
      const first = app.routes.find((r) => r.method !== 'ALL')?.path ?? '?';
      return {
        area: first,
        routes: app.routes.length,
        regExpAccepts: regExpAccepts(app.routes),
        router: app.router.name,
      };
    });
    const wrong = table.filter((m) => (m.router === 'TrieRouter') === m.regExpAccepts);
    expect(
      wrong,
      `mark these areas 'trie' (or unmark them) in src/app.ts or their module's index.ts: ${JSON.stringify(table)}`,
    ).toEqual([]);
    expect(table.some((m) => m.router === 'TrieRouter')).toBe(true);
  });

  it('reaches every route through the area its path leads to; the larger modules are one area per resource', async () => {
    const apps = await loadAllAreas();
    // A route whose path another area's prefix claims would be unreachable (each area answers its
    // own paths, 404 for the rest).
    const misplaced = apps.flatMap((app, i) =>
      app.routes
        .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
        .map((r) => r.path.replace(/:[A-Za-z_]\w*(\{[^}]*\})?/g, '1'))
        .filter((path) => areaIndex(path) !== i)
        .map((path) => `${path}: area ${i}, reached ${areaIndex(path)}`),
    );
    expect(misplaced).toEqual([]);
    // A first request to the invoices builds the invoices' routes only (src/app.ts builds areas lazily).
    const invoices = apps[areaIndex('/api/finance/invoices/')];
    const resources = (app: (typeof apps)[number]) =>
      [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => r.path.split('/')[3]))].sort();
    expect(resources(invoices)).toEqual(['invoices']);
    expect(resources(apps[areaIndex('/api/field/visits/')])).toEqual(['visits']);
    expect(resources(apps[areaIndex('/api/workspace/spaces/')])).toEqual(['branches', 'spaces']);
    // Nested paths belong to the nested resource's area, not the enclosing one.
    expect(areaIndex('/api/projects/1/comments/')).not.toBe(areaIndex('/api/projects/1/'));
    expect(areaIndex('/api/projects/milestones/')).not.toBe(areaIndex('/api/projects/1/'));
    expect(areaIndex('/api/workspace/branches/1/spaces/')).toBe(areaIndex('/api/workspace/spaces/'));
    expect(areaIndex('/api/workspace/workspaces/1/members/')).not.toBe(areaIndex('/api/workspace/workspaces/1/'));
    expect(areaIndex('/api/nothing/')).toBe(-1);
    // A prefix matches with or without its slash, whole segments only, a parameter one non-empty segment.
    expect(areaIndex('/api/workspace/bookings')).toBe(areaIndex('/api/workspace/bookings/1/'));
    expect(areaIndex('/api/workspace/bookings')).not.toBe(areaIndex('/api/workspace/workspaces/'));
    expect(areaIndex('/api/usersx/')).toBe(-1);
    expect(areaIndex('/api/projects//comments/')).toBe(areaIndex('/api/projects/'));
  });

  it("answers an area's listed reads from a read app that builds less, with the same routes as the whole area", async () => {
    const [apps, reads] = await Promise.all([loadAllAreas(), loadReadAreas()]);
    expect(reads.flatMap((r) => r.paths)).toEqual(
      expect.arrayContaining([
        '/api/users/me/',
        '/api/projects/',
        '/api/tasks/',
        '/api/chat/channels/',
        '/api/workspace/workspaces/',
      ]),
    );
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    const wrongRouter: string[] = [];
    for (const { app, area, paths } of reads) {
      const own = app.routes.filter((r) => r.method !== 'ALL').map(key);
      const whole = apps[area].routes.filter((r) => r.method !== 'ALL').map(key);
      // Each listed path is a GET of the read app, every route of the read app is also the whole
      // area's (a request answers the same from either), and the read app builds fewer routes.
      for (const path of paths) expect(own).toContain(`GET ${path}`);
      expect(own.filter((k) => !whole.includes(k))).toEqual([]);
      expect(own.length).toBeLessThan(whole.length);
      // The same router choice as the areas (the first test): `reads.router: 'trie'` exactly where needed.
      if ((app.router.name === 'TrieRouter') === regExpAccepts(app.routes)) wrongRouter.push(`${paths[0]}: ${app.router.name}`);
    }
    expect(wrongRouter, "set (or unset) `router: 'trie'` on these read apps").toEqual([]);
    // A GET or HEAD of a listed path goes to the read app; the path's other methods, the area's other
    // paths and the path without its slash (the area's APPEND_SLASH redirect) to the whole area.
    const list = areaFor('/api/projects/', 'GET');
    const whole = areaFor('/api/projects/', 'POST');
    expect(list).toBeDefined();
    expect(list).not.toBe(whole);
    expect(areaFor('/api/projects/', 'HEAD')).toBe(list);
    expect(areaFor('/api/projects/1/', 'GET')).toBe(whole);
    expect(areaFor('/api/projects', 'GET')).toBe(whole);
    expect(areaFor('/api/projects/1/members/', 'GET')).not.toBe(list);
    expect(areaFor('/api/tasks/', 'GET')).not.toBe(areaFor('/api/tasks/1/', 'GET'));
    expect(areaFor('/api/nothing/', 'GET')).toBeUndefined();
  });

  it('dispatches at the root with the RegExpRouter, an area inside another area first', async () => {
    const { root } = buildApp();
    expect((await root.request('/api/', {}, { LOG_EVENTS: 'off' })).status).toBe(200);
    // The root table (the index, the docs, one fallback route for the areas) stays on the fastest router.
    expect(root.router.name).toBe('SmartRouter + RegExpRouter');
    // Paths of the workspace family's bookings area, inside the core's /api/workspace/, reach the
    // bookings area (its APPEND_SLASH redirect and its routes' 401), not the core's 404.
    const bookings = await api('/api/workspace/bookings');
    expect(bookings.status).toBe(301);
    expect(bookings.headers.get('location')).toBe(`${BASE}/api/workspace/bookings/`);
    expect((await api('/api/workspace/workspaces/1/bookings/summary/')).status).toBe(401);
    expect((await api('/api/workspace/spaces/1/availability/')).status).toBe(401);
    expect((await api('/api/workspace/bookings/1/cancel/')).status).toBe(405);
    const space = await api('/api/workspace/public/spaces/not-a-uuid/');
    expect(space.status).toBe(404);
    expect(space.json).toMatchObject({ success: false });
    // ...and the core keeps its own.
    expect((await api('/api/workspace/workspaces/')).status).toBe(401);
    const unknown = await api('/api/workspace/nothing-here/');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ success: false });
  });

  it("sends an area's requests straight to the area's app, with the edge plumbing, and the rest to the root app", async () => {
    const app = buildApp();
    const rootFetch = vi.spyOn(app.root, 'fetch');
    const env = { ...testEnv, LOG_EVENTS: 'off', CORS_ORIGINS: 'https://app.example' };
    const ctx = createExecutionContext();
    const call = (path: string, init: RequestInit = {}) => app.fetch(new Request(`${BASE}${path}`, init), env as Env, ctx);
    const origin = { origin: 'https://app.example' };

    // An area's path: its own 401, with every header the root app used to add, and no root app.
    const list = await call('/api/workspace/bookings/', { headers: origin });
    expect(list.status).toBe(401);
    expect(list.headers.get('x-content-type-options')).toBe('nosniff');
    expect(list.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(list.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(list.headers.get('vary')).toBe('Origin');
    expect(list.headers.get('x-request-id')).toBeTruthy();
    // ...its preflight, body limit and body types too.
    const preflight = await call('/api/field/leads/', {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('x-request-id')).toBeTruthy();
    const xml = await call('/api/field/leads/', { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' });
    expect(xml.status).toBe(415);
    const big = await call('/api/field/leads/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notes: 'x'.repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    // A path just past a prefix is not the area's (`/api/usersx` is no `/api/users/`), a prefix
    // without its slash is (the area's APPEND_SLASH redirect).
    expect(rootFetch).not.toHaveBeenCalled();
    expect((await call('/api/workspace/bookings')).status).toBe(301);
    expect(rootFetch).not.toHaveBeenCalled();
    const unknown = await call('/api/usersx/');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-content-type-options')).toBe('nosniff');
    expect(rootFetch).toHaveBeenCalledTimes(1);
    expect((await call('/api/')).status).toBe(200);
    expect(rootFetch).toHaveBeenCalledTimes(2);
  });
});
