import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { askModel } from '../../src/modules/assistants/reply';
import { addCommand, addDefault, chat, createAssistant, say } from '../helpers/assistants';
import { api, expectStatus, makeUser } from '../helpers';

/**
 * The Workers AI test double. The test and the Worker share one isolate and one env object, so a
 * binding set on `env` here is the `c.env.AI` the Worker sees; each test removes it afterwards.
 */
function fakeAi(answer: (model: string, input: any) => unknown) {
  const calls: { model: string; input: any }[] = [];
  (env as any).AI = {
    run: async (model: string, input: any) => {
      calls.push({ model, input });
      return answer(model, input);
    },
  };
  return calls;
}

afterEach(() => {
  delete (env as any).AI;
});

const lastLog = (roleId: number) =>
  env.DB.prepare('SELECT * FROM assistant_logs WHERE role_id = ? ORDER BY id DESC LIMIT 1').bind(roleId).first<any>();

describe('POST /api/assistants/chat/{assistant_id}/ and /api/assistants/{id}/chat/', () => {
  it('answers from commands: exact is trimmed and case-insensitive, contains is a substring, first by id wins', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const user = await makeUser();
    const a = await createAssistant(admin.token, { title: 'Tami' });
    await addCommand(admin.token, a.id, { trigger: 'Hello', response_text: 'exact hello' });
    await addCommand(admin.token, a.id, { trigger: 'give me a summary', match_type: 'contains', response_text: 'summary text' });
    await addCommand(admin.token, a.id, { trigger: 'summary', match_type: 'contains', response_text: 'later summary' });
    await addCommand(admin.token, a.id, { trigger: 'docs', response_mode: 'api', api_endpoint: '/api/docs/' });
    await addDefault(admin.token, a.id, 'default reply');

    const res = await chat(user.token, a.id, '  hELLo ');
    expectStatus(res, 200);
    expect(res.json).toEqual({ assistant: 'Tami', response: 'exact hello' });
    expect(await say(user.token, a.id, 'hello there')).toBe('default reply'); // exact does not match a longer message
    expect(await say(user.token, a.id, 'Please GIVE ME A SUMMARY of today')).toBe('summary text');
    expect(await say(user.token, a.id, 'a summary please')).toBe('later summary');
    // api mode replies with the endpoint string itself; no call is made.
    expect(await say(user.token, a.id, 'DOCS')).toBe('/api/docs/');
    const seed = await chat(user.token, a.id, 'hello', 'seed');
    expectStatus(seed, 200);
    expect(seed.json).toEqual({ assistant: 'Tami', response: 'exact hello' });
  });

  it('does not call the model when a command matches, and logs the exchange', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const user = await makeUser();
    const a = await createAssistant(admin.token);
    await addCommand(admin.token, a.id, { trigger: 'ping', response_text: 'pong' });
    const calls = fakeAi(() => ({ response: 'model' }));
    expect(await say(user.token, a.id, 'ping')).toBe('pong');
    expect(calls).toHaveLength(0);
    expect(await lastLog(a.id)).toMatchObject({ user_id: user.id, message: 'ping', reply: 'pong', used_gpt: 0, model: null });
  });

  it("asks the model with the assistant's model and prompt when no command matches", async () => {
    const admin = await makeUser({ role: 'Admin' });
    const user = await makeUser();
    const a = await createAssistant(admin.token, {
      title: 'Finance head',
      prompt_context: 'You are the head of finance.',
      model: '@cf/test/model-a',
    });
    await addCommand(admin.token, a.id, { trigger: 'ping', response_text: 'pong' });
    await addDefault(admin.token, a.id, 'offline');
    const calls = fakeAi(() => ({ response: '  Revenue is up.  ' }));

    const res = await chat(user.token, a.id, 'How are we doing?');
    expectStatus(res, 200);
    expect(res.json).toEqual({ assistant: 'Finance head', response: 'Revenue is up.' });
    expect(calls).toEqual([
      {
        model: '@cf/test/model-a',
        input: {
          messages: [
            { role: 'system', content: 'You are the head of finance.' },
            { role: 'user', content: 'How are we doing?' },
          ],
        },
      },
    ]);
    expect(await lastLog(a.id)).toMatchObject({
      message: 'How are we doing?',
      reply: 'Revenue is up.',
      used_gpt: 1,
      model: '@cf/test/model-a',
    });

    // No prompt_context: the default system prompt and the default model; the seed route too.
    const plain = await createAssistant(admin.token);
    await say(user.token, plain.id, 'hi');
    expect(calls[1]).toEqual({
      model: '@cf/meta/llama-3.1-8b-instruct',
      input: {
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'hi' },
        ],
      },
    });
    const seed = await chat(user.token, plain.id, 'again', 'seed');
    expect(seed.json.response).toBe('Revenue is up.');
  });

  it('falls back to the first default response without the AI binding', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const user = await makeUser();
    const a = await createAssistant(admin.token);
    await addDefault(admin.token, a.id, 'first default');
    await addDefault(admin.token, a.id, 'second default');
    expect(await say(user.token, a.id, 'anything')).toBe('first default');
    expect(await lastLog(a.id)).toMatchObject({ reply: 'first default', used_gpt: 0, model: null });

    const bare = await createAssistant(admin.token);
    expect(await say(user.token, bare.id, 'anything')).toBe("I'm currently unavailable. Please try again later.");
  });

  it('falls back when the model fails or answers nothing (used_gpt false)', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const user = await makeUser();
    const a = await createAssistant(admin.token);
    await addDefault(admin.token, a.id, 'offline reply');

    const failing = fakeAi(() => {
      throw new Error('AI down');
    });
    expect(await say(user.token, a.id, 'hi')).toBe('offline reply');
    expect(failing).toHaveLength(1);
    expect(await lastLog(a.id)).toMatchObject({ reply: 'offline reply', used_gpt: 0, model: '@cf/meta/llama-3.1-8b-instruct' });

    fakeAi(() => ({ response: '   ' }));
    expect(await say(user.token, a.id, 'hi')).toBe('offline reply');
    fakeAi(() => ({ choices: [{ message: { content: 'openai-shaped answer' } }] }));
    expect(await say(user.token, a.id, 'hi')).toBe('openai-shaped answer');
  });

  it('gives up on a model that does not answer in time', async () => {
    let resolved = false;
    const hanging = {
      run: () =>
        new Promise((resolve) =>
          setTimeout(() => {
            resolved = true;
            resolve({ response: 'too late' });
          }, 2000),
        ),
    };
    expect(await askModel(hanging, '@cf/test/slow', 'sys', 'hi', 20)).toBeUndefined();
    expect(resolved).toBe(false);
    expect(await askModel({ run: async () => ({ response: 'quick' }) }, '@cf/test/fast', 'sys', 'hi', 1000)).toBe('quick');
  });

  it('validates the message: required, not blank, at most 1000 characters', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const user = await makeUser();
    const a = await createAssistant(admin.token);
    const missing = await api(`/api/assistants/chat/${a.id}/`, { token: user.token, body: {} });
    expectStatus(missing, 400);
    expect(missing.json).toEqual({ message: ['This field is required.'] });
    const blank = await chat(user.token, a.id, '   ');
    expectStatus(blank, 400);
    expect(blank.json).toEqual({ message: ['This field may not be blank.'] });
    const long = await chat(user.token, a.id, 'x'.repeat(1001));
    expectStatus(long, 400);
    expect(long.json).toEqual({ message: ['Ensure this field has no more than 1000 characters.'] });
    const longSeed = await chat(user.token, a.id, 'x'.repeat(1001), 'seed');
    expectStatus(longSeed, 400);
    expectStatus(await chat(user.token, a.id, 'x'.repeat(1000)), 200);
    // DRF's CharField reads a number as its text (issue 20, item 12); a boolean stays refused.
    expectStatus(await chat(user.token, a.id, 42), 200);
    expectStatus(await chat(user.token, a.id, true), 400);
  });

  it('404s for unknown ids and for roles that are not assistants', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const human = await api('/api/accounts/staff-roles/', { token: admin.token, body: { title: 'Human', is_virtual: false } });
    expectStatus(human, 201);
    for (const id of [human.json.id, 987654]) {
      for (const route of ['reference', 'seed'] as const) {
        const res = await chat(admin.token, id, 'hi', route);
        expectStatus(res, 404);
        expect(res.json).toEqual({ detail: 'No StaffRole matches the given query.' });
      }
    }
    expectStatus(await api('/api/assistants/chat/abc/', { token: admin.token, body: { message: 'hi' } }), 404);
  });

  it('lets customers chat', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const customer = await makeUser({ role: 'Customer' });
    const a = await createAssistant(admin.token, { title: 'Helper' });
    await addDefault(admin.token, a.id, 'hello customer');
    const res = await chat(customer.token, a.id, 'hi');
    expectStatus(res, 200);
    expect(res.json).toEqual({ assistant: 'Helper', response: 'hello customer' });
  });

  it('throttles chat per user (20 a minute) with Retry-After', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const noisy = await makeUser();
    const quiet = await makeUser();
    const a = await createAssistant(admin.token);
    // A minute boundary may reset the window once, so allow up to two windows' worth.
    let ok = 0;
    let throttled: Awaited<ReturnType<typeof chat>> | undefined;
    for (let i = 0; i < 41 && !throttled; i++) {
      const res = await chat(noisy.token, a.id, `message ${i}`, i % 2 ? 'seed' : 'reference');
      if (res.status === 429) throttled = res;
      else {
        expectStatus(res, 200);
        ok++;
      }
    }
    expect(throttled, 'no 429 after 41 messages').toBeDefined();
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(throttled!.json.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    const retryAfter = Number(throttled!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(throttled!.json.detail).toContain(`in ${retryAfter} seconds`);
    // Another user is not affected.
    expectStatus(await chat(quiet.token, a.id, 'hi'), 200);
  });
});

describe('the per-user chat limit under parallel requests', () => {
  it('30 parallel messages from one user: exactly 20 answered in one minute window, the rest 429', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const noisy = await makeUser();
    const a = await createAssistant(admin.token);
    // Start well inside a minute window, so that all 30 requests count in the same one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => chat(noisy.token, a.id, `burst ${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length, statuses.join(',')).toBe(20);
    expect(statuses.filter((s) => s === 429).length, statuses.join(',')).toBe(10);
  }, 90_000);
});
