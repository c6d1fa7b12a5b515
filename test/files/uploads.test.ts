/**
 * What an upload may be (src/core/files.ts): the type comes from the first bytes, never from the
 * name or the declared type; sizes are limited per field; names are sanitised; nothing failing a
 * rule is stored.
 */
import { describe, expect, it } from 'vitest';
import { checkUpload, DOCUMENTS, IMAGES, MEDIA, newKey, sanitiseName, sniffType, UploadError } from '../../src/core/files';

const bytesOf = (...parts: (string | number[])[]) => {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p));
  while (out.length < 32) out.push(0);
  return new Uint8Array(out);
};

const SAMPLES: [string, Uint8Array][] = [
  ['image/jpeg', bytesOf([0xff, 0xd8, 0xff, 0xe0])],
  ['image/png', bytesOf([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/gif', bytesOf('GIF89a')],
  ['image/webp', bytesOf('RIFF', [1, 2, 3, 4], 'WEBPVP8 ')],
  ['application/pdf', bytesOf('%PDF-1.7\n')],
  ['video/mp4', bytesOf([0, 0, 0, 0x18], 'ftypmp42')],
  ['video/webm', bytesOf([0x1a, 0x45, 0xdf, 0xa3])],
  ['audio/mpeg', bytesOf('ID3')],
  ['audio/ogg', bytesOf('OggS')],
  ['audio/wav', bytesOf('RIFF', [1, 2, 3, 4], 'WAVEfmt ')],
  ['application/zip', bytesOf([0x50, 0x4b, 0x03, 0x04])],
];

describe('uploads', () => {
  it('are typed from their first bytes', () => {
    for (const [type, bytes] of SAMPLES) expect(sniffType(bytes), type).toBe(type);
    expect(sniffType(bytesOf('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(sniffType(bytesOf('<!doctype html><script>'))).toBeNull();
  });

  it('are refused (400) when the bytes are not an allowed type, whatever the name and declared type say', async () => {
    const html = new File([bytesOf('<html><script>alert(1)</script>')], 'cat.png', { type: 'image/png' });
    const err = await checkUpload('photo', html, { types: IMAGES, prefix: 'test' }).catch((e) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err.status).toBe(400);
    expect(err.toApiError('drf').body).toEqual({ photo: [expect.stringContaining('Unsupported file type')] });
    const pdf = new File([SAMPLES[4][1]], 'invoice.pdf', { type: 'application/pdf' });
    await expect(checkUpload('photo', pdf, { types: IMAGES, prefix: 'test' })).rejects.toThrow(UploadError);
    await expect(checkUpload('related_file', pdf, { types: DOCUMENTS, prefix: 'test' })).resolves.toMatchObject({
      type: 'application/pdf',
    });
    await expect(
      checkUpload('file', new File([SAMPLES[5][1]], 'clip', { type: 'text/plain' }), { types: MEDIA, prefix: 'test' }),
    ).resolves.toMatchObject({ type: 'video/mp4', name: 'clip' });
  });

  it('are refused with 413 above their field limit and 400 when empty, in both families shapes', async () => {
    const big = new File([new Uint8Array(2049).fill(0xff)], 'big.jpg');
    const err = await checkUpload('logo', big, { types: IMAGES, maxBytes: 2048, prefix: 'test' }).catch((e) => e);
    expect(err).toBeInstanceOf(UploadError);
    expect(err.status).toBe(413);
    expect(err.toApiError('drf').status).toBe(413);
    expect(err.toApiError('envelope').body).toEqual({
      success: false,
      message: 'File too large',
      errors: { logo: ['File too large: the limit is 2048 bytes.'] },
    });
    const empty = await checkUpload('logo', new File([], 'x.jpg'), { types: IMAGES, prefix: 'test' }).catch((e) => e);
    expect(empty.status).toBe(400);
  });

  it('refuse nothing under the default 10 MB limit and everything above it', async () => {
    const at = new Uint8Array(10 * 1024 * 1024);
    at.set([0xff, 0xd8, 0xff]);
    await expect(checkUpload('file', new File([at], 'a.jpg'), { types: IMAGES, prefix: 'test' })).resolves.toBeTruthy();
    const over = new File([at, new Uint8Array(1)], 'b.jpg');
    await expect(checkUpload('file', over, { types: IMAGES, prefix: 'test' })).rejects.toMatchObject({ status: 413 });
  });

  it('get sanitised names: no path, no markup or control characters, at most 100 characters', () => {
    expect(sanitiseName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
    expect(sanitiseName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseName('a"b<c>\u0000d\r\n.png')).toBe('a_b_c_d_.png');
    expect(sanitiseName('...', 'image/png')).toBe('file.png');
    expect(sanitiseName('Ünïcode photo.jpg')).toBe('Ünïcode photo.jpg');
    const long = sanitiseName(`${'x'.repeat(300)}.jpeg`);
    expect(long.length).toBe(100);
    expect(long.endsWith('.jpeg')).toBe(true);
  });

  it('get keys that cannot be guessed (192 random bits) and never collide', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newKey('media')));
    expect(keys.size).toBe(1000);
    for (const k of keys) expect(k).toMatch(/^media-[0-9a-f]{48}$/);
    expect(() => newKey('../x')).toThrow();
  });
});
