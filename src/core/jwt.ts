/**
 * Tokens: jose, HS256 with JWT_SECRET. Access tokens live 30 minutes; refresh tokens 7 days and
 * rotate on every use (see modules/users/tokens.ts for the family bookkeeping in D1).
 * Claims follow SimpleJWT: token_type, exp, iat, jti, user_id (string), plus uid (the user's UUID).
 * Access tokens also carry `role` and `tv` (the user's token version: a password reset or change,
 * a deactivation or a role change bumps it, and every older access token dies).
 * Each emailed link has its own type: a verify-email token cannot reset a password.
 */
import { type JWTPayload, SignJWT, jwtVerify } from 'jose';
import { hmacKey } from './hmac';
import { ConfigError } from '../env';

export const ACCESS_TTL_SECONDS = 30 * 60;
export const REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;
/** Email verification links: 3 days, as the original. */
export const VERIFY_EMAIL_TTL_SECONDS = 3 * 24 * 60 * 60;
/** Password-reset links: one hour, and single use (the jti is consumed in D1). */
export const PASSWORD_RESET_TTL_SECONDS = 60 * 60;
/** Shortest signing key we accept (HS256 wants at least 256 bits). */
const MIN_SECRET_LENGTH = 32;

export type TokenType = 'access' | 'refresh' | 'verify_email' | 'password_reset';

export interface TokenClaims {
  token_type: TokenType;
  user_id: string;
  uid?: string;
  jti: string;
  /** Refresh-token family id (rotation / replay detection). */
  fam?: string;
  /** Fingerprint of the password hash (reset links die when the password changes). */
  pwh?: string;
  /** Fingerprint of the email address (a verify link dies when the address changes). */
  emh?: string;
  /** Access tokens: the user's role when the token was issued. */
  role?: string;
  /** Access tokens: the user's token version when the token was issued (absent means 0). */
  tv?: number;
  exp: number;
  iat: number;
}

export interface SignClaims {
  user_id: number;
  uid?: string;
  fam?: string;
  pwh?: string;
  emh?: string;
  role?: string;
  tv?: number;
  jti?: string;
}

/**
 * The server secret (JWT_SECRET), or a ConfigError when the deployment has none or one too short
 * to be safe. Also keys the hashes of reset codes.
 */
export function requireSecret(secret: string | undefined): string {
  if (!secret) throw new ConfigError('JWT_SECRET', 'is not set (wrangler secret put JWT_SECRET)');
  if (secret.length < MIN_SECRET_LENGTH)
    throw new ConfigError('JWT_SECRET', `is shorter than ${MIN_SECRET_LENGTH} characters (wrangler secret put JWT_SECRET)`);
  return secret;
}

/** The HS256 key of a secret (imported once: core/hmac.ts). jose would import a raw secret on every call. */
const key = (secret: string | undefined) => hmacKey(requireSecret(secret));

/** Signs a token of the given type. Throws ConfigError without a usable JWT_SECRET. */
export async function signToken(
  secret: string | undefined,
  type: TokenType,
  claims: SignClaims,
  ttlSeconds: number,
): Promise<{ token: string; jti: string; exp: number }> {
  const signingKey = await key(secret);
  const jti = claims.jti ?? crypto.randomUUID().replace(/-/g, '');
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + ttlSeconds;
  const payload: Record<string, unknown> = { token_type: type, user_id: String(claims.user_id), jti };
  for (const name of ['uid', 'fam', 'pwh', 'emh', 'role'] as const) if (claims[name]) payload[name] = claims[name];
  if (claims.tv !== undefined) payload.tv = claims.tv;
  const token = await new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(signingKey);
  return { token, jti, exp };
}

/** Whether a verified payload holds the claims of a token of `type` (signed by `signToken`). */
function isClaims(payload: JWTPayload, type: TokenType): payload is JWTPayload & TokenClaims {
  if (payload.token_type !== type || typeof payload.user_id !== 'string' || typeof payload.jti !== 'string') return false;
  if (payload.tv !== undefined && !Number.isSafeInteger(payload.tv)) return false;
  return typeof payload.exp === 'number' && typeof payload.iat === 'number';
}

/**
 * Verifies signature, algorithm (HS256 only), expiry and token type; returns null when invalid.
 * Throws ConfigError without a usable JWT_SECRET (a misconfiguration, not a bad token).
 */
export async function verifyToken(secret: string | undefined, token: string, type: TokenType): Promise<TokenClaims | null> {
  const verifyKey = await key(secret);
  try {
    const { payload } = await jwtVerify(token, verifyKey, { algorithms: ['HS256'] });
    return isClaims(payload, type) ? payload : null;
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

/** Verifies an access token and checks it carries what authorization needs (a token version absent means 0). */
export async function verifyAccess(secret: string | undefined, token: string): Promise<AccessClaims | null> {
  const claims = await verifyToken(secret, token, 'access');
  if (!claims || !/^\d+$/.test(claims.user_id) || typeof claims.uid !== 'string' || !ROLES.has(claims.role as string))
    return null;
  return { ...claims, tv: claims.tv ?? 0 } as AccessClaims;
}
