/**
 * The start-up warm-up (src/core/warm-up.ts) runs zod's parse paths, drizzle's statement builders
 * and the access-token check once while the Worker starts. index.ts swallows its failures (a warm-up must never stop
 * a Worker from starting), so this test is where a failure shows: it runs the warm-up and checks
 * that it touches no binding and no network.
 */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyAccess } from '../../src/core/jwt';
import { WARM_KEY, WARM_TOKEN, warmUp } from '../../src/core/warm-up';
import { api } from '../helpers/http';

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

  it('checks its token under its own key: the token is valid there and refused by the API', async () => {
    expect((await verifyAccess(WARM_KEY, WARM_TOKEN))?.role).toBe('Staff');
    expect(await verifyAccess(env.JWT_SECRET, WARM_TOKEN)).toBeNull();
    const res = await api('/api/users/me/', { token: WARM_TOKEN });
    expect(res.status).toBe(401);
  });

  it('index.ts runs it at module evaluation and swallows a failure', async () => {
    const source = (await import('../../src/index.ts?raw')).default as string;
    expect(source).toMatch(/^warmUp\(\)\.catch\(\(\) => undefined\);$/m);
  });
});
