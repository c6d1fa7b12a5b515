/**
 * Public discovery (issue 17): spaces that are available, in active branches of active workspaces,
 * listed, filtered and shown to anyone (no token needed; a token, even a bad one, changes nothing).
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  book,
  booked,
  dayUtc,
  expectEnvelopeError,
  hold,
  HOUR,
  lapse,
  makeBranch,
  makeOrg,
  makeSpace,
  type Org,
  z,
} from '../helpers/bookings';
import { api, expectStatus } from '../helpers';

let org: Org;
let closedOrg: Org;
const tag = Date.now().toString(36);
const city = `Mbarara${tag}`;
const otherCity = `Jinja${tag}`;
const ids: Record<string, string> = {};
let hiddenBranch: string;
let eastBranch: string;

const setBranch = (id: string, fields: { city?: string; name?: string; address?: string; is_active?: number }) =>
  env.DB.prepare(
    'UPDATE workspace_branches SET city = coalesce(?, city), name = coalesce(?, name), address = coalesce(?, address), is_active = coalesce(?, is_active) WHERE id = ?',
  )
    .bind(fields.city ?? null, fields.name ?? null, fields.address ?? null, fields.is_active ?? null, id)
    .run();
const setSpace = (id: string, fields: Record<string, unknown>) =>
  env.DB.prepare(
    `UPDATE workspace_spaces SET ${Object.keys(fields)
      .map((k) => `${k} = ?`)
      .join(', ')} WHERE id = ?`,
  )
    .bind(...Object.values(fields), id)
    .run();

beforeAll(async () => {
  [org, closedOrg] = await Promise.all([makeOrg(), makeOrg()]);
  await setBranch(org.branchId, { city, name: `Central ${tag}`, address: '1 Main St' });
  ids.alpha = await makeSpace(org.branchId, { space_type: 'meeting_room', capacity: 6, hourly: 1250 });
  ids.beta = await makeSpace(org.branchId, { space_type: 'coworking', capacity: 3, hourly: 500, daily: null, monthly: null });
  ids.gamma = await makeSpace(org.branchId, { space_type: 'office', capacity: 10, hourly: 4000 });
  ids.closed = await makeSpace(org.branchId, { is_available: false });
  await setSpace(ids.alpha, {
    name: `Alpha ${tag}`,
    description: 'Whiteboard and screen',
    image_url: 'https://img.test/a.jpg',
    amenities: '["WiFi","Screen"]',
    rules: 'No food',
    cancellation_policy: '24 h',
    operational_hours: '{"monday":"08:00-18:00"}',
  });
  await setSpace(ids.beta, { name: `Beta ${tag}`, description: 'Sunny open plan' });
  await setSpace(ids.gamma, { name: `Gamma ${tag}` });
  eastBranch = await makeBranch(org.workspaceId);
  await setBranch(eastBranch, { city: otherCity, name: `East ${tag}` });
  ids.delta = await makeSpace(eastBranch, { space_type: 'desk', capacity: 2, hourly: 800 });
  await setSpace(ids.delta, { name: `Delta ${tag}` });
  hiddenBranch = await makeBranch(org.workspaceId);
  await setBranch(hiddenBranch, { city, is_active: 0 });
  ids.inactiveBranch = await makeSpace(hiddenBranch);
  await setBranch(closedOrg.branchId, { city });
  ids.inactiveWorkspace = await makeSpace(closedOrg.branchId);
  await env.DB.prepare('UPDATE workspaces SET is_active = 0 WHERE id = ?').bind(closedOrg.workspaceId).run();
  await env.DB.prepare('UPDATE workspaces SET logo_url = ? WHERE id = ?')
    .bind('https://img.test/logo.png', org.workspaceId)
    .run();
});

const list = (query: string, token?: string) => api(`/api/workspace/public/spaces/?${query}`, { token });
const names = (res: { json: any }) => (res.json.spaces as { name: string }[]).map((s) => s.name.split(' ')[0]);

describe('GET /api/workspace/public/spaces/', () => {
  it('lists the public spaces only, by name, with their branch, workspace and rating, for anyone', async () => {
    const res = await list(`workspace_id=${org.workspaceId}`);
    expectStatus(res, 200);
    expect(res.json, res.text).toMatchObject({
      success: true,
      message: 'Spaces retrieved successfully',
      count: 4,
      next: null,
      previous: null,
    });
    expect(names(res)).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']);
    expect(res.json.data).toEqual(res.json.spaces);
    expect(res.json.spaces[0]).toEqual({
      id: ids.alpha,
      name: `Alpha ${tag}`,
      description: 'Whiteboard and screen',
      space_type: 'meeting_room',
      capacity: 6,
      price_per_hour: '12.50',
      daily_rate: '80.00',
      monthly_rate: '1500.00',
      main_photo_url: 'https://img.test/a.jpg',
      amenities: ['WiFi', 'Screen'],
      rating: { average: null, count: 0 },
      branch: {
        id: org.branchId,
        name: `Central ${tag}`,
        address: '1 Main St',
        city,
        workspace: { id: org.workspaceId, name: expect.any(String), logo_url: 'https://img.test/logo.png' },
      },
    });
    const all = await list(`city=${city}`);
    expect(all.json.spaces.map((s: any) => s.id)).not.toEqual(expect.arrayContaining([ids.closed]));
    for (const hidden of [ids.closed, ids.inactiveBranch, ids.inactiveWorkspace])
      expect(
        all.json.spaces.map((s: any) => s.id),
        all.text,
      ).not.toContain(hidden);
  });

  it('the booker, a stranger, staff and a bad token see exactly what the anonymous caller sees', async () => {
    const anonymous = await list(`workspace_id=${org.workspaceId}`);
    for (const token of [org.member.token, org.outsider.token, org.staff.token, 'garbage']) {
      const res = await list(`workspace_id=${org.workspaceId}`, token);
      expectStatus(res, 200);
      expect(res.json.spaces).toEqual(anonymous.json.spaces);
    }
  });

  it('filters by workspace, branch, type, city (any case), capacity and hourly price', async () => {
    const w = `workspace_id=${org.workspaceId}`;
    expect(names(await list(`${w}&branch_id=${eastBranch}`))).toEqual(['Delta']);
    expect(names(await list(`${w}&type=coworking`))).toEqual(['Beta']);
    expect(names(await list(`city=${city.toUpperCase()}`))).toEqual(['Alpha', 'Beta', 'Gamma']);
    expect(names(await list(`city=${otherCity}`))).toEqual(['Delta']);
    expect(names(await list(`${w}&capacity=6`))).toEqual(['Alpha', 'Gamma']);
    expect(names(await list(`${w}&min_price=8&max_price=12.50`))).toEqual(['Alpha', 'Delta']);
    expect(names(await list(`${w}&max_price=4.99`))).toEqual([]);
    expect(names(await list(`${w}&type=office&capacity=11`))).toEqual([]);
  });

  it('searches name, description, branch name and city (substring, any case)', async () => {
    const w = `workspace_id=${org.workspaceId}`;
    expect(names(await list(`${w}&search=alpha`))).toEqual(['Alpha']);
    expect(names(await list(`${w}&search=SUNNY`))).toEqual(['Beta']);
    expect(names(await list(`${w}&search=${encodeURIComponent(`east ${tag}`)}`))).toEqual(['Delta']);
    expect(names(await list(`search=${encodeURIComponent(otherCity.slice(2).toLowerCase())}`))).toEqual(['Delta']);
    expect(names(await list(`${w}&search=${encodeURIComponent('100%_')}`))).toEqual([]);
  });

  it('paginates with count, next and previous', async () => {
    const first = await list(`workspace_id=${org.workspaceId}&page_size=3`);
    expect(first.json, first.text).toMatchObject({ count: 4, previous: null });
    expect(first.json.next).toContain('page=2');
    const second = await list(`workspace_id=${org.workspaceId}&page_size=3&page=2`);
    expect(names(second)).toEqual(['Gamma']);
    expect(second.json.previous).toContain('page=1');
    expectEnvelopeError(await list(`workspace_id=${org.workspaceId}&page=3&page_size=3`), 404, 'Invalid page.');
  });

  it('available_from/available_to keeps only spaces with room over the whole interval (shared spaces up to capacity)', async () => {
    const t = dayUtc(10) + 9 * HOUR;
    const window = (from: number, to: number) =>
      `workspace_id=${org.workspaceId}&available_from=${z(from)}&available_to=${z(to)}`;
    expect(names(await list(window(t, t + 2 * HOUR)))).toEqual(['Alpha', 'Beta', 'Delta', 'Gamma']);
    // A private room booked for part of the interval is out; before and after it, in.
    await booked(org.member, ids.alpha, t + HOUR, t + 2 * HOUR);
    expect(names(await list(window(t, t + 2 * HOUR)))).toEqual(['Beta', 'Delta', 'Gamma']);
    expect(names(await list(window(t, t + HOUR)))).toContain('Alpha');
    // The coworking space (3 seats) stays while a seat is left at every instant.
    await booked(org.member, ids.beta, t, t + HOUR, { guests: 2 });
    await booked(org.member2, ids.beta, t + HOUR, t + 2 * HOUR, { guests: 2 });
    expect(names(await list(window(t, t + 2 * HOUR)))).toContain('Beta');
    await booked(org.outsider, ids.beta, t + 30 * 60_000, t + 90 * 60_000);
    expect(names(await list(window(t, t + 2 * HOUR)))).not.toContain('Beta');
    expect(names(await list(window(t + 90 * 60_000, t + 2 * HOUR)))).toContain('Beta');
    // A live hold blocks; once lapsed it does not; a cancelled booking never does.
    const held = (await hold(org.member, ids.gamma, t, t + HOUR)).json.booking.id;
    expect(names(await list(window(t, t + 2 * HOUR)))).not.toContain('Gamma');
    await lapse(held);
    expect(names(await list(window(t, t + 2 * HOUR)))).toContain('Gamma');
    const gone = await booked(org.member, ids.delta, t, t + HOUR);
    expect(names(await list(window(t, t + 2 * HOUR)))).toContain('Delta'); // a desk of 2 seats, 1 taken
    await book(org.member2, ids.delta, t, t + HOUR);
    expect(names(await list(window(t, t + 2 * HOUR)))).not.toContain('Delta');
    expectStatus(await api(`/api/workspace/bookings/${gone.id}/cancel/`, { method: 'POST', token: org.member.token }), 200);
    expect(names(await list(window(t, t + 2 * HOUR)))).toContain('Delta');
  });

  it('bad filters are a 400 with field errors, never a 500', async () => {
    const cases: [string, string][] = [
      ['workspace_id=nope', 'workspace_id'],
      ['type=castle', 'type'],
      ['capacity=0', 'capacity'],
      ['min_price=abc', 'min_price'],
      ['min_price=10&max_price=5', 'max_price'],
      [`available_from=${z(dayUtc(3))}`, 'available_to'],
      [`available_from=${z(dayUtc(3))}&available_to=${z(dayUtc(2))}`, 'available_to'],
      [`available_from=${z(dayUtc(3))}&available_to=${z(dayUtc(100))}`, 'available_to'],
      ['available_from=tomorrow&available_to=later', 'available_from'],
    ];
    for (const [query, field] of cases) {
      const res = await list(query);
      expectEnvelopeError(res, 400, 'Invalid query parameters');
      expect(res.json.errors[field], `${query}: ${res.text}`).toBeDefined();
    }
  });
});

describe('GET /api/workspace/public/spaces/{id}/', () => {
  it('shows a public space with its rules, cancellation policy and operational hours, to anyone', async () => {
    for (const token of [undefined, org.member.token, org.outsider.token, org.staff.token]) {
      const res = await api(`/api/workspace/public/spaces/${ids.alpha}/`, { token });
      expectStatus(res, 200);
      expect(res.json.space, res.text).toMatchObject({
        id: ids.alpha,
        rules: 'No food',
        cancellation_policy: '24 h',
        operational_hours: { monday: '08:00-18:00' },
        branch: { id: org.branchId, city },
      });
      expect(res.json.data).toEqual(res.json.space);
    }
  });

  it('"Space not found or not available" for unavailable spaces, inactive branches and workspaces, missing and malformed ids', async () => {
    for (const id of [ids.closed, ids.inactiveBranch, ids.inactiveWorkspace, crypto.randomUUID(), 'not-a-uuid']) {
      const res = await api(`/api/workspace/public/spaces/${id}/`, { token: org.owner.token });
      expectEnvelopeError(res, 404, 'Space not found or not available');
    }
  });
});

describe('GET /api/workspace/public/spaces/{id}/availability/', () => {
  it('shows free and taken stretches to anyone; 404 for a space that is not public; 400 for a bad window', async () => {
    const t = dayUtc(20) + 9 * HOUR;
    await booked(org.member, ids.gamma, t + HOUR, t + 2 * HOUR);
    const q = `from=${z(t)}&to=${z(t + 3 * HOUR)}`;
    for (const token of [undefined, org.outsider.token]) {
      const res = await api(`/api/workspace/public/spaces/${ids.gamma}/availability/?${q}`, { token });
      expectStatus(res, 200);
      expect(res.json, res.text).toMatchObject({
        success: true,
        space: { id: ids.gamma, shared: false, bookable: true },
        from: z(t),
        to: z(t + 3 * HOUR),
        taken: [{ start: z(t + HOUR), end: z(t + 2 * HOUR) }],
        free: [
          { start: z(t), end: z(t + HOUR) },
          { start: z(t + 2 * HOUR), end: z(t + 3 * HOUR) },
        ],
      });
    }
    for (const id of [ids.closed, ids.inactiveBranch, ids.inactiveWorkspace, crypto.randomUUID()])
      expectEnvelopeError(await api(`/api/workspace/public/spaces/${id}/availability/`), 404, 'Space not found or not available');
    expectEnvelopeError(
      await api(`/api/workspace/public/spaces/${ids.gamma}/availability/?from=${z(t)}&to=${z(t)}`),
      400,
      'Invalid query parameters',
    );
  });

  it('reviews of a space that is not public are a 404 too', async () => {
    expectEnvelopeError(
      await api(`/api/workspace/public/spaces/${ids.closed}/reviews/`),
      404,
      'Space not found or not available',
    );
    const none = await api(`/api/workspace/public/spaces/${ids.beta}/reviews/`);
    expectStatus(none, 200);
    expect(none.json, none.text).toMatchObject({ count: 0, reviews: [], next: null, previous: null });
  });
});
