/**
 * Issue 16 (per-request CPU): rows read from a table go out as they were read when the read schema's
 * fields are exactly the table's columns in order (`readAs`); a `pick` would copy each unchanged.
 * Anything else is still picked, so a column the schema does not name never reaches a response.
 */
import { z } from '@hono/zod-openapi';
import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LeadAction } from '../../src/contract/tamiti/field.gen';
import { User } from '../../src/contract/tamiti/users/me.gen';
import { readAs } from '../../src/core/resource';
import { leadActions } from '../../src/db/schema/field';
import { users } from '../../src/db/schema/users';

/** A row as `rowsOf` reads it: every column of the table, in order. */
const rowOf = (table: Parameters<typeof getTableColumns>[0]) =>
  Object.fromEntries(Object.keys(getTableColumns(table)).map((key, i) => [key, i]));

describe('readAs', () => {
  it("passes a lead's actions on unchanged: LeadAction is the lead_actions table's columns in order", () => {
    const rows = [rowOf(leadActions), rowOf(leadActions)];
    const out = readAs(LeadAction, leadActions, rows);
    expect(out).toBe(rows);
    expect(Object.keys(out[0])).toEqual(Object.keys(LeadAction.shape));
  });

  it('picks the read fields from a table with more columns (the password never leaves)', () => {
    const rows = [rowOf(users)];
    const out = readAs(User, users, rows);
    expect(out).not.toBe(rows);
    expect(Object.keys(out[0])).toEqual(Object.keys(User.shape));
    expect(out[0]).not.toHaveProperty('password');
  });

  it('picks when the fields are the same but in another order (the response keeps the schema order)', () => {
    const keys = Object.keys(getTableColumns(leadActions));
    const reversed = z.object(Object.fromEntries([...keys].reverse().map((key) => [key, z.unknown()])));
    const rows = [rowOf(leadActions)];
    const out = readAs(reversed, leadActions, rows);
    expect(out).not.toBe(rows);
    expect(Object.keys(out[0])).toEqual([...keys].reverse());
  });
});
