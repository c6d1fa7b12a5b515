/**
 * Multipart bodies (src/index.ts): file parts are kept for the routes that store them and do not
 * count against the 1 MB limit of the fields; the whole multipart body is limited to 25 MB (413 in
 * the family's shape, nothing read) on the routes that store files, and to 1 MB on every other one.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { bodyLimitOf, MAX_MULTIPART_BYTES } from '../../src/core/files';
import { form } from '../helpers/files';
import { api, BASE, makeUser } from '../helpers';

/** POSTs a form as clients send it: encoded up front, with its Content-Length. */
const post = (path: string, data: FormData, token?: string) => form(path, data, { token });

const bigFile = (bytes: number, name = 'big.jpg') => {
  const data = new Uint8Array(bytes);
  data.set([0xff, 0xd8, 0xff]);
  return new File([data], name, { type: 'image/jpeg' });
};

describe('multipart bodies', () => {
  it('let a file part larger than the 1 MB field limit reach the route (the fields are what the 1 MB limit counts)', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const form = new FormData();
    form.set('title', 'Banner');
    form.set('asset_type', 'image');
    form.set('file', bigFile(2 * 1024 * 1024));
    const res = await post('/api/content/media/', form, staff.token);
    expect(res.status, res.text).not.toBe(413);
  });

  it('answer 413 above 25 MB, in the DRF shape under Tamiti paths and the envelope under workspace paths', async () => {
    const form = new FormData();
    form.set('file', bigFile(26 * 1024 * 1024));
    const tamiti = await post('/api/content/media/', form);
    expect(tamiti.status, tamiti.text).toBe(413);
    expect(tamiti.json).toEqual({ detail: 'Request body too large (limit 25 MB).' });
    const workspace = await post('/api/workspace/spaces/00000000-0000-4000-8000-000000000000/images/', form);
    expect(workspace.status, workspace.text).toBe(413);
    expect(workspace.json).toEqual({ success: false, message: 'Request body too large (limit 25 MB).' });
  });

  it('still answer 413 for a JSON body above 1 MB', async () => {
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request(`${BASE}/api/content/media/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'x'.repeat(1024 * 1024 + 1) }),
      }),
      env as never,
      ctx,
    );
    const text = await res.text();
    await waitOnExecutionContext(ctx);
    expect(res.status, text).toBe(413);
    expect(JSON.parse(text)).toEqual({ detail: 'Request body too large (limit 1 MB).' });
  });

  it('answer 413 for a multipart body above 1 MB to a route that stores no file, before reading it (the limit is raised for upload routes only)', async () => {
    const staff = await makeUser({ role: 'Staff' });
    const form = new FormData();
    form.set('name', 'Big');
    form.set('file', bigFile(2 * 1024 * 1024));
    const tamiti = await post('/api/content/categories/', form, staff.token);
    expect(tamiti.status, tamiti.text).toBe(413);
    expect(tamiti.json).toEqual({ detail: 'Request body too large (limit 1 MB).' });
    const workspace = await post('/api/workspace/spaces/create/', form, staff.token);
    expect(workspace.status, workspace.text).toBe(413);
    expect(workspace.json).toEqual({ success: false, message: 'Request body too large (limit 1 MB).' });
  });

  it('raise the limit exactly for the operations the document shows with binary fields', async () => {
    const doc = (await api('/api/schema/')).json as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: unknown }> } }>>;
      components: { schemas: Record<string, unknown> };
    };
    const resolve = (schema: unknown): { properties?: Record<string, { format?: string }> } => {
      const ref = (schema as { $ref?: string } | undefined)?.$ref;
      return (ref ? doc.components.schemas[ref.split('/').pop()!] : schema) ?? {};
    };
    const uploads: string[] = [];
    const others: string[] = [];
    for (const [path, item] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(item)) {
        if (!op.requestBody) continue;
        const multipart = resolve(op.requestBody.content?.['multipart/form-data']?.schema);
        const binary = Object.values(multipart.properties ?? {}).some((p) => p.format === 'binary');
        const concrete = `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, '7')}`;
        (binary ? uploads : others).push(concrete);
      }
    expect(uploads.length, 'the document shows upload operations').toBeGreaterThanOrEqual(17);
    const limitOf = (op: string) => bodyLimitOf(op.split(' ')[0], op.split(' ')[1]);
    expect(
      uploads.filter((op) => limitOf(op) !== MAX_MULTIPART_BYTES),
      'upload operations without the raised limit',
    ).toEqual([]);
    expect(
      others.filter((op) => limitOf(op) === MAX_MULTIPART_BYTES),
      'operations that store no file but get 25 MB',
    ).toEqual([]);
  });
});
