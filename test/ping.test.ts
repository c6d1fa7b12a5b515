import { SELF } from 'cloudflare:test';
import { expect, it } from 'vitest';
it('pings', async () => {
  const r = await SELF.fetch('http://x/api/ping/');
  expect(await r.json()).toEqual({ ok: true });
});
