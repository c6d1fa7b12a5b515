/**
 * The development stand-in for Google (src/modules/dev/google.ts): the whole sign-in flow works
 * against it with no Google account — authorize, code, POST /api/user/auth/google/, token exchange
 * and id_token verification against its key set — and none of it exists in production.
 */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, BASE, expectStatus } from '../helpers';

/** The development configuration: Google's endpoints are the stand-in's (as .dev.vars.example sets them). */
const DEV = {
  ...env,
  ENVIRONMENT: 'development',
  GOOGLE_TOKEN_URL: `${BASE}/api/dev/google/token/`,
  GOOGLE_JWKS_URL: `${BASE}/api/dev/google/certs/`,
} as typeof env;

/** The Worker's outbound fetches to its own origin are answered by the Worker, as under `wrangler dev`. */
function routeSelfFetches() {
  const real = globalThis.fetch;
  const seen: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${BASE}/api/dev/google/`)) return real(input, init);
    seen.push(new URL(request.url).pathname);
    const path = request.url.slice(BASE.length);
    const res = await api(path, {
      method: request.method,
      body: request.method === 'GET' ? undefined : await request.text(),
      headers: { 'content-type': request.headers.get('content-type') ?? 'text/plain' },
      env: DEV,
    });
    return new Response(res.text, { status: res.status, headers: res.headers });
  });
  return seen;
}

afterEach(() => vi.restoreAllMocks());

describe('the fake Google sign-in (development only)', () => {
  it('signs a new user in through authorize -> code -> /api/user/auth/google/, verified against the stand-in key set', async () => {
    const email = `dev.google.${Date.now()}@example.com`;
    const redirect = 'http://localhost:5173/auth/callback';
    const authorize = await api(
      `/api/dev/google/authorize/?redirect_uri=${encodeURIComponent(redirect)}&state=xyz&login_hint=${encodeURIComponent(email)}&name=Dev%20Google`,
      { env: DEV },
    );
    expectStatus(authorize, 302);
    const back = new URL(authorize.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('xyz');
    const code = back.searchParams.get('code');
    expect(code, authorize.headers.get('location') ?? '').toBeTruthy();

    const seen = routeSelfFetches();
    const signIn = await api('/api/user/auth/google/', { body: { code }, env: DEV });
    expectStatus(signIn, 200);
    expect(signIn.json, signIn.text).toMatchObject({ success: true, user: { user_email: email, full_name: 'Dev Google' } });
    expect(seen, 'the Worker exchanged the code and fetched the key set from the stand-in').toEqual(
      expect.arrayContaining(['/api/dev/google/token/', '/api/dev/google/certs/']),
    );
  });

  it('refuses a forged or reused-elsewhere code as Google does (400 invalid code)', async () => {
    routeSelfFetches();
    const res = await api('/api/user/auth/google/', { body: { code: 'not-a-code' }, env: DEV });
    expectStatus(res, 400);
    expect(res.json.message, res.text).toBe('Google authentication failed');
  });

  it('shows a form when no login_hint is given', async () => {
    const res = await api('/api/dev/google/authorize/?redirect_uri=http%3A%2F%2Flocalhost%3A5173%2Fcb&state=s', { env: DEV });
    expectStatus(res, 200);
    expect(res.text).toContain('<form');
    expect(res.text).toContain('name="state" value="s"');
  });

  it('is absent in production: every stand-in route answers 404', async () => {
    const production = { ...env, ENVIRONMENT: 'production' } as typeof env;
    for (const [path, method] of [
      ['/api/dev/google/authorize/?redirect_uri=http%3A%2F%2Fx.test%2F&login_hint=a%40b.test', 'GET'],
      ['/api/dev/google/token/', 'POST'],
      ['/api/dev/google/certs/', 'GET'],
    ]) {
      const res = await api(path, { method, env: production, body: method === 'POST' ? 'code=x' : undefined });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
    }
  });
});
