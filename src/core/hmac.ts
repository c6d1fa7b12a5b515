/** HMAC-SHA-256 keys by secret, imported once per isolate (a few secrets at most: tests use several). */
const keys = new Map<string, Promise<CryptoKey>>();

/**
 * The HMAC-SHA-256 key of a secret, for signing and verifying (tokens, file URLs). Importing a raw
 * secret into WebCrypto is a call into native code; every token check and every signed URL of a
 * list page paid it again for the same key.
 */
export function hmacKey(secret: string): Promise<CryptoKey> {
  let found = keys.get(secret);
  if (!found) {
    if (keys.size >= 8) keys.clear();
    found = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    found.catch(() => keys.delete(secret));
    keys.set(secret, found);
  }
  return found;
}
