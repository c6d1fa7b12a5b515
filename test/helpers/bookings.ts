/**
 * Bookings fixtures: a workspace with one user per role, branches and spaces written straight
 * into D1 (the workspace module's own routes are tested in test/workspace), and time helpers.
 */
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { eventually } from './eventually';
import { api, expectStatus } from './http';
import { makeUser, type TestUser } from './users';

export interface Org {
  owner: TestUser;
  manager: TestUser;
  staff: TestUser;
  member: TestUser;
  member2: TestUser;
  outsider: TestUser;
  workspaceId: string;
  branchId: string;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${n++}${Math.random().toString(36).slice(2, 6)}`;

/** A workspace owned by `owner` with an active manager, staff member and two plain users; plus an outsider. */
export async function makeOrg(opts: { operatingHours?: unknown } = {}): Promise<Org> {
  const [owner, manager, staff, member, member2, outsider] = await Promise.all(
    ['owner', 'manager', 'staff', 'member', 'member', 'outsider'].map((prefix) => makeUser({ prefix })),
  );
  const workspaceId = crypto.randomUUID();
  const now = new Date().toISOString();
  const tag = unique();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO workspaces (id, name, admin_id, email, social_media_links, created_at, updated_at) VALUES (?, ?, ?, ?, '{}', ?, ?)`,
    ).bind(workspaceId, `Space Co ${tag}`, owner.id, `hello-${tag}@spaceco.test`, now, now),
    ...(
      [
        [owner, 'admin'],
        [manager, 'manager'],
        [staff, 'staff'],
        [member, 'user'],
        [member2, 'user'],
      ] as const
    ).map(([u, role]) =>
      env.DB.prepare(
        `INSERT INTO workspace_members (id, workspace_id, user_id, role, is_active, joined_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)`,
      ).bind(crypto.randomUUID(), workspaceId, u.id, role, now, now),
    ),
  ]);
  const branchId = await makeBranch(workspaceId, { operatingHours: opts.operatingHours });
  return { owner, manager, staff, member, member2, outsider, workspaceId, branchId };
}

export async function makeBranch(workspaceId: string, opts: { operatingHours?: unknown; managerId?: number } = {}) {
  const id = crypto.randomUUID();
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO workspace_branches (id, workspace_id, name, manager_id, operating_hours, images, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, '[]', ?, ?)`,
  )
    .bind(
      id,
      workspaceId,
      `Branch ${unique()}`,
      opts.managerId ?? null,
      opts.operatingHours === undefined ? null : JSON.stringify(opts.operatingHours),
      now,
      now,
    )
    .run();
  return id;
}

export interface SpaceOpts {
  space_type?: string;
  capacity?: number;
  /** Rates in cents; null for none. */
  hourly?: number;
  daily?: number | null;
  monthly?: number | null;
  is_available?: boolean;
}

/** A space in a branch; by default a private meeting room for 6 at 12.50/h, 80.00/day, 1500.00/month. */
export async function makeSpace(branchId: string, opts: SpaceOpts = {}) {
  const id = crypto.randomUUID();
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO workspace_spaces (id, branch_id, name, space_type, capacity, price_per_hour, daily_rate, monthly_rate, amenities, is_available, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?)`,
  )
    .bind(
      id,
      branchId,
      `Room ${unique()}`,
      opts.space_type ?? 'meeting_room',
      opts.capacity ?? 6,
      opts.hourly ?? 1250,
      opts.daily === undefined ? 8000 : opts.daily,
      opts.monthly === undefined ? 150000 : opts.monthly,
      opts.is_available === false ? 0 : 1,
      now,
      now,
    )
    .run();
  return id;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Midnight UTC `days` days from today. */
export function dayUtc(days: number): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days);
}

/** The instant as ISO text in UTC with `Z` (as served). */
export const z = (ms: number) => new Date(ms).toISOString();

/** The instant written with a fixed offset, e.g. at(ms, '+03:00') → "2030-01-15T09:00:00+03:00". */
export function at(ms: number, offset: string): string {
  const sign = offset[0] === '-' ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const local = new Date(ms + sign * (h * 60 + m) * 60_000).toISOString().slice(0, 19);
  return `${local}${offset}`;
}

export interface BookOpts {
  booking_type?: 'hourly' | 'daily' | 'monthly';
  guests?: number;
  notes?: string;
}

/** POSTs a booking; start/end are epoch ms (sent as UTC) or ISO strings (sent as given). */
export function book(user: TestUser, spaceId: string, start: number | string, end: number | string, opts: BookOpts = {}) {
  return api('/api/workspace/bookings/create/', {
    token: user.token,
    body: {
      space_id: spaceId,
      booking_type: opts.booking_type ?? 'hourly',
      start: typeof start === 'number' ? z(start) : start,
      end: typeof end === 'number' ? z(end) : end,
      ...(opts.guests === undefined ? {} : { guests: opts.guests }),
      ...(opts.notes === undefined ? {} : { notes: opts.notes }),
    },
  });
}

/** Books and expects 201; returns the booking. */
export async function booked(user: TestUser, spaceId: string, start: number | string, end: number | string, opts: BookOpts = {}) {
  const res = await book(user, spaceId, start, end, opts);
  expectStatus(res, 201);
  return res.json.booking;
}

/** Inserts a booking directly (e.g. one in the past, which the API refuses to create). */
export async function insertBooking(
  spaceId: string,
  workspaceId: string,
  userId: number,
  start: number,
  end: number,
  status = 'confirmed',
) {
  const id = crypto.randomUUID();
  const now = new Date().toISOString();
  await env.DB.prepare(
    `INSERT INTO bookings (id, space_id, workspace_id, user_id, booking_type, "start", "end", guests, notes, status, price_unit, quantity, unit_price, subtotal, total, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'hourly', ?, ?, 1, '', ?, 'hour', 1, 1250, 1250, 1250, ?, ?)`,
  )
    .bind(id, spaceId, workspaceId, userId, z(start), z(end), status, now, now)
    .run();
  return id;
}

export function expectEnvelopeError(res: { status: number; text: string; json: any }, status: number, message?: string) {
  expectStatus(res, status);
  expect(res.json?.success, res.text).toBe(false);
  if (message) expect(res.json.message, res.text).toBe(message);
}

// ---- issue 17: holds, guests, codes, the cron --------------------------------------------------

/** POSTs a hold (`hold: true`); returns the response. */
export function hold(user: TestUser, spaceId: string, start: number, end: number, opts: BookOpts & { guestList?: Guest[] } = {}) {
  return api('/api/workspace/bookings/create/', {
    token: user.token,
    body: {
      space_id: spaceId,
      booking_type: opts.booking_type ?? 'hourly',
      start: z(start),
      end: z(end),
      hold: true,
      ...(opts.guestList ? { guests: opts.guestList } : {}),
    },
  });
}

export interface Guest {
  name: string;
  email: string;
}

let guestCounter = 0;
/** `n` guests with unique emails. */
export const guestsOf = (n: number, prefix = 'guest'): Guest[] =>
  Array.from({ length: n }, () => {
    const k = `${Date.now().toString(36)}${guestCounter++}`;
    return { name: `${prefix[0].toUpperCase()}${prefix.slice(1)} ${k}`, email: `${prefix}-${k}@guests.test` };
  });

/** Books with a list of guests and expects 201. */
export async function bookedWithGuests(user: TestUser, spaceId: string, start: number, end: number, guests: Guest[]) {
  const res = await api('/api/workspace/bookings/create/', {
    token: user.token,
    body: { space_id: spaceId, booking_type: 'hourly', start: z(start), end: z(end), guests },
  });
  expectStatus(res, 201);
  return res.json.booking;
}

const CODE = /\bG-[A-Z0-9]{10}\b/;

/** Waits for the check-in code mailed to a guest and returns it. */
export async function codeMailedTo(email: string): Promise<string> {
  const mail = await eventually(() =>
    env.DB.prepare(`SELECT text FROM dev_mailbox WHERE lower("to") = lower(?) AND subject LIKE 'Your check-in code%'`)
      .bind(email)
      .first<{ text: string }>(),
  );
  const code = CODE.exec(mail.text)?.[0];
  expect(code, mail.text).toBeDefined();
  return code!;
}

/** Makes a hold's expiry lie in the past (as if its 15 minutes had run out), without the cron. */
export async function lapse(bookingId: string) {
  await env.DB.prepare(`UPDATE bookings SET expires_at = ? WHERE id = ?`)
    .bind(z(Date.now() - 60_000), bookingId)
    .run();
}

/** Moves a booking in time (e.g. so that check-in is open, or it has ended). */
export async function moveBooking(bookingId: string, start: number, end: number) {
  await env.DB.prepare(`UPDATE bookings SET "start" = ?, "end" = ? WHERE id = ?`).bind(z(start), z(end), bookingId).run();
}

/** The booking row as stored. */
export const rowOf = (bookingId: string) =>
  env.DB.prepare('SELECT * FROM bookings WHERE id = ?').bind(bookingId).first<Record<string, unknown>>();
