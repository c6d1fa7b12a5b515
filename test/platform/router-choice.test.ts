/**
 * Issue 16 (routing, first request): a module app whose route table Hono's RegExpRouter rejects
 * is built on the TrieRouter directly (src/app.ts marks it `trie`), so its first request does not
 * build a RegExpRouter only to throw it away; every other module keeps the SmartRouter, which
 * settles on the RegExpRouter. A route added to a module can flip its table either way: this test
 * says which mark to change.
 */
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { describe, expect, it } from 'vitest';
import { loadAllModules } from '../../src/app';

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
    const apps = await loadAllModules();
    const table = apps.map((app) => {
      const first = app.routes.find((r) => r.method !== 'ALL')?.path ?? '?';
      return {
        module: first.split('/').slice(0, 3).join('/'),
        routes: app.routes.length,
        regExpAccepts: regExpAccepts(app.routes),
        router: app.router.name,
      };
    });
    const wrong = table.filter((m) => (m.router === 'TrieRouter') === m.regExpAccepts);
    expect(wrong, `mark these modules 'trie' (or unmark them) in src/app.ts: ${JSON.stringify(table)}`).toEqual([]);
    expect(table.some((m) => m.router === 'TrieRouter')).toBe(true);
  });
});
