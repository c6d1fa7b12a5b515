/**
 * The pieces a file field is built from (src/core/files.ts): the parts a request carried are
 * checked together and stored under fresh keys, nothing is stored when one fails, and a row's
 * value is shown as a signed URL (a client's URL as it is).
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENTS,
  IMAGES,
  keepUploads,
  KEY_PATTERN,
  presentFile,
  storeFieldUploads,
  UploadError,
  verifySignature,
} from '../../src/core/files';
import { countObjects as count, jpeg, pdf } from '../helpers/files';
import { BASE } from '../helpers';

const requestWith = (parts: Record<string, File[]>) => {
  const request = new Request(`${BASE}/api/anything/`, { method: 'POST' });
  keepUploads(request, new Map(Object.entries(parts)));
  return request;
};

describe('file fields', () => {
  it('store each field part a request carried under a fresh key, with the sniffed type and the name as metadata', async () => {
    const request = requestWith({
      related_file: [new File([pdf()], 'Invoice #12.pdf', { type: 'application/octet-stream' })],
      photo: [new File([jpeg()], 'p.jpg')],
    });
    const { keys, stored } = await storeFieldUploads(env, request, {
      related_file: { types: DOCUMENTS, prefix: 'invoice' },
      photo: { types: IMAGES, prefix: 'photo' },
    });
    expect(stored.length).toBe(2);
    expect(keys.related_file).toMatch(/^invoice-[0-9a-f]{48}$/);
    const object = await env.FILES.head(keys.related_file);
    expect(object?.httpMetadata?.contentType).toBe('application/pdf');
    expect(object?.customMetadata?.originalName).toBe('Invoice _12.pdf');
  });

  it('store nothing when one part of the request breaks its rule', async () => {
    const before = await count('fieldsok');
    const request = requestWith({
      good: [new File([jpeg()], 'a.jpg')],
      bad: [new File([new TextEncoder().encode('<svg onload=alert(1)>')], 'b.jpg')],
    });
    const err = await storeFieldUploads(env, request, {
      good: { types: IMAGES, prefix: 'fieldsok' },
      bad: { types: IMAGES, prefix: 'fieldsbad' },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err.field).toBe('bad');
    expect(await count('fieldsok')).toBe(before);
    expect(await count('fieldsbad')).toBe(0);
  });

  it('refuse two files for one field', async () => {
    const request = requestWith({ logo: [new File([jpeg()], 'a.jpg'), new File([jpeg()], 'b.jpg')] });
    await expect(storeFieldUploads(env, request, { logo: { types: IMAGES, prefix: 'logo' } })).rejects.toMatchObject({
      field: 'logo',
      status: 400,
    });
  });

  it('store nothing for a request without parts (a JSON body)', async () => {
    const result = await storeFieldUploads(env, new Request(`${BASE}/x`), { logo: { types: IMAGES, prefix: 'logo' } });
    expect(result).toEqual({ keys: {}, stored: [] });
  });

  it('show a stored key as a freshly signed URL, a client URL as it is, and null as null', async () => {
    const key = `media-${'a'.repeat(48)}`;
    expect(KEY_PATTERN.test(key)).toBe(true);
    const url = new URL((await presentFile(env, BASE, key)) ?? '');
    expect(url.origin + url.pathname).toBe(`${BASE}/api/files/${key}`);
    expect(await verifySignature(env, key, url.searchParams.get('exp') ?? '', url.searchParams.get('sig') ?? '')).toBe(true);
    expect(await presentFile(env, BASE, 'https://cdn.example.com/a.png')).toBe('https://cdn.example.com/a.png');
    expect(await presentFile(env, BASE, null)).toBeNull();
  });
});
