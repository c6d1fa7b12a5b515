/**
 * Issue 16 (first requests): an area's read app (`AreaSpec.reads`, src/app.ts), built from a list's
 * module alone, answers the GETs it serves exactly as the whole area would: the same status, body
 * and headers (but the per-request id and the D1 bookmark), for a page, a page past the end, an
 * invalid query and an anonymous caller, in both API families (the kit's resources served by their
 * list alone, `listOnly`, included) (a workspace's stored logo shown as
 * its URL by the family's router included); the path without its slash is the whole area's.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { areaFor, loadAllAreas, loadReadAreas } from '../../src/app';
import { createAssistant } from '../helpers/assistants';
import { createLead } from '../helpers/field';
import { invoice, party } from '../helpers/finance';
import { api, BASE, expectStatus, type FetchWorker, fetchWorker } from '../helpers/http';
import { makeProject, makeTask } from '../helpers/tasks';
import { makeUser, wsUser } from '../helpers/users';
import { createWorkspace } from '../helpers/workspace';

/** Headers that differ between any two responses. */
const PER_RESPONSE = new Set(['x-request-id', 'x-d1-bookmark']);

async function answer(app: FetchWorker, url: string, token?: string) {
  const { res } = await fetchWorker(new Request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} }), {
    worker: app,
    env: { LOG_EVENTS: 'off' },
  });
  const headers = [...res.headers].filter(([name]) => !PER_RESPONSE.has(name)).sort();
  return { status: res.status, headers, body: await res.text() };
}

describe('read apps', () => {
  it('answer their listed reads exactly as the whole area does', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const member = await wsUser('reader');
    const project = await makeProject(staff);
    await makeTask(staff, { project: project.id });
    await makeTask(staff);
    // Rows for the lists a kit resource serves alone (`listOnly`): leads with their nested actions,
    // invoices, posts and assistants.
    const lead = await createLead(staff.token, { assigned_rep: staff.id });
    expectStatus(
      await api('/api/field/actions/', { token: staff.token, body: { lead: lead.id, type: 'call', notes: 'rang' } }),
      201,
    );
    await createLead(staff.token);
    await invoice(staff.token, (await party(staff.token)).id);
    await createAssistant(staff.token);
    expectStatus(
      await api('/api/social/posts/', {
        token: staff.token,
        body: { title: 'Launch', content_text: 'We are live', platform: 'instagram', scheduled_for: '2030-05-01T10:00:00Z' },
      }),
      201,
    );
    const workspaceId = await createWorkspace(member);
    // A stored logo (an R2 key): the workspace family's router shows it as its public URL.
    await env.DB.prepare('UPDATE workspaces SET logo_url = ? WHERE id = ?')
      .bind(`logo-${'ab'.repeat(24)}`, workspaceId)
      .run();

    const [apps, reads] = await Promise.all([loadAllAreas(), loadReadAreas()]);
    const differences: string[] = [];
    let compared = 0;
    for (const { app, area, paths } of reads) {
      for (const pattern of paths) {
        const path = pattern.replace(/:[^/]+/g, '1');
        const token = path.startsWith('/api/workspace/') ? member.token : staff.token;
        const cases: [string, string | undefined][] = [
          [path, token],
          [`${path}?page=2&page_size=1`, token],
          [`${path}?page=99`, token],
          [`${path}?page=abc&page_size=0`, token],
          [path, undefined],
        ];
        for (const [target, auth] of cases) {
          const url = `${BASE}${target}`;
          const [own, whole] = [await answer(app, url, auth), await answer(apps[area], url, auth)];
          compared++;
          if (JSON.stringify(own) !== JSON.stringify(whole))
            differences.push(
              `${target}${auth ? '' : ' (anonymous)'}: ${own.status} ${own.body.slice(0, 120)} / ${whole.status} ${whole.body.slice(0, 120)}`,
            );
        }
        // The path without its slash is the whole area's (its APPEND_SLASH redirect).
        expect(areaFor(path.slice(0, -1), 'GET')).not.toBe(areaFor(path, 'GET'));
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(5 * 12);
  });
});
