/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto, 100,000 iterations (workerd's maximum),
 * a random 16-byte salt, stored as `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>` (Django's
 * layout) so the cost can be raised later and old hashes still verify.
 */
const ITERATIONS = 100_000;
const enc = new TextEncoder();

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', enc.encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2_sha256$${ITERATIONS}$${b64(salt)}$${b64(hash)}`;
}

/** Constant-time comparison of two byte arrays. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Checks a password against a stored hash; an empty or unknown-format hash never matches. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 4 || parts[0] !== 'pbkdf2_sha256') {
    // Spend the same time as a real check so unknown users cannot be told apart by timing.
    await derive(password, new Uint8Array(16), ITERATIONS);
    return false;
  }
  const iterations = Number(parts[1]);
  const actual = await derive(password, unb64(parts[2]), iterations);
  return timingSafeEqual(actual, unb64(parts[3]));
}

/** SHA-256 hex of a string (for codes and token fingerprints; never for passwords). */
export async function sha256Hex(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', enc.encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
