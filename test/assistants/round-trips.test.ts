/**
 * D1 round trips of every assistants operation over populated data (issue 16): each GET one round
 * trip (authorization included) whatever the page size, each write at most two. Assistants carry
 * their tags and model, loaded in the page's own round trip; a chat message is one batch (rate
 * count, assistant, commands, default response, model) and the exchange's log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCommand, addDefault, createAssistant } from '../helpers/assistants';
import { Budget, makeUser, type TestUser } from '../helpers';

const budget = new Budget();
let admin: TestUser;
let customer: TestUser;
const assistantIds: number[] = [];
const commandIds: number[] = [];
const defaultIds: number[] = [];

beforeAll(async () => {
  [admin, customer] = await Promise.all([makeUser({ role: 'Admin' }), makeUser({ role: 'Customer' })]);
  for (let i = 0; i < 24; i++) {
    const a = await createAssistant(admin.token, i % 2 ? { model: `@cf/test/model-${i}` } : {});
    assistantIds.push(a.id);
  }
  for (let i = 0; i < 24; i++) {
    commandIds.push((await addCommand(admin.token, assistantIds[0], { trigger: `cmd ${i}`, response_text: `reply ${i}` })).id);
    defaultIds.push((await addDefault(admin.token, assistantIds[i % 3], `fallback ${i}`)).id);
  }
}, 120_000);

afterAll(() => budget.print('assistants'));

describe('assistants: D1 round trips per operation', () => {
  it('lists cost one round trip, a page of 2 the same as a page of 20', async () => {
    const t = admin.token;
    await budget.pages('assistants_list', '/api/assistants/', t);
    await budget.pages('assistants_list', '/api/assistants/?search=Assistant&ordering=-id', customer.token);
    const page = await budget.call('assistants_list', '/api/assistants/?page_size=20', { token: t });
    expect(
      page.json.results.filter((a: { model: string }) => a.model.startsWith('@cf/test/')).length,
      `the page carries each assistant's model: ${page.text.slice(0, 300)}`,
    ).toBeGreaterThan(5);
    await budget.pages('assistants_commands_list', '/api/assistants/commands/', t);
    await budget.pages('assistants_commands_list', `/api/assistants/commands/?role=${assistantIds[0]}&search=cmd`, t);
    await budget.pages('assistants_default_responses_list', '/api/assistants/default-responses/', t);
  });

  it('retrieves cost one round trip', async () => {
    const one = await budget.call('assistants_retrieve', `/api/assistants/${assistantIds[1]}/`, { token: customer.token });
    expect(one.json.model, one.text).toBe('@cf/test/model-1');
    expect(one.json.prompt_context, 'Customers do not see the system prompt').toBeNull();
    await budget.call('assistants_retrieve', '/api/assistants/999999/', { token: admin.token, status: 404 });
    await budget.call('assistants_commands_retrieve', `/api/assistants/commands/${commandIds[0]}/`, { token: admin.token });
    await budget.call('assistants_default_responses_retrieve', `/api/assistants/default-responses/${defaultIds[0]}/`, {
      token: admin.token,
    });
  });

  it('writes cost at most two round trips: the checks, then one batch', async () => {
    const t = admin.token;
    const a = await budget.call('assistants_create', '/api/assistants/', {
      token: t,
      body: { title: 'RT assistant', model: '@cf/test/created' },
    });
    expect(a.json.model, a.text).toBe('@cf/test/created');
    await budget.call('assistants_update', `/api/assistants/${a.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { title: 'RT assistant 2', model: '@cf/test/updated' },
    });
    const patched = await budget.call('assistants_partial_update', `/api/assistants/${a.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { prompt_context: 'Be brief.' },
    });
    expect(patched.json.model, patched.text).toBe('@cf/test/updated');

    const cmd = await budget.call('assistants_commands_create', '/api/assistants/commands/', {
      token: t,
      body: { role: a.json.id, trigger: 'ping', response_text: 'pong' },
    });
    await budget.call('assistants_commands_update', `/api/assistants/commands/${cmd.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { role: a.json.id, trigger: 'ping', response_text: 'pong!' },
    });
    await budget.call('assistants_commands_partial_update', `/api/assistants/commands/${cmd.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { match_type: 'contains' },
    });
    // A reference to something that is not an assistant: refused within the budget.
    await budget.call('assistants_commands_create', '/api/assistants/commands/', {
      token: t,
      body: { role: 999999, trigger: 'x', response_text: 'y' },
      status: 400,
    });

    const dflt = await budget.call('assistants_default_responses_create', '/api/assistants/default-responses/', {
      token: t,
      body: { role: a.json.id, fallback_text: 'later' },
    });
    await budget.call('assistants_default_responses_update', `/api/assistants/default-responses/${dflt.json.id}/`, {
      token: t,
      method: 'PUT',
      body: { role: a.json.id, fallback_text: 'later!' },
    });
    await budget.call('assistants_default_responses_partial_update', `/api/assistants/default-responses/${dflt.json.id}/`, {
      token: t,
      method: 'PATCH',
      body: { condition: 'offline' },
    });

    const byCommand = await budget.call('assistants_chat_create', `/api/assistants/chat/${a.json.id}/`, {
      token: customer.token,
      body: { message: 'well, ping' },
    });
    expect(byCommand.json, byCommand.text).toEqual({ assistant: 'RT assistant 2', response: 'pong!' });
    const byDefault = await budget.call('assistants_chat_by_id_create', `/api/assistants/${a.json.id}/chat/`, {
      token: customer.token,
      body: { message: 'hello' },
    });
    expect(byDefault.json.response, byDefault.text).toBe('later!');
    await budget.call('assistants_chat_create', '/api/assistants/chat/999999/', {
      token: customer.token,
      body: { message: 'hello' },
      status: 404,
    });

    await budget.call('assistants_commands_destroy', `/api/assistants/commands/${cmd.json.id}/`, { token: t, method: 'DELETE' });
    await budget.call('assistants_default_responses_destroy', `/api/assistants/default-responses/${dflt.json.id}/`, {
      token: t,
      method: 'DELETE',
    });
    await budget.call('assistants_destroy', `/api/assistants/${a.json.id}/`, { token: t, method: 'DELETE' });
  });

  it('every documented assistants operation was measured', async () => {
    expect(await budget.uncovered('/api/assistants/')).toEqual([]);
  });
});
