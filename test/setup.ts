import { applyD1Migrations, env } from 'cloudflare:test';
import { afterAll, beforeEach, vi } from 'vitest';
import { loadAllAreas } from '../src/app';

/**
 * The suite runs its files in one isolate, one after another (vitest.config.ts: `isolate: false`),
 * so each file starts from empty storage here instead of from a fresh isolate: every table's rows
 * deleted (full-text indexes follow through their triggers), every KV key and every stored file.
 * Row ids keep counting up across files, so a file never meets a previous file's chat room (one
 * Durable Object per room id) or a KV entry keyed by an id.
 */
async function emptyStorage() {
  const { results } = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all<{
    name: string;
    sql: string | null;
  }>();
  const virtual = results.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  const tables = results
    .map((t) => t.name)
    .filter(
      (name) => !/^(sqlite_|_cf_)|^d1_migrations$/.test(name) && !virtual.some((v) => name === v || name.startsWith(`${v}_`)),
    );
  // Deferred foreign keys: the tables empty in any order within the batch's one transaction.
  if (tables.length)
    await env.DB.batch([
      env.DB.prepare('PRAGMA defer_foreign_keys = on'),
      ...tables.map((t) => env.DB.prepare(`DELETE FROM "${t}"`)),
    ]);
  for (let cursor: string | undefined, done = false; !done; ) {
    const page = await env.KV.list({ cursor });
    await Promise.all(page.keys.map((k) => env.KV.delete(k.name)));
    done = page.list_complete;
    cursor = page.list_complete ? undefined : page.cursor;
  }
  for (let cursor: string | undefined, more = true; more; ) {
    const page = await env.FILES.list({ cursor });
    if (page.objects.length) await env.FILES.delete(page.objects.map((o) => o.key));
    more = page.truncated;
    cursor = page.truncated ? page.cursor : undefined;
  }
}

await applyD1Migrations(env.DB, (env as { TEST_MIGRATIONS?: Parameters<typeof applyD1Migrations>[1] }).TEST_MIGRATIONS ?? []);
await emptyStorage();
// The Worker builds each area on first use with a dynamic import(). In production esbuild bundles
// those (no fetch); under vitest each dynamic import fetches the module from Vite, which stalls
// the pool when it happens inside a request. Loading every area here, outside any request,
// makes the requests' imports resolve from the module cache (the first file loads them).
await loadAllAreas();
// A spy a file leaves in place would outlive it in the shared isolate.
afterAll(() => vi.restoreAllMocks());

// Error and warning lines of the Worker are expected in tests that provoke failures (a queue retry,
// a misconfiguration, a dead letter): they are kept, not printed, and printed only when the test
// fails, so a passing `npm test` shows no error-level line. Tests that check a log line spy on
// console.error / console.warn as usual (they replace this buffer for their duration).
// The isolate is shared by every file: the real console.error is kept from the first file's setup.
const shared = globalThis as { printError?: (...args: unknown[]) => void };
shared.printError ??= console.error.bind(console);
const printError = shared.printError;
let buffered: unknown[][] = [];
for (const level of ['error', 'warn'] as const)
  console[level] = (...args: unknown[]) => {
    buffered.push(args);
  };
beforeEach(({ onTestFailed }) => {
  buffered = [];
  onTestFailed(() => {
    for (const args of buffered) printError(...args);
  });
});
