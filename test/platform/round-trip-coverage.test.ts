/**
 * The round-trip budget covers the whole product (issue 16): every documented operation of both
 * families belongs to a path prefix whose round-trip test (test/<area>/round-trips.test.ts, on
 * test/helpers/budget.ts) calls each operation through a counting D1 binding and asserts, with
 * `budget.uncovered(prefix)`, that it left none of the prefix's operations out.
 */
import { describe, expect, it } from 'vitest';
import { api, documentedOperations } from '../helpers';

/** Each prefix of the document and the test that measures every operation under it. */
const SUITES: Record<string, string> = {
  '/api/accounts/': '../accounts/round-trips.test.ts',
  '/api/assistants/': '../assistants/round-trips.test.ts',
  '/api/auth/': '../users/round-trips.test.ts',
  '/api/chat/': '../chat/round-trips.test.ts',
  '/api/content/': '../content/round-trips.test.ts',
  '/api/dashboard/': '../dashboard/round-trips.test.ts',
  '/api/dev/': '../users/round-trips.test.ts',
  '/api/field/': '../field/round-trips.test.ts',
  '/api/files/': '../files/round-trips.test.ts',
  '/api/finance/': '../finance/round-trips.test.ts',
  '/api/notifications/': '../notifications/round-trips.test.ts',
  '/api/projects/': '../projects/round-trips.test.ts',
  '/api/social/': '../social/round-trips.test.ts',
  '/api/tasks/': '../tasks/round-trips.test.ts',
  '/api/user/': '../workspace/round-trips.test.ts',
  '/api/users/': '../users/round-trips.test.ts',
  '/api/workspace/': '../workspace/round-trips.test.ts',
};

/** The round-trip tests' sources, read at build time. */
const sources = import.meta.glob<string>('../*/round-trips.test.ts', { query: '?raw', import: 'default', eager: true });

describe('round-trip budget coverage', () => {
  it('every documented operation lies under a prefix with a round-trip test', async () => {
    const doc = (await api('/api/schema/')).json as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    expect(paths.length).toBeGreaterThan(100);
    const orphans = paths.filter((path) => !Object.keys(SUITES).some((prefix) => path.startsWith(prefix)));
    expect(orphans, 'paths no round-trip test measures').toEqual([]);
  });

  it.each(Object.entries(SUITES))('%s: its test exists and asserts it left no operation out', async (prefix, file) => {
    expect((await documentedOperations(prefix)).length, `${prefix} has documented operations`).toBeGreaterThan(0);
    const source = sources[file];
    expect(source, `${file} exists`).toBeTypeOf('string');
    expect(source, `${file} uses the Budget helper`).toContain('new Budget()');
    expect(source, `${file} asserts budget.uncovered('${prefix}')`).toContain(`uncovered('${prefix}')`);
  });
});
