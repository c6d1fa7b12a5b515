/**
 * `GET /api/workspace/bookings/{id}/calendar.ics` (issue 17): the booking as an RFC 5545 event,
 * `text/calendar`, for the booker and the workspace's staff.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { booked, dayUtc, expectEnvelopeError, HOUR, makeOrg, makeSpace, type Org } from '../helpers/bookings';
import { api, expectStatus } from '../helpers';

let org: Org;
beforeAll(async () => {
  org = await makeOrg();
});

const ics = (id: string, token?: string) => api(`/api/workspace/bookings/${id}/calendar.ics`, { token });

/** Unfolds RFC 5545 content lines (CRLF + space continues the previous line). */
const unfold = (text: string) => text.replace(/\r\n /g, '').split('\r\n');

describe('GET /api/workspace/bookings/{id}/calendar.ics', () => {
  it('is one VEVENT in UTC with the space, the place and the booking, CRLF line ends, escaped text, folded lines', async () => {
    const space = await makeSpace(org.branchId);
    const name = `Board room, 5th floor; east wing ${'x'.repeat(60)}`;
    await env.DB.prepare('UPDATE workspace_spaces SET name = ? WHERE id = ?').bind(name, space).run();
    await env.DB.prepare("UPDATE workspace_branches SET address = '12 Main St', city = 'Kampala' WHERE id = ?")
      .bind(org.branchId)
      .run();
    const t = dayUtc(6) + 9 * HOUR;
    const b = await booked(org.member, space, t, t + 2 * HOUR, { notes: 'Bring the projector' });
    const res = await ics(b.id, org.member.token);
    expectStatus(res, 200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="booking-${b.id}.ics"`);
    expect(res.text.endsWith('\r\n')).toBe(true);
    expect(res.text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    for (const line of res.text.split('\r\n')) expect(new TextEncoder().encode(line).length, line).toBeLessThanOrEqual(75);
    const lines = unfold(res.text);
    const start = new Date(t).toISOString().replace(/[-:]/g, '').slice(0, 15);
    const end = new Date(t + 2 * HOUR).toISOString().replace(/[-:]/g, '').slice(0, 15);
    expect(lines.slice(0, 6)).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Tamiti//Workspaces//EN',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
    ]);
    expect(lines).toContain(`UID:booking-${b.id}@workspaces.tamiti.com`);
    expect(lines).toContain(`DTSTART:${start}Z`);
    expect(lines).toContain(`DTEND:${end}Z`);
    expect(lines).toContain(`SUMMARY:${name.replace(/,/g, '\\,').replace(/;/g, '\\;')} (${b.workspace_name})`);
    expect(lines).toContain(`LOCATION:${b.branch_name}\\, 12 Main St\\, Kampala`);
    expect(lines).toContain('STATUS:CONFIRMED');
    expect(lines.find((l) => l.startsWith('DESCRIPTION:'))).toBe(
      `DESCRIPTION:Booking ${b.id}\\n${b.workspace_name}: ${name.replace(/,/g, '\\,').replace(/;/g, '\\;')}\\nGuests: 1\\nPrice: 25.00\\nNotes: Bring the projector`,
    );
    expect(lines.find((l) => l.startsWith('DTSTAMP:'))).toMatch(/^DTSTAMP:\d{8}T\d{6}Z$/);
    expect(lines.slice(-3)).toEqual(['END:VEVENT', 'END:VCALENDAR', '']);
  });

  it('a cancelled booking is STATUS:CANCELLED', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(7) + 9 * HOUR;
    const b = await booked(org.member, space, t, t + HOUR);
    expectStatus(await api(`/api/workspace/bookings/${b.id}/cancel/`, { method: 'POST', token: org.member.token }), 200);
    expect(unfold((await ics(b.id, org.member.token)).text)).toContain('STATUS:CANCELLED');
  });

  it('the booker and the workspace staff get it; plain members and strangers 404 as for a missing booking; anonymous 401', async () => {
    const space = await makeSpace(org.branchId);
    const t = dayUtc(7) + 12 * HOUR;
    const b = await booked(org.outsider, space, t, t + HOUR);
    for (const who of [org.outsider, org.staff, org.manager, org.owner]) expectStatus(await ics(b.id, who.token), 200);
    for (const who of [org.member, org.member2]) expectEnvelopeError(await ics(b.id, who.token), 404, 'Booking not found');
    expectEnvelopeError(await ics(crypto.randomUUID(), org.outsider.token), 404, 'Booking not found');
    expectEnvelopeError(await ics('not-a-uuid', org.outsider.token), 404, 'Booking not found');
    expectStatus(await ics(b.id), 401);
  });
});
