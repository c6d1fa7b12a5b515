import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { signToken, verifyToken } from '../../src/core/jwt';
import { api, expectStatus, makeUser } from '../helpers';

const SECRET = new TextEncoder().encode('test-secret-do-not-use-in-production');

/** The caller's own claims, signed again with the test secret, with or without an expiry. */
async function resigned(token: string, withExp: boolean) {
  const { exp, iat, ...claims } = decodeJwt(token);
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(iat ?? 0);
  return (withExp ? jwt.setExpirationTime(exp ?? 0) : jwt).sign(SECRET);
}

describe('access token claims', () => {
  it('a token carrying every claim signToken writes is accepted (the re-signing below is sound)', async () => {
    const u = await makeUser();
    const res = await api('/api/users/me/', { token: await resigned(u.token, true) });
    expectStatus(res, 200);
  });

  it('a correctly signed token without an expiry is refused (401), never valid forever', async () => {
    const u = await makeUser();
    const res = await api('/api/users/me/', { token: await resigned(u.token, false) });
    expectStatus(res, 401);
    expect(res.json, JSON.stringify(res.json)).toHaveProperty('detail');
  });

  it('the HMAC key of a secret is imported once per isolate, not on every request (issue 16)', async () => {
    const secret = `key-cache-test-${crypto.randomUUID()}`;
    const other = `key-cache-other-${crypto.randomUUID()}`;
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    try {
      const { token } = await signToken(secret, 'access', { user_id: 1 }, 60);
      for (let i = 0; i < 5; i++) expect(await verifyToken(secret, token, 'access')).toMatchObject({ user_id: '1' });
      expect(importKey).toHaveBeenCalledTimes(1);
      // A token signed with another secret is still refused, with that secret's own key.
      expect(await verifyToken(other, token, 'access')).toBeNull();
      expect(importKey).toHaveBeenCalledTimes(2);
    } finally {
      importKey.mockRestore();
    }
  });
});
