/**
 * `GET /api/workspace/bookings/{booking_id}/calendar.ics`: the booking as an iCalendar (RFC 5545)
 * event, for its booker and the workspace's staff: CRLF line ends, text values escaped, lines
 * folded at 75 octets, times in UTC.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { mount, route } from '../../../core/route';
import type { Actor } from '../../../core/scope';
import type { Db } from '../../../db';
import type { AppEnv } from '../../../env';
import { type BookingRow, bookingByIdStmt, effectiveStatus, visibleTo } from './serializers';
import { bookingNotFound, isUuid, uuidParam } from './shared';

/** `20300115T060000Z` from an ISO instant. */
const icsTime = (iso: string) => `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;

/** Escapes a TEXT value (RFC 5545 3.3.11). */
const icsText = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character. */
function fold(line: string): string {
  const enc = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const ch of line) {
    const n = enc.encode(ch).length;
    const limit = parts.length === 0 ? 75 : 74; // continuation lines start with a space
    if (size + n > limit) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += ch;
    size += n;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const STATUS: Record<string, string> = {
  pending: 'TENTATIVE',
  confirmed: 'CONFIRMED',
  completed: 'CONFIRMED',
  cancelled: 'CANCELLED',
  expired: 'CANCELLED',
};

/** The iCalendar text of a booking. */
export function bookingCalendar(row: BookingRow, now: number): string {
  const place = [row.branch_name, row.branch_address, row.branch_city].filter(Boolean).join(', ');
  const description = [
    `Booking ${row.id}`,
    `${row.workspace_name}: ${row.space_name}`,
    `Guests: ${row.guests}`,
    `Price: ${row.total}`,
    ...(row.notes ? [`Notes: ${row.notes}`] : []),
  ].join('\n');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Tamiti//Workspaces//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:booking-${row.id}@workspaces.tamiti.com`,
    `DTSTAMP:${icsTime(new Date(now).toISOString())}`,
    `DTSTART:${icsTime(row.start)}`,
    `DTEND:${icsTime(row.end)}`,
    `SUMMARY:${icsText(`${row.space_name} (${row.workspace_name})`)}`,
    `LOCATION:${icsText(place)}`,
    `DESCRIPTION:${icsText(description)}`,
    `STATUS:${STATUS[effectiveStatus(row, now)] ?? 'CONFIRMED'}`,
    `LAST-MODIFIED:${icsTime(row.updated_at)}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}

/** The calendar of a booking its booker or the workspace's staff may see; 404 otherwise. */
export async function bookingIcs(db: Db, id: string, actor: Actor, now = Date.now()) {
  if (!isUuid(id)) throw bookingNotFound();
  const [[found]] = await db.batch([bookingByIdStmt(db, id, actor.id)]);
  const seen = visibleTo(found, actor.id);
  if (!seen) throw bookingNotFound();
  return bookingCalendar(seen.row, now);
}

export function mountCalendar(app: OpenAPIHono<AppEnv>) {
  mount(
    app,
    route({
      method: 'get',
      path: '/api/workspace/bookings/{booking_id}/calendar.ics',
      operationId: 'workspace_bookings_calendar_retrieve',
      summary: 'The booking as an iCalendar event (its booker and the workspace staff)',
      tags: ['workspace-bookings'],
      params: uuidParam('booking_id'),
      responses: {
        200: {
          description: 'An iCalendar (RFC 5545) document with one VEVENT',
          content: { 'text/calendar': { schema: z.string() } },
        },
      },
      handler: async ({ db, actor, params }) => {
        const id = params.booking_id;
        const body = await bookingIcs(db, id, actor, Date.now());
        return new Response(body, {
          status: 200,
          headers: {
            'content-type': 'text/calendar; charset=utf-8',
            'content-disposition': `attachment; filename="booking-${id}.ics"`,
          },
        });
      },
    }),
  );
}
