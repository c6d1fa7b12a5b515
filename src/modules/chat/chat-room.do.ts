/**
 * One Durable Object per chat room (channel or direct thread). Minimal until the chat issue:
 * it accepts hibernatable WebSockets and echoes nothing.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../../env';

export class ChatRoom extends DurableObject<Bindings> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade') !== 'websocket') return new Response('Expected a WebSocket upgrade', { status: 426 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }
}
