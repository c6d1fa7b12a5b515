import { applyD1Migrations, env } from 'cloudflare:test';
import { afterAll, beforeEach, vi } from 'vitest';
import { loadAllAreas } from '../src/app';
import { emptyStorage } from './helpers/storage';

await applyD1Migrations(env.DB, (env as { TEST_MIGRATIONS?: Parameters<typeof applyD1Migrations>[1] }).TEST_MIGRATIONS ?? []);
// The files share one isolate: each starts from empty storage (test/helpers/storage.ts). When it
// was emptied is kept for test/platform/storage-per-file.test.ts.
(globalThis as { storageEmptiedAt?: number }).storageEmptiedAt = Date.now();
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
