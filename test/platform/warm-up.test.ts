/**
 * The start-up warm-up (src/core/warm-up.ts) runs zod's parse paths and drizzle's statement
 * builders once while the Worker starts. index.ts swallows its failures (a warm-up must never stop
 * a Worker from starting), so this test is where a failure shows: it runs the warm-up and checks
 * that it touches no binding and no network.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { warmUp } from '../../src/core/warm-up';

afterEach(() => vi.restoreAllMocks());

describe('start-up warm-up', () => {
  it('parses and builds without an error', async () => {
    await expect(warmUp()).resolves.toBeUndefined();
  });

  it('does no I/O: no fetch, nothing random (both refused at a Worker’s start-up)', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    const uuid = vi.spyOn(crypto, 'randomUUID');
    const random = vi.spyOn(crypto, 'getRandomValues');
    await warmUp();
    expect(fetch).not.toHaveBeenCalled();
    expect(uuid).not.toHaveBeenCalled();
    expect(random).not.toHaveBeenCalled();
  });

  it('index.ts runs it at module evaluation and swallows a failure', async () => {
    const source = (await import('../../src/index.ts?raw')).default as string;
    expect(source).toMatch(/^warmUp\(\)\.catch\(\(\) => undefined\);$/m);
  });
});
