import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { chat, createAssistant } from '../helpers/assistants';
import { api, expectStatus, makeUser } from '../helpers';

describe('CRUD /api/assistants/', () => {
  it('creates a virtual staff role with the default model, whatever is_virtual says', async () => {
    const staff = await makeUser();
    const res = await api('/api/assistants/', {
      token: staff.token,
      body: { title: 'Tami', prompt_context: 'You are Tami.', is_virtual: false },
    });
    expectStatus(res, 201);
    expect(res.json).toMatchObject({
      title: 'Tami',
      prompt_context: 'You are Tami.',
      is_virtual: true,
      is_deleted: false,
      tags: [],
      model: '@cf/meta/llama-3.1-8b-instruct',
    });
    const row = await env.DB.prepare('SELECT is_virtual FROM staff_roles WHERE id = ?')
      .bind(res.json.id)
      .first<{ is_virtual: number }>();
    expect(row!.is_virtual).toBe(1);
    const withModel = await api('/api/assistants/', {
      token: staff.token,
      body: { title: 'Finance head', model: '@cf/mistral/mistral-7b-instruct-v0.1' },
    });
    expectStatus(withModel, 201);
    expect(withModel.json.model).toBe('@cf/mistral/mistral-7b-instruct-v0.1');
  });

  it('validates input (DRF field errors)', async () => {
    const staff = await makeUser();
    const missing = await api('/api/assistants/', { token: staff.token, body: { prompt_context: 'x' } });
    expectStatus(missing, 400);
    expect(missing.json.title).toEqual(['This field is required.']);
    const badTags = await api('/api/assistants/', { token: staff.token, body: { title: 'T', tags: [987654] } });
    expectStatus(badTags, 400);
    expect(badTags.json).toEqual({ tags: ['Invalid pk "987654" - object does not exist.'] });
  });

  it('lists and retrieves only virtual roles; the id is the accounts staff-role id', async () => {
    const staff = await makeUser();
    const a = await createAssistant(staff.token, { title: 'Listed assistant' });
    const human = await api('/api/accounts/staff-roles/', {
      token: staff.token,
      body: { title: 'Human role', is_virtual: false },
    });
    expectStatus(human, 201);

    const list = await api('/api/assistants/?page_size=100', { token: staff.token });
    expectStatus(list, 200);
    const ids = list.json.results.map((r: any) => r.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(human.json.id);
    expect((await api('/api/assistants/?search=listed', { token: staff.token })).json.results.map((r: any) => r.id)).toEqual([
      a.id,
    ]);

    const one = await api(`/api/assistants/${a.id}/`, { token: staff.token });
    expectStatus(one, 200);
    expect(one.json).toMatchObject({ id: a.id, title: 'Listed assistant', is_virtual: true });
    expectStatus(await api(`/api/assistants/${human.json.id}/`, { token: staff.token }), 404);
    const viaAccounts = await api(`/api/accounts/staff-roles/${a.id}/`, { token: staff.token });
    expectStatus(viaAccounts, 200);
    expect(viaAccounts.json.title).toBe('Listed assistant');
  });

  it('updates and partially updates, including the model; is_virtual stays true', async () => {
    const staff = await makeUser();
    const a = await createAssistant(staff.token);
    const put = await api(`/api/assistants/${a.id}/`, {
      method: 'PUT',
      token: staff.token,
      body: { title: 'Renamed', prompt_context: 'Be brief.', is_virtual: false },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({
      title: 'Renamed',
      prompt_context: 'Be brief.',
      is_virtual: true,
      model: '@cf/meta/llama-3.1-8b-instruct',
    });
    const patch = await api(`/api/assistants/${a.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { model: '@cf/qwen/qwen1.5-7b-chat-awq' },
    });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ title: 'Renamed', model: '@cf/qwen/qwen1.5-7b-chat-awq' });
    const patch2 = await api(`/api/assistants/${a.id}/`, {
      method: 'PATCH',
      token: staff.token,
      body: { model: '@cf/meta/llama-3.2-3b-instruct' },
    });
    expect(patch2.json.model).toBe('@cf/meta/llama-3.2-3b-instruct');
    expect((await api(`/api/assistants/${a.id}/`, { token: staff.token })).json.model).toBe('@cf/meta/llama-3.2-3b-instruct');
    const blank = await api(`/api/assistants/${a.id}/`, { method: 'PATCH', token: staff.token, body: { title: '' } });
    expectStatus(blank, 400);
    expect(blank.json).toHaveProperty('title');
  });

  it('destroy is Admin-only and a deleted assistant is gone from list, chat and virtual-assistants', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const staff = await makeUser();
    const a = await createAssistant(staff.token, { title: 'Doomed' });
    const profile = await api('/api/accounts/staff-profiles/', { token: staff.token, body: { name: 'Doomed VA', role: a.id } });
    expectStatus(profile, 201);
    const before = await api('/api/accounts/virtual-assistants/?page_size=100');
    expect(before.json.results.map((v: any) => v.role?.id)).toContain(a.id);

    expectStatus(await api(`/api/assistants/${a.id}/`, { method: 'DELETE', token: staff.token }), 403);
    expectStatus(await api(`/api/assistants/${a.id}/`, { method: 'DELETE', token: admin.token }), 204);
    expectStatus(await api(`/api/assistants/${a.id}/`, { token: staff.token }), 404);
    expect(
      (await api('/api/assistants/?page_size=100', { token: staff.token })).json.results.map((r: any) => r.id),
    ).not.toContain(a.id);
    expectStatus(await chat(staff.token, a.id, 'hello'), 404);
    const after = await api('/api/accounts/virtual-assistants/?page_size=100');
    expect(after.json.results.map((v: any) => v.role?.id)).not.toContain(a.id);
  });

  it('lets customers read assistants but not write them', async () => {
    const staff = await makeUser();
    const customer = await makeUser({ role: 'Customer' });
    const a = await createAssistant(staff.token);
    expectStatus(await api('/api/assistants/', { token: customer.token }), 200);
    expectStatus(await api(`/api/assistants/${a.id}/`, { token: customer.token }), 200);
    expectStatus(await api('/api/assistants/', { token: customer.token, body: { title: 'Mine' } }), 403);
    expectStatus(await api(`/api/assistants/${a.id}/`, { method: 'PATCH', token: customer.token, body: { title: 'x' } }), 403);
    expectStatus(await api(`/api/assistants/${a.id}/`, { method: 'PUT', token: customer.token, body: { title: 'x' } }), 403);
    expectStatus(await api(`/api/assistants/${a.id}/`, { method: 'DELETE', token: customer.token }), 403);
  });

  it('requires authentication on every assistants route', async () => {
    for (const [method, path] of [
      ['GET', '/api/assistants/'],
      ['POST', '/api/assistants/'],
      ['GET', '/api/assistants/1/'],
      ['PUT', '/api/assistants/1/'],
      ['PATCH', '/api/assistants/1/'],
      ['DELETE', '/api/assistants/1/'],
      ['POST', '/api/assistants/1/chat/'],
      ['POST', '/api/assistants/chat/1/'],
      ['GET', '/api/assistants/commands/'],
      ['POST', '/api/assistants/commands/'],
      ['GET', '/api/assistants/commands/1/'],
      ['PUT', '/api/assistants/commands/1/'],
      ['PATCH', '/api/assistants/commands/1/'],
      ['DELETE', '/api/assistants/commands/1/'],
      ['GET', '/api/assistants/default-responses/'],
      ['POST', '/api/assistants/default-responses/'],
      ['GET', '/api/assistants/default-responses/1/'],
      ['PUT', '/api/assistants/default-responses/1/'],
      ['PATCH', '/api/assistants/default-responses/1/'],
      ['DELETE', '/api/assistants/default-responses/1/'],
    ]) {
      const res = await api(path, { method, body: method === 'GET' || method === 'DELETE' ? undefined : { message: 'hi' } });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(401);
    }
  });
});

describe('prompt_context (issue 14 #11)', () => {
  it('is null for Customers in the list and the detail (internal configuration); Staff and Admins read it', async () => {
    const [staff, admin, customer] = await Promise.all([makeUser(), makeUser({ role: 'Admin' }), makeUser({ role: 'Customer' })]);
    const secret = `You are Tami. Internal: ${crypto.randomUUID()}`;
    const a = await createAssistant(staff.token, { title: 'Prompted', prompt_context: secret });
    for (const path of [`/api/assistants/${a.id}/`, '/api/assistants/?page_size=100', `/api/assistants/?search=prompted`]) {
      const res = await api(path, { token: customer.token });
      expectStatus(res, 200);
      expect(res.text, `${path} shows the system prompt to a Customer`).not.toContain(secret);
      const item = res.json.results ? res.json.results.find((r: { id: number }) => r.id === a.id) : res.json;
      expect(item, res.text).toMatchObject({ id: a.id, title: 'Prompted', prompt_context: null });
    }
    for (const who of [staff, admin]) {
      const res = await api(`/api/assistants/${a.id}/`, { token: who.token });
      expectStatus(res, 200);
      expect(res.json.prompt_context).toBe(secret);
    }
  });
});
