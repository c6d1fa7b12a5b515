/**
 * The shared security suite: every protected workspace route, called anonymously, by an outsider,
 * and with ids that do not exist or are malformed. Outsiders get exactly the 404 of a missing row.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, world, type World } from '../helpers/workspace';
import { api, expectStatus } from '../helpers';

let w: World;
beforeAll(async () => {
  w = await world();
});

const MISSING = '00000000-0000-4000-8000-000000000000';

type Route = {
  method: string;
  path: (ids: { ws: string; br: string; sp: string; mb: string }) => string;
  body?: (w: World) => unknown;
  kind: 'workspace' | 'branch' | 'space' | 'member';
};

const routes: Route[] = [
  { kind: 'workspace', method: 'GET', path: (i) => `/api/workspace/workspaces/${i.ws}/` },
  { kind: 'workspace', method: 'PUT', path: (i) => `/api/workspace/workspaces/${i.ws}/`, body: () => ({ description: 'x' }) },
  { kind: 'workspace', method: 'PATCH', path: (i) => `/api/workspace/workspaces/${i.ws}/`, body: () => ({ description: 'x' }) },
  { kind: 'workspace', method: 'DELETE', path: (i) => `/api/workspace/workspaces/${i.ws}/` },
  { kind: 'workspace', method: 'GET', path: (i) => `/api/workspace/branches/?workspace_id=${i.ws}` },
  { kind: 'workspace', method: 'GET', path: (i) => `/api/workspace/workspaces/${i.ws}/branches/` },
  { kind: 'workspace', method: 'POST', path: () => '/api/workspace/branches/create/', body: () => ({ name: 'B', address: 'A' }) },
  {
    kind: 'workspace',
    method: 'POST',
    path: (i) => `/api/workspace/workspaces/${i.ws}/branches/create/`,
    body: () => ({ name: 'B', address: 'A' }),
  },
  { kind: 'workspace', method: 'GET', path: (i) => `/api/workspace/workspaces/${i.ws}/members/` },
  {
    kind: 'workspace',
    method: 'POST',
    path: (i) => `/api/workspace/workspaces/${i.ws}/members/invite/`,
    body: (w) => ({ email: w.outsider.email, role: 'staff' }),
  },
  { kind: 'workspace', method: 'GET', path: (i) => `/api/workspace/workspaces/${i.ws}/members/${i.mb}/` },
  {
    kind: 'workspace',
    method: 'PUT',
    path: (i) => `/api/workspace/workspaces/${i.ws}/members/${i.mb}/`,
    body: () => ({ role: 'user' }),
  },
  { kind: 'workspace', method: 'DELETE', path: (i) => `/api/workspace/workspaces/${i.ws}/members/${i.mb}/` },
  { kind: 'branch', method: 'GET', path: (i) => `/api/workspace/branches/${i.br}/` },
  { kind: 'branch', method: 'PUT', path: (i) => `/api/workspace/branches/${i.br}/`, body: () => ({ description: 'x' }) },
  { kind: 'branch', method: 'PATCH', path: (i) => `/api/workspace/branches/${i.br}/`, body: () => ({ description: 'x' }) },
  { kind: 'branch', method: 'DELETE', path: (i) => `/api/workspace/branches/${i.br}/` },
  { kind: 'branch', method: 'GET', path: (i) => `/api/workspace/spaces/?branch_id=${i.br}` },
  { kind: 'branch', method: 'GET', path: (i) => `/api/workspace/branches/${i.br}/spaces/` },
  {
    kind: 'branch',
    method: 'POST',
    path: () => '/api/workspace/spaces/create/',
    body: () => ({ name: 'S', space_type: 'desk', capacity: 1, hourly_rate: 1 }),
  },
  {
    kind: 'branch',
    method: 'POST',
    path: (i) => `/api/workspace/branches/${i.br}/spaces/create/`,
    body: () => ({ name: 'S', space_type: 'desk', capacity: 1, hourly_rate: 1 }),
  },
  { kind: 'space', method: 'GET', path: (i) => `/api/workspace/spaces/${i.sp}/` },
  { kind: 'space', method: 'PUT', path: (i) => `/api/workspace/spaces/${i.sp}/`, body: () => ({ description: 'x' }) },
  { kind: 'space', method: 'PATCH', path: (i) => `/api/workspace/spaces/${i.sp}/`, body: () => ({ description: 'x' }) },
  { kind: 'space', method: 'DELETE', path: (i) => `/api/workspace/spaces/${i.sp}/` },
];

/** Body ids: the seed's create routes name the parent in the body. */
function bodyFor(r: Route, ids: { ws: string; br: string }) {
  const body = (r.body?.(w) ?? undefined) as Record<string, unknown> | undefined;
  if (r.path(ids as never) === '/api/workspace/branches/create/') return { ...body, workspace_id: ids.ws };
  if (r.path(ids as never) === '/api/workspace/spaces/create/') return { ...body, branch_id: ids.br };
  return body;
}

const real = () => ({ ws: w.workspaceId, br: w.branchId, sp: w.spaceId, mb: w.memberIds.staff });
const label = (r: Route) => `${r.method} ${r.path({ ws: '{ws}', br: '{br}', sp: '{sp}', mb: '{mb}' })}`;

describe('every protected workspace route', () => {
  for (const r of routes) {
    it(`${label(r)}: anonymous is 401`, async () => {
      const ids = real();
      const res = await api(r.path(ids), { method: r.method, body: bodyFor(r, ids) });
      expectStatus(res, 401);
      expect(res.json).toEqual({ detail: 'Authentication credentials were not provided.' });
    });

    it(`${label(r)}: an outsider gets the same 404 as a missing id`, async () => {
      const ids = real();
      const asOutsider = await api(r.path(ids), { method: r.method, token: w.outsider.token, body: bodyFor(r, ids) });
      const gone = { ws: MISSING, br: MISSING, sp: MISSING, mb: MISSING };
      const missing = await api(r.path(gone), { method: r.method, token: w.admin.token, body: bodyFor(r, gone) });
      expectFailure(asOutsider, 404);
      expect(asOutsider.json).toEqual(missing.json);
      expect(asOutsider.json.message).toBe(
        { workspace: 'Workspace not found', branch: 'Branch not found', space: 'Space not found', member: 'Member not found' }[
          r.kind
        ],
      );
    });

    if (!label(r).includes('?') && !label(r).endsWith('/create/')) {
      it(`${label(r)}: a malformed id is the same 404`, async () => {
        const bad = { ws: 'not-a-uuid', br: 'not-a-uuid', sp: 'not-a-uuid', mb: 'not-a-uuid' };
        const res = await api(r.path(bad), { method: r.method, token: w.admin.token, body: bodyFor(r, bad) });
        expectFailure(res, 404);
      });
    }
  }

  it('routes without a parent id also refuse anonymous callers', async () => {
    for (const [method, path] of [
      ['POST', '/api/workspace/workspaces/create/'],
      ['GET', '/api/workspace/workspaces/'],
      ['POST', '/api/workspace/admin/onboarding/'],
      ['GET', '/api/workspace/admin/onboarding-status/'],
      ['GET', '/api/workspace/admin/profile/'],
    ]) {
      const res = await api(path, { method, body: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(401);
    }
  });

  it('a bad token is 401 too', async () => {
    const res = await api(`/api/workspace/workspaces/${w.workspaceId}/`, { token: 'not.a.token' });
    expectStatus(res, 401);
  });
});
