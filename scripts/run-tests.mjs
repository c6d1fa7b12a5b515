#!/usr/bin/env node
/**
 * `npm test`'s last step: `vitest run` with a stall watchdog.
 *
 * @cloudflare/vitest-pool-workers can stop making progress mid-run without failing (upstream:
 * cloudflare/workers-sdk#15498): no test file finishes and the process waits forever, so a CI job
 * runs into its time limit with nothing reported. The watchdog reads vitest's per-file result
 * lines; when no file has finished for TEST_STALL_SECONDS (default 300), it stops the run and starts
 * vitest again on the files that had not finished (at most twice). A failed test is never retried:
 * the run exits non-zero if any file failed in any pass. Arguments are passed to vitest; with file
 * or folder arguments there is no restart (a stall then fails the run, naming the unfinished files).
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const STALL_MS = Number(process.env.TEST_STALL_SECONDS ?? 300) * 1000;
const MAX_RESTARTS = 2;
const args = process.argv.slice(2);
const ROOT = process.cwd();

/** Every test file vitest would run (its default include, under test/). */
function testFiles(dir = join(ROOT, 'test')) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (/\.test\.[cm]?[jt]sx?$/.test(name)) out.push(relative(ROOT, path));
  }
  return out.sort();
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes in vitest's output
const ANSI = /\x1b\[[0-9;]*m/g;
const FILE_LINE = /^\s*([✓❯×↓])\s+(\S+\.test\.[cm]?[jt]sx?)\s/;

/** One vitest pass; resolves with its exit code, the files it finished and the files that failed. */
function pass(files) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...files], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const finished = new Set();
    const failed = new Set();
    let last = Date.now();
    let stalled = false;
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const m = FILE_LINE.exec(line.replace(ANSI, ''));
        if (!m) continue;
        finished.add(m[2]);
        if (m[1] === '❯' || m[1] === '×') failed.add(m[2]);
        last = Date.now();
      }
    });
    const timer = setInterval(() => {
      if (Date.now() - last < STALL_MS) return;
      stalled = true;
      clearInterval(timer);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code: stalled ? null : (code ?? 1), finished, failed });
    });
  });
}

const explicit = args.some((a) => !a.startsWith('-'));
let remaining = explicit ? [] : testFiles();
let anyFailed = false;
for (let attempt = 0; ; attempt++) {
  const { code, finished, failed } = await pass(attempt === 0 ? args : [...args, ...remaining]);
  if (failed.size) anyFailed = true;
  if (code !== null) process.exit(anyFailed ? 1 : code);
  remaining = remaining.filter((f) => !finished.has(f));
  console.error(
    `\nrun-tests: no test file finished for ${STALL_MS / 1000} s (vitest-pool-workers stall, cloudflare/workers-sdk#15498).`,
  );
  if (explicit || attempt >= MAX_RESTARTS || !remaining.length) {
    console.error(`run-tests: giving up; unfinished: ${remaining.join(' ') || '(see above)'}`);
    process.exit(1);
  }
  console.error(`run-tests: running the ${remaining.length} unfinished files again.\n`);
}
