/**
 * The price of a booking from the space's rates, in exact integer cents:
 * - hourly: `price_per_hour` × started hours (ceil of the duration in hours);
 * - daily: `daily_rate` × started 24-hour days;
 * - monthly: `monthly_rate` × started calendar months, counted from the start's day of month to
 *   the same day (clamped to short months) on the booker's own UTC offset.
 * There is no tax or discount yet, so `total` equals `subtotal`.
 */
import { fromCents, toCents } from '../../../core/money';
import type { BookingType } from '../../../db/schema/bookings';
import { addMonths, DAY, HOUR, type Instant } from './time';

export interface Rates {
  price_per_hour: string;
  daily_rate: string | null;
  monthly_rate: string | null;
}

export interface Price {
  unit: 'hour' | 'day' | 'month';
  quantity: number;
  unit_price: string;
  subtotal: string;
  total: string;
}

const RATE_OF: Record<BookingType, { unit: Price['unit']; rate: keyof Rates }> = {
  hourly: { unit: 'hour', rate: 'price_per_hour' },
  daily: { unit: 'day', rate: 'daily_rate' },
  monthly: { unit: 'month', rate: 'monthly_rate' },
};

/** Started calendar months between start and end (at least 1). */
export function calendarMonths(start: Instant, endMs: number): number {
  const from = new Date(start.ms + start.offsetMinutes * 60_000);
  const to = new Date(endMs + start.offsetMinutes * 60_000);
  // Whole-month difference of the wall clocks, then step to the first month end that covers `end`.
  let n = Math.max(1, (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth()) - 1);
  while (addMonths(start.ms, start.offsetMinutes, n) < endMs) n += 1;
  return n;
}

/** The booked quantity of the type's unit. */
export function quantityFor(type: BookingType, start: Instant, endMs: number): number {
  const duration = endMs - start.ms;
  if (type === 'hourly') return Math.ceil(duration / HOUR);
  if (type === 'daily') return Math.ceil(duration / DAY);
  return calendarMonths(start, endMs);
}

/** The price breakdown, or the name of the missing rate when the space has none for this type. */
export function priceFor(type: BookingType, start: Instant, endMs: number, rates: Rates): Price | { missingRate: keyof Rates } {
  const { unit, rate } = RATE_OF[type];
  const unitPrice = rates[rate];
  if (unitPrice === null || unitPrice === undefined) return { missingRate: rate };
  const quantity = quantityFor(type, start, endMs);
  const subtotal = toCents(unitPrice) * quantity;
  return { unit, quantity, unit_price: fromCents(toCents(unitPrice)), subtotal: fromCents(subtotal), total: fromCents(subtotal) };
}
