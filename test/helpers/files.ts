/** Files: multipart requests as clients send them, sample files, R2 reads. */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { eventually } from './eventually';
import { type ApiOptions, api, BASE } from './http';

/** A JPEG's first bytes, padded to `size`. */
export function jpeg(size = 256, fill = 7): Uint8Array {
  const b = new Uint8Array(size).fill(fill);
  b.set([0xff, 0xd8, 0xff, 0xe0]);
  return b;
}
/** A PNG's first bytes, padded to `size`. */
export function png(size = 256): Uint8Array {
  const b = new Uint8Array(size).fill(3);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return b;
}
/** A small PDF document. */
export const pdf = (text = 'test document') => new TextEncoder().encode(`%PDF-1.7\n% ${text}\n%%EOF\n`);
/** Something no file field accepts (markup). */
export const html = () => new TextEncoder().encode('<html><script>alert(1)</script></html>');

export type Part = string | { bytes: Uint8Array; name: string; type?: string };

/** Sends a multipart form (encoded up front, with its Content-Length, as clients send it) through `api()`. */
export async function form(path: string, parts: Record<string, Part | Part[]> | FormData, opts: Omit<ApiOptions, 'body'> = {}) {
  let data = parts;
  if (!(data instanceof FormData)) {
    data = new FormData();
    for (const [key, value] of Object.entries(parts))
      for (const v of Array.isArray(value) ? value : [value])
        data.append(key, typeof v === 'string' ? v : new File([v.bytes], v.name, { type: v.type ?? 'application/octet-stream' }));
  }
  const encoded = new Response(data);
  const body = await encoded.arrayBuffer();
  const headers = {
    'content-type': encoded.headers.get('content-type') ?? '',
    'content-length': String(body.byteLength),
    ...opts.headers,
  };
  return api(path, { method: 'POST', ...opts, headers, body });
}

/** The key a signed URL of ours names. */
export function keyOf(url: unknown): string {
  expect(url, 'a signed file URL').toMatch(
    new RegExp(`^${BASE}/api/files/[a-z]+-[0-9a-f]{48}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`),
  );
  return new URL(url as string).pathname.split('/').pop() as string;
}

/** Whether R2 holds an object. */
export const exists = async (key: string) => (await env.FILES.head(key)) !== null;

/** Waits until an object is gone (the queue consumer removes released objects). */
export function waitGone(key: string, timeoutMs = 4500) {
  return eventually(async () => !(await exists(key)), { timeoutMs, intervalMs: 50, message: `object ${key} still in R2` });
}

/** How many objects R2 holds under a key prefix. */
export const countObjects = async (prefix: string) => (await env.FILES.list({ prefix: `${prefix}-` })).objects.length;
