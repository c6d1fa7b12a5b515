/**
 * Observability: one JSON line per request and per queue batch, with identifiers and measurements
 * only. The suite runs with LOG_EVENTS=off (vitest.config.ts) so its output stays readable; these
 * tests turn the lines on for one call and read them through a console spy.
 */
import { env } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deliver, notificationEvent } from '../helpers/notifications';
import { api, expectStatus, makeUser } from '../helpers';

const LOGGING = { ...env, LOG_EVENTS: 'on' } as typeof env;

/** The JSON lines written to console.log while `run` ran. */
async function linesOf(run: () => Promise<unknown>) {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await run();
    return spy.mock.calls.map((args) => String(args[0]));
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('request logs', () => {
  it('writes one line per request: request id, method, route pattern, status, duration, user id — no token, no body', async () => {
    const me = await makeUser();
    let res: Awaited<ReturnType<typeof api>> | undefined;
    const lines = await linesOf(async () => {
      res = await api('/api/users/me/?secret=query-value', { token: me.token, env: LOGGING });
    });
    expectStatus(res!, 200);
    const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(requests, lines.join('\n')).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      level: 'info',
      requestId: res!.headers.get('x-request-id'),
      method: 'GET',
      route: '/api/users/me/',
      status: 200,
      userId: me.id,
    });
    expect(typeof requests[0].ms, lines.join('\n')).toBe('number');
    for (const line of lines) {
      expect(line, 'no access token in a log line').not.toContain(me.token);
      expect(line, 'no query string in a log line').not.toContain('query-value');
      expect(line, 'no response body in a log line').not.toContain(me.email);
    }
  });

  it('names the route pattern, not the URL, and logs failures with their status', async () => {
    const me = await makeUser();
    const lines = await linesOf(() => api('/api/tasks/987654321/', { token: me.token, env: LOGGING }));
    const [line] = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
    expect(line, lines.join('\n')).toMatchObject({ method: 'GET', route: '/api/tasks/:id/', status: 404, userId: me.id });
  });

  it('writes no password or refresh token when signing in', async () => {
    const me = await makeUser();
    let body = '';
    const lines = await linesOf(async () => {
      const res = await api('/api/users/login/', { body: { username: me.username, password: me.password }, env: LOGGING });
      body = res.text;
    });
    const access = JSON.parse(body).access as string;
    expect(
      lines.some((l) => l.includes('"msg":"request"')),
      lines.join('\n'),
    ).toBe(true);
    for (const line of lines) {
      expect(line).not.toContain(me.password);
      expect(line).not.toContain(access);
    }
  });

  it('stays silent when LOG_EVENTS is off (the test configuration)', async () => {
    const lines = await linesOf(() => api('/api/'));
    const more = await linesOf(() => api('/api/tasks/', {}));
    expect([...lines, ...more].filter((l) => l.includes('"msg":"request"'))).toEqual([]);
  });
});

describe('queue logs', () => {
  it('writes one line per batch with the counts, never the messages', async () => {
    const me = await makeUser();
    const event = notificationEvent(me.id, { verb: 'logged-batch-verb' });
    const lines = await linesOf(() => deliver([event], { env: { LOG_EVENTS: 'on' } }));
    const batches = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'queue batch');
    expect(batches, lines.join('\n')).toEqual([
      expect.objectContaining({ queue: 'notifications', messages: 1, acked: 1, retried: 0, ms: expect.any(Number) }),
    ]);
    expect(lines.join('\n')).not.toContain('logged-batch-verb');
  });
});
