/**
 * Tokens: jose, HS256 with JWT_SECRET. Access tokens live 30 minutes; refresh tokens 7 days and
 * rotate on every use (see modules/users/tokens.ts for the family bookkeeping in D1).
 * Claims follow SimpleJWT: token_type, exp, iat, jti, user_id (string), plus uid (the user's UUID).
 */
import { SignJWT, jwtVerify } from 'jose';

export const ACCESS_TTL_SECONDS = 30 * 60;
export const REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;

export type TokenType = 'access' | 'refresh' | 'verify';

export interface TokenClaims {
  token_type: TokenType;
  user_id: string;
  uid?: string;
  jti: string;
  /** Refresh-token family id (rotation / replay detection). */
  fam?: string;
  /** Fingerprint of the password hash (verify/reset links die when the password changes). */
  pwh?: string;
  /** Access tokens: the user's role and token version (see middleware/auth.ts). */
  role?: 'Admin' | 'Staff' | 'Customer';
  tv?: number;
  exp: number;
  iat: number;
}

const key = (secret: string) => new TextEncoder().encode(secret);

/** Signs a token of the given type. */
export async function signToken(
  secret: string,
  type: TokenType,
  claims: { user_id: number; uid?: string; fam?: string; pwh?: string; jti?: string; role?: TokenClaims['role']; tv?: number },
  ttlSeconds: number,
): Promise<{ token: string; jti: string; exp: number }> {
  const jti = claims.jti ?? crypto.randomUUID().replace(/-/g, '');
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + ttlSeconds;
  const payload: Record<string, unknown> = { token_type: type, user_id: String(claims.user_id), jti };
  if (claims.uid) payload.uid = claims.uid;
  if (claims.fam) payload.fam = claims.fam;
  if (claims.pwh) payload.pwh = claims.pwh;
  if (claims.role) payload.role = claims.role;
  if (claims.tv !== undefined) payload.tv = claims.tv;
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key(secret));
  return { token, jti, exp };
}

/** Verifies signature, algorithm (HS256 only), expiry and token type; returns null when invalid. */
export async function verifyToken(secret: string, token: string, type: TokenType): Promise<TokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'] });
    if (payload.token_type !== type || typeof payload.user_id !== 'string') return null;
    return payload as unknown as TokenClaims;
  } catch {
    return null;
  }
}

/** The claims of a valid access token: who the caller is and which token version they hold. */
export interface AccessClaims extends TokenClaims {
  uid: string;
  role: 'Admin' | 'Staff' | 'Customer';
  tv: number;
}

const ROLES = new Set(['Admin', 'Staff', 'Customer']);

/** Verifies an access token and checks it carries what authorization needs. */
export async function verifyAccess(secret: string, token: string): Promise<AccessClaims | null> {
  const claims = await verifyToken(secret, token, 'access');
  if (!claims || !/^\d+$/.test(claims.user_id) || typeof claims.uid !== 'string') return null;
  if (!ROLES.has(claims.role as string) || !Number.isInteger(claims.tv)) return null;
  return claims as AccessClaims;
}
