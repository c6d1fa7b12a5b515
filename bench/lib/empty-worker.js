// The platform baseline: a Worker with the same bindings as the real one and no code to speak of.
// `/` answers constant JSON; `/d1` runs one trivial D1 query (the cost of a round trip to local D1).
// The bundle's own start-up cost is the real Worker's start-up time minus this one's.
import { DurableObject } from 'cloudflare:workers';

export class ChatRoom extends DurableObject {}

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === '/d1') return Response.json(await env.DB.prepare('SELECT 1 AS one').first());
    return Response.json({ ok: true });
  },
  queue() {},
};
