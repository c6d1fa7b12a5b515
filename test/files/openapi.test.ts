/** The served OpenAPI document shows every file field's multipart body with a binary field, beside the JSON body. */
import { describe, expect, it } from 'vitest';
import { api, expectStatus } from '../helpers';

const FILE_BODIES: [path: string, method: string, field: string][] = [
  ['/api/content/media/', 'post', 'file'],
  ['/api/content/media/{id}/', 'put', 'file'],
  ['/api/content/media/{id}/', 'patch', 'file'],
  ['/api/finance/invoices/', 'post', 'related_file'],
  ['/api/finance/invoices/{id}/', 'patch', 'related_file'],
  ['/api/finance/payments/', 'post', 'receipt_file'],
  ['/api/finance/payments/{id}/', 'put', 'receipt_file'],
  ['/api/workspace/spaces/{space_id}/images/', 'post', 'image'],
  ['/api/workspace/workspaces/create/', 'post', 'logo_url'],
  ['/api/workspace/workspaces/{workspace_id}/', 'patch', 'logo_url'],
];

describe('the OpenAPI document', () => {
  it('documents a multipart body with a binary field for every file field, keeping the JSON body', async () => {
    const res = await api('/api/schema/');
    expectStatus(res, 200);
    for (const [path, method, field] of FILE_BODIES) {
      const content = res.json.paths[path]?.[method]?.requestBody?.content;
      expect(content?.['application/json'], `${method} ${path} JSON body`).toBeTruthy();
      expect(content?.['multipart/form-data']?.schema?.properties?.[field], `${method} ${path} multipart ${field}`).toMatchObject(
        {
          type: 'string',
          format: 'binary',
        },
      );
    }
  });
});
