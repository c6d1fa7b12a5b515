import { Hono } from 'hono';
const app = new Hono();
app.get('/api/ping/', (c) => c.json({ ok: true }));
export default { fetch: app.fetch, async queue() {} };
export class ChatRoom {
  constructor(_s: unknown, _e: unknown) {}
  async fetch() { return new Response('ok'); }
}
