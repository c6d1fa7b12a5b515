/**
 * Stored files served back through signed URLs (src/core/files.ts, src/modules/files/): the bytes
 * exactly, ranges, conditional requests, and signatures that expire or are tampered with (403).
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { checkUpload, IMAGES, PUBLIC_URL_TTL_SECONDS, signedUrl, storeUpload, type StoredFile } from '../../src/core/files';
import worker from '../../src/index';
import { BASE } from '../helpers';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG-looking file of `size` bytes whose content after the signature is random. */
function pngBytes(size = 4096) {
  const bytes = crypto.getRandomValues(new Uint8Array(size));
  bytes.set(PNG);
  return bytes;
}

async function stored(bytes: Uint8Array, name = 'photo.png'): Promise<StoredFile> {
  const upload = await checkUpload('file', new File([bytes], name, { type: 'image/png' }), { types: IMAGES, prefix: 'test' });
  return storeUpload(env, upload, 'test');
}

/** GET through the Worker, keeping the body as bytes. */
async function fetchBytes(url: string, headers: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, { headers }), env as never, ctx);
  const body = new Uint8Array(await res.arrayBuffer());
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, body, text: new TextDecoder().decode(body) };
}

describe('signed file URLs', () => {
  it('serve the stored bytes exactly, with content type, ETag, Content-Length and the original name', async () => {
    const bytes = pngBytes();
    const file = await stored(bytes, '../../etc/My Photo<1>.png');
    expect(file.key).toMatch(/^test-[0-9a-f]{48}$/);
    expect(file.name).toBe('My Photo_1_.png');
    const res = await fetchBytes(await signedUrl(env, BASE, file.key));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual(bytes);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''My%20Photo_1_.png");
    expect(res.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);
  });

  it('answer a byte range with 206, the exact slice and Content-Range (also a suffix range)', async () => {
    const bytes = pngBytes(1000);
    const file = await stored(bytes);
    const url = await signedUrl(env, BASE, file.key);
    const part = await fetchBytes(url, { range: 'bytes=100-199' });
    expect(part.status, part.text).toBe(206);
    expect(part.body).toEqual(bytes.slice(100, 200));
    expect(part.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(part.headers.get('content-length')).toBe('100');
    const tail = await fetchBytes(url, { range: 'bytes=-10' });
    expect(tail.status, tail.text).toBe(206);
    expect(tail.body).toEqual(bytes.slice(990));
    expect(tail.headers.get('content-range')).toBe('bytes 990-999/1000');
  });

  it('answer 304 without a body when If-None-Match carries the ETag', async () => {
    const file = await stored(pngBytes());
    const url = await signedUrl(env, BASE, file.key);
    const first = await fetchBytes(url);
    const etag = first.headers.get('etag') ?? '';
    const again = await fetchBytes(url, { 'if-none-match': etag });
    expect(again.status, again.text).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
    const changed = await fetchBytes(url, { 'if-none-match': '"something-else"' });
    expect(changed.status, changed.text).toBe(200);
  });

  it('refuse an expired signature with 403', async () => {
    const file = await stored(pngBytes());
    const url = await signedUrl(env, BASE, file.key, { now: Date.now() - 2 * 3600 * 1000 });
    const res = await fetchBytes(url);
    expect(res.status, res.text).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ detail: 'Invalid or expired file signature.' });
  });

  it('refuse a tampered signature, a moved expiry, another key or no signature with 403', async () => {
    const file = await stored(pngBytes());
    const other = await stored(pngBytes());
    const url = new URL(await signedUrl(env, BASE, file.key));
    const sig = url.searchParams.get('sig') ?? '';
    const exp = Number(url.searchParams.get('exp'));
    const flipped = `${sig.slice(0, 10)}${sig[10] === 'A' ? 'B' : 'A'}${sig.slice(11)}`;
    const attempts = [
      `${BASE}/api/files/${file.key}?exp=${exp}&sig=${flipped}`,
      `${BASE}/api/files/${file.key}?exp=${exp + 3600}&sig=${sig}`,
      `${BASE}/api/files/${other.key}?exp=${exp}&sig=${sig}`,
      `${BASE}/api/files/${file.key}`,
      `${BASE}/api/files/${file.key}?exp=${exp}&sig=`,
    ];
    for (const attempt of attempts) {
      const res = await fetchBytes(attempt);
      expect(res.status, `${attempt}: ${res.text}`).toBe(403);
    }
  });

  it('let a long-lived public URL be cached as immutable', async () => {
    const file = await stored(pngBytes());
    const res = await fetchBytes(await signedUrl(env, BASE, file.key, { ttl: PUBLIC_URL_TTL_SECONDS }));
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answer 404 for a validly signed key with no object', async () => {
    const key = `test-${'0'.repeat(48)}`;
    const res = await fetchBytes(await signedUrl(env, BASE, key));
    expect(res.status, res.text).toBe(404);
  });
});
