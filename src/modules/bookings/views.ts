/**
 * How bookings are served: response schemas, the single query that loads a page of bookings with
 * their space, branch, workspace and booker, and the row-to-wire mapping.
 */
import { z } from '@hono/zod-openapi';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../../core/resource';
import { BOOKING_STATUSES, BOOKING_TYPES, bookings, PRICE_UNITS } from '../../db/schema/bookings';
import { users } from '../../db/schema/users';
import { SPACE_TYPES, workspaceBranches, workspaces, workspaceSpaces } from '../../db/schema/workspace';

const uuid = () => z.string().openapi({ format: 'uuid' });
const dt = () => z.string().openapi({ format: 'date-time', example: '2030-01-15T06:00:00.000Z' });
const money = () => z.string().openapi({ format: 'decimal', example: '150.00' });

export const PriceBreakdown = z
  .object({
    unit: z.enum(PRICE_UNITS),
    quantity: z.number().int().openapi({ description: 'Started units: hours, 24-hour days or calendar months.' }),
    unit_price: money(),
    subtotal: money(),
    total: money(),
  })
  .openapi('WsBookingPrice');

export const Booking = z
  .object({
    id: uuid(),
    space_id: uuid(),
    space_name: z.string(),
    space_type: z.enum(SPACE_TYPES),
    branch_id: uuid(),
    branch_name: z.string(),
    workspace_id: uuid(),
    workspace_name: z.string(),
    user: z.object({ id: uuid(), email: z.string(), full_name: z.string() }).openapi({ description: 'The booker.' }),
    booking_type: z.enum(BOOKING_TYPES),
    start: dt(),
    end: dt(),
    guests: z.number().int(),
    notes: z.string(),
    status: z.enum(BOOKING_STATUSES),
    is_checked_in: z.boolean(),
    checked_in_at: dt().nullable(),
    cancelled_at: dt().nullable(),
    price: PriceBreakdown,
    created_at: dt(),
    updated_at: dt(),
  })
  .openapi('WsBooking');
export type BookingOut = z.infer<typeof Booking>;

export const bookingColumns = {
  ...getTableColumns(bookings),
  space_name: workspaceSpaces.name,
  space_type: workspaceSpaces.space_type,
  branch_id: workspaceBranches.id,
  branch_name: workspaceBranches.name,
  branch_manager_id: workspaceBranches.manager_id,
  workspace_name: workspaces.name,
  workspace_admin_id: workspaces.admin_id,
  user_uuid: users.uuid,
  user_email: users.email,
  user_full_name: users.full_name,
  total_rows: sql<number>`count(*) over ()`.mapWith(Number),
};

/** Bookings with space, branch, workspace and booker in one query; callers add where/order/limit. */
export const selectBookings = (db: Db) =>
  db
    .select(bookingColumns)
    .from(bookings)
    .innerJoin(workspaceSpaces, eq(workspaceSpaces.id, bookings.space_id))
    .innerJoin(workspaceBranches, eq(workspaceBranches.id, workspaceSpaces.branch_id))
    .innerJoin(workspaces, eq(workspaces.id, bookings.workspace_id))
    .innerJoin(users, eq(users.id, bookings.user_id))
    .$dynamic();
export type BookingRow = Awaited<ReturnType<typeof selectBookings>>[number];

export function bookingOut(r: BookingRow): BookingOut {
  return {
    id: r.id,
    space_id: r.space_id,
    space_name: r.space_name,
    space_type: r.space_type,
    branch_id: r.branch_id,
    branch_name: r.branch_name,
    workspace_id: r.workspace_id,
    workspace_name: r.workspace_name,
    user: { id: r.user_uuid, email: r.user_email, full_name: r.user_full_name },
    booking_type: r.booking_type,
    start: r.start,
    end: r.end,
    guests: r.guests,
    notes: r.notes,
    status: r.status,
    is_checked_in: r.checked_in_at !== null,
    checked_in_at: r.checked_in_at,
    cancelled_at: r.cancelled_at,
    price: { unit: r.price_unit, quantity: r.quantity, unit_price: r.unit_price, subtotal: r.subtotal, total: r.total },
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
