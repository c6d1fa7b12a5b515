/**
 * Finance documents (src/modules/finance): invoices' `related_file` and payments' `receipt_file`
 * take a multipart file part (images or PDF) or a URL; their URLs are signed only in responses of
 * users who may see the row (Staff and Admin), and a URL nobody signed for that object is refused.
 */
import { describe, expect, it } from 'vitest';
import { countObjects, exists, form, jpeg, keyOf, pdf, waitGone } from '../helpers/files';
import { cast, party } from '../helpers/finance';
import { api, expectStatus, fetchUrl } from '../helpers';

describe('finance documents', () => {
  it('store an invoice document sent as a multipart part, served back byte-for-byte as a PDF', async () => {
    const { staff } = await cast();
    const p = await party(staff.token);
    const doc = pdf('invoice 1');
    const res = await form(
      '/api/finance/invoices/',
      { party: String(p.id), total_amount: '250.00', related_file: { bytes: doc, name: 'INV 1.pdf', type: 'application/pdf' } },
      { token: staff.token },
    );
    expectStatus(res, 201);
    expect(keyOf(res.json.related_file).startsWith('invoice-')).toBe(true);
    const got = await fetchUrl(res.json.related_file);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.bytes).toEqual(doc);
    const unpaid = await api('/api/finance/invoices/unpaid/', { token: staff.token });
    const listed = unpaid.json.find((i: { id: number }) => i.id === res.json.id);
    expect(keyOf(listed?.related_file), unpaid.text).toBe(keyOf(res.json.related_file));
  });

  it('store a payment receipt (an image), replace it, and remove the old one', async () => {
    const { staff, admin } = await cast();
    const p = await party(staff.token);
    const res = await form(
      '/api/finance/payments/',
      { party: String(p.id), direction: 'incoming', amount: '10.00', receipt_file: { bytes: jpeg(), name: 'receipt.jpg' } },
      { token: staff.token },
    );
    expectStatus(res, 201);
    const first = keyOf(res.json.receipt_file);
    expect(first.startsWith('receipt-')).toBe(true);
    const replaced = await form(
      `/api/finance/payments/${res.json.id}/`,
      { receipt_file: { bytes: pdf('receipt v2'), name: 'receipt.pdf' } },
      { token: staff.token, method: 'PATCH' },
    );
    expectStatus(replaced, 200);
    await waitGone(first);
    const second = keyOf(replaced.json.receipt_file);
    expect(await exists(second)).toBe(true);
    expectStatus(await api(`/api/finance/payments/${res.json.id}/`, { token: admin.token, method: 'DELETE' }), 204);
    await waitGone(second);
  });

  it('refuse a document that is neither an image nor a PDF (400, nothing stored), and keep the URL form', async () => {
    const { staff } = await cast();
    const p = await party(staff.token);
    const before = await countObjects('invoice');
    const mp4 = new Uint8Array(64);
    mp4.set([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]);
    const bad = await form(
      '/api/finance/invoices/',
      { party: String(p.id), total_amount: '5.00', related_file: { bytes: mp4, name: 'clip.pdf' } },
      { token: staff.token },
    );
    expectStatus(bad, 400);
    expect(bad.json).toEqual({ related_file: [expect.stringContaining('Unsupported file type')] });
    expect(await countObjects('invoice')).toBe(before);
    const hosted = await api('/api/finance/invoices/', {
      token: staff.token,
      body: { party: p.id, total_amount: '5.00', related_file: 'https://docs.example.com/inv.pdf' },
    });
    expectStatus(hosted, 201);
    expect(hosted.json.related_file).toBe('https://docs.example.com/inv.pdf');
  });

  it("refuse a stranger: no URL for a caller who may not see the row, and no other document's signature fits", async () => {
    const { staff, customer } = await cast();
    const p = await party(staff.token);
    const mine = await form(
      '/api/finance/invoices/',
      { party: String(p.id), total_amount: '9.00', related_file: { bytes: pdf('secret'), name: 's.pdf' } },
      { token: staff.token },
    );
    expectStatus(mine, 201);
    const stranger = await api(`/api/finance/invoices/${mine.json.id}/`, { token: customer.token });
    expectStatus(stranger, 403);
    expect(stranger.text).not.toContain('/api/files/');
    const list = await api('/api/finance/invoices/', { token: customer.token });
    expectStatus(list, 403);
    expect(list.text).not.toContain('/api/files/');
    // A valid signature of another object (a receipt URL that leaked) does not open the document.
    const theirs = await form(
      '/api/finance/payments/',
      { party: String(p.id), direction: 'incoming', amount: '1.00', receipt_file: { bytes: jpeg(), name: 'r.jpg' } },
      { token: staff.token },
    );
    const signed = new URL(theirs.json.receipt_file);
    const forged = `${signed.origin}/api/files/${keyOf(mine.json.related_file)}${signed.search}`;
    const refused = await fetchUrl(forged);
    expect(refused.status).toBe(403);
    expect(new TextDecoder().decode(refused.bytes)).not.toContain('secret');
  });
});
