/** Assistants factories over the API: assistants, commands, default responses, and chatting with one. */
import { expect } from 'vitest';
import { api, expectStatus } from './http';

export async function createAssistant(token: string, body: Record<string, unknown> = {}) {
  const res = await api('/api/assistants/', { token, body: { title: `Assistant ${crypto.randomUUID().slice(0, 8)}`, ...body } });
  expectStatus(res, 201);
  return res.json as { id: number; title: string; prompt_context: string; model: string };
}

export async function addCommand(token: string, role: number, body: Record<string, unknown>) {
  const res = await api('/api/assistants/commands/', { token, body: { role, ...body } });
  expectStatus(res, 201);
  return res.json as { id: number };
}

export async function addDefault(token: string, role: number, fallback_text: string) {
  const res = await api('/api/assistants/default-responses/', { token, body: { role, fallback_text } });
  expectStatus(res, 201);
  return res.json as { id: number };
}

export async function chat(token: string, id: number, message: unknown, route: 'reference' | 'seed' = 'reference') {
  const path = route === 'reference' ? `/api/assistants/chat/${id}/` : `/api/assistants/${id}/chat/`;
  return api(path, { token, body: { message } });
}

export async function say(token: string, id: number, message: string) {
  const res = await chat(token, id, message);
  expect(res.status, res.text).toBe(200);
  return res.json.response as string;
}
