import { describe, expect, it } from 'vitest';
import { addCommand, addDefault, createAssistant } from '../helpers/assistants';
import { api, expectStatus, makeUser } from '../helpers';

describe('CRUD /api/assistants/commands/', () => {
  it('lets an Admin create, list (by assistant), retrieve, update, patch and delete commands', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const a = await createAssistant(admin.token);
    const b = await createAssistant(admin.token);
    const created = await api('/api/assistants/commands/', {
      token: admin.token,
      body: { role: a.id, trigger: 'Hours', response_text: '9 to 5' },
    });
    expectStatus(created, 201);
    expect(created.json).toEqual({
      id: expect.any(Number),
      role: a.id,
      trigger: 'Hours',
      match_type: 'exact',
      response_mode: 'text',
      response_text: '9 to 5',
      api_endpoint: '',
      requires_auth: false,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.json.id;
    await addCommand(admin.token, b.id, { trigger: 'other', response_text: 'x' });

    const list = await api(`/api/assistants/commands/?role=${a.id}`, { token: admin.token });
    expectStatus(list, 200);
    expect(list.json.results.map((c: any) => c.id)).toEqual([id]);
    expectStatus(await api(`/api/assistants/commands/${id}/`, { token: admin.token }), 200);

    const put = await api(`/api/assistants/commands/${id}/`, {
      method: 'PUT',
      token: admin.token,
      body: { role: a.id, trigger: 'docs', match_type: 'contains', response_mode: 'api', api_endpoint: '/api/docs/' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ trigger: 'docs', match_type: 'contains', response_mode: 'api', api_endpoint: '/api/docs/' });
    const patch = await api(`/api/assistants/commands/${id}/`, {
      method: 'PATCH',
      token: admin.token,
      body: { requires_auth: true },
    });
    expectStatus(patch, 200);
    expect(patch.json).toMatchObject({ requires_auth: true, trigger: 'docs' });

    expectStatus(await api(`/api/assistants/commands/${id}/`, { method: 'DELETE', token: admin.token }), 204);
    expectStatus(await api(`/api/assistants/commands/${id}/`, { token: admin.token }), 404);
  });

  it('refuses non-admin writes but lets any user read', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const staff = await makeUser();
    const customer = await makeUser({ role: 'Customer' });
    const a = await createAssistant(admin.token);
    const cmd = await addCommand(admin.token, a.id, { trigger: 'hi', response_text: 'hello' });
    for (const u of [staff, customer]) {
      expectStatus(
        await api('/api/assistants/commands/', { token: u.token, body: { role: a.id, trigger: 'x', response_text: 'y' } }),
        403,
      );
      expectStatus(
        await api(`/api/assistants/commands/${cmd.id}/`, { method: 'PATCH', token: u.token, body: { trigger: 'x' } }),
        403,
      );
      expectStatus(
        await api(`/api/assistants/commands/${cmd.id}/`, {
          method: 'PUT',
          token: u.token,
          body: { role: a.id, trigger: 'x', response_text: 'y' },
        }),
        403,
      );
      expectStatus(await api(`/api/assistants/commands/${cmd.id}/`, { method: 'DELETE', token: u.token }), 403);
      expectStatus(await api(`/api/assistants/commands/${cmd.id}/`, { token: u.token }), 200);
      expectStatus(await api(`/api/assistants/commands/?role=${a.id}`, { token: u.token }), 200);
    }
  });

  it('validates the assistant, the choices and the reply for the mode', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const a = await createAssistant(admin.token);
    const human = await api('/api/accounts/staff-roles/', { token: admin.token, body: { title: 'Human', is_virtual: false } });
    expectStatus(human, 201);

    const notAssistant = await api('/api/assistants/commands/', {
      token: admin.token,
      body: { role: human.json.id, trigger: 'x', response_text: 'y' },
    });
    expectStatus(notAssistant, 400);
    expect(notAssistant.json).toEqual({ role: [`Invalid pk "${human.json.id}" - object does not exist.`] });
    const badChoice = await api('/api/assistants/commands/', {
      token: admin.token,
      body: { role: a.id, trigger: 'x', response_text: 'y', match_type: 'regex' },
    });
    expectStatus(badChoice, 400);
    expect(badChoice.json.match_type).toEqual(['"regex" is not a valid choice.']);
    const noText = await api('/api/assistants/commands/', { token: admin.token, body: { role: a.id, trigger: 'x' } });
    expectStatus(noText, 400);
    expect(noText.json).toHaveProperty('response_text');
    const noEndpoint = await api('/api/assistants/commands/', {
      token: admin.token,
      body: { role: a.id, trigger: 'x', response_mode: 'api' },
    });
    expectStatus(noEndpoint, 400);
    expect(noEndpoint.json).toHaveProperty('api_endpoint');
    const blankTrigger = await api('/api/assistants/commands/', {
      token: admin.token,
      body: { role: a.id, trigger: '  ', response_text: 'y' },
    });
    expectStatus(blankTrigger, 400);
    expect(blankTrigger.json.trigger).toEqual(['This field may not be blank.']);
    // Switching an existing text command to api mode needs an endpoint too.
    const cmd = await addCommand(admin.token, a.id, { trigger: 'x', response_text: 'y' });
    expectStatus(
      await api(`/api/assistants/commands/${cmd.id}/`, { method: 'PATCH', token: admin.token, body: { response_mode: 'api' } }),
      400,
    );
  });
});

describe('CRUD /api/assistants/default-responses/', () => {
  it('lets an Admin manage default responses; others only read', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const staff = await makeUser();
    const a = await createAssistant(admin.token);
    const created = await api('/api/assistants/default-responses/', {
      token: admin.token,
      body: { role: a.id, condition: 'offline', fallback_text: 'Back soon.' },
    });
    expectStatus(created, 201);
    expect(created.json).toEqual({
      id: expect.any(Number),
      role: a.id,
      condition: 'offline',
      fallback_text: 'Back soon.',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = created.json.id;
    const other = await createAssistant(admin.token);
    await addDefault(admin.token, other.id, 'other');

    const list = await api(`/api/assistants/default-responses/?role=${a.id}`, { token: staff.token });
    expectStatus(list, 200);
    expect(list.json.results.map((d: any) => d.id)).toEqual([id]);
    expectStatus(await api(`/api/assistants/default-responses/${id}/`, { token: staff.token }), 200);

    const put = await api(`/api/assistants/default-responses/${id}/`, {
      method: 'PUT',
      token: admin.token,
      body: { role: a.id, fallback_text: 'Gone fishing.' },
    });
    expectStatus(put, 200);
    expect(put.json).toMatchObject({ fallback_text: 'Gone fishing.', condition: 'offline' });
    const patch = await api(`/api/assistants/default-responses/${id}/`, {
      method: 'PATCH',
      token: admin.token,
      body: { condition: '' },
    });
    expectStatus(patch, 200);
    expect(patch.json.condition).toBe('');

    expectStatus(
      await api('/api/assistants/default-responses/', { token: staff.token, body: { role: a.id, fallback_text: 'x' } }),
      403,
    );
    expectStatus(
      await api(`/api/assistants/default-responses/${id}/`, {
        method: 'PATCH',
        token: staff.token,
        body: { fallback_text: 'x' },
      }),
      403,
    );
    expectStatus(await api(`/api/assistants/default-responses/${id}/`, { method: 'DELETE', token: staff.token }), 403);

    const missing = await api('/api/assistants/default-responses/', {
      token: admin.token,
      body: { role: 987654, fallback_text: '' },
    });
    expectStatus(missing, 400);
    expect(missing.json.fallback_text).toEqual(['This field may not be blank.']);
    const noRole = await api('/api/assistants/default-responses/', {
      token: admin.token,
      body: { role: 987654, fallback_text: 'x' },
    });
    expect(noRole.json).toEqual({ role: ['Invalid pk "987654" - object does not exist.'] });

    expectStatus(await api(`/api/assistants/default-responses/${id}/`, { method: 'DELETE', token: admin.token }), 204);
    expectStatus(await api(`/api/assistants/default-responses/${id}/`, { token: admin.token }), 404);
  });
});
