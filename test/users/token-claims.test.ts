import { decodeJwt, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
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
});
