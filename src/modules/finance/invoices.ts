import { z } from '@hono/zod-openapi';
import { asc, eq, sql } from 'drizzle-orm';
import { DirectionEnum } from '../../contract/tamiti/finance.gen';
import { Invoice, Invoice_READ_ONLY, InvoiceRequest, PatchedInvoice } from '../../contract/tamiti/finance/invoices.gen';
import { drf } from '../../core/errors';
import { eventId } from '../../core/events';
import { date, decimal, str, url } from '../../core/fields';
import { DOCUMENTS } from '../../core/files';
import type { ResourceDef } from '../../core/resource';
import { bodiesOnFirstUse, listOnly } from '../../core/resource';
import { todayIso } from '../../db/columns';
import { invoices, parties } from '../../db/schema/finance';
import { SERVER_OWNED, adminDeletes } from './access';
import { cents, minus } from './books';

type Values = Record<string, unknown>;

/** `amount` (the seed's name) is an alias of `total_amount`; both may be sent only if they agree. */
function checkAlias(v: Values, ctx: z.core.$RefinementCtx<Values>) {
  if (v.amount !== undefined && v.total_amount !== undefined && cents(v.amount) !== cents(v.total_amount)) {
    ctx.addIssue({ code: 'custom', path: ['amount'], message: 'Conflicts with total_amount; send one of them.' });
  }
}
const applyAlias = <T extends Values>(v: T): T =>
  v.amount !== undefined && v.total_amount === undefined ? { ...v, total_amount: v.amount } : v;

const extraInput = () => ({
  number: str({ max: 50, blank: true })
    .optional()
    .openapi({ description: 'Unique human-readable number; generated (INV-000123) when absent or blank.' }),
  amount: decimal({ maxDigits: 12, places: 2 }).optional().openapi({ description: 'Alias of total_amount.' }),
  related_file: url({ max: 200 }).nullable().optional().openapi({ description: 'URL of the invoice document.' }),
});
type ExtraInput = ReturnType<typeof extraInput>;

// Fresh objects (not `.extend`), so the document shows one flat schema rather than an allOf that
// would still mark the reference's required fields as required.
/** Create/replace body: the reference's fields plus `number` and `amount`; dates and direction default. */
const invoiceWrite = (extra: ExtraInput) =>
  z
    .object({
      ...InvoiceRequest.shape,
      ...extra,
      total_amount: decimal({ maxDigits: 12, places: 2 })
        .optional()
        .openapi({ description: 'Required unless `amount` is given.' }),
      direction: DirectionEnum.optional().openapi({ description: 'Default `outgoing` (we bill the party).' }),
      issued_date: date().optional().openapi({ description: 'Default today (UTC).' }),
      due_date: date().optional().openapi({ description: 'Default issued_date + 30 days.' }),
    })
    .superRefine((v, ctx) => {
      checkAlias(v, ctx);
      if (v.total_amount === undefined && v.amount === undefined) {
        ctx.addIssue({ code: 'custom', path: ['total_amount'], message: 'This field is required.' });
      }
    })
    .overwrite(applyAlias)
    .openapi('InvoiceWrite');

const patchedInvoiceWrite = (extra: ExtraInput) =>
  z
    .object({ ...PatchedInvoice.shape, ...extra })
    .superRefine(checkAlias)
    .overwrite(applyAlias)
    .openapi('PatchedInvoiceWrite');

/** An invoice as served: the reference's fields plus `number`. */
export const InvoiceRead = z.object({ ...Invoice.shape, number: z.string() }).openapi('InvoiceRead');

const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * `/api/finance/invoices/`: `balance` = total − Σ payments and `is_paid` = balance ≤ 0 are kept by the
 * payments' batches (books.ts), so `is_paid` is not client-writable and reverts when a payment goes.
 * The total cannot drop below what is already paid. A new invoice tells the party's linked user.
 * `unpaid/` lists every invoice with a balance above zero as a bare array (as the original's action).
 */
export const invoiceResource: ResourceDef<typeof invoices> = {
  path: '/finance/invoices/',
  operationId: 'finance_invoices',
  tag: 'finance',
  model: 'Invoice',
  table: invoices,
  // The bodies are built when the write routes are mounted, not by a first list (its read app).
  schemas: bodiesOnFirstUse({ read: InvoiceRead, pageName: 'PaginatedInvoiceReadList' }, () => {
    const extra = extraInput();
    return { write: invoiceWrite(extra), patch: patchedInvoiceWrite(extra) };
  }),
  readOnly: [...Invoice_READ_ONLY, ...SERVER_OWNED, 'is_paid'],
  search: [
    invoices.number,
    invoices.description,
    sql`(select ${parties.name} from ${parties} where ${parties.id} = ${invoices.party})`,
  ],
  filters: {
    party: { column: invoices.party, type: 'int' },
    direction: { column: invoices.direction },
    is_paid: { column: invoices.is_paid, type: 'bool' },
    number: { column: invoices.number },
  },
  ordering: {
    number: invoices.number,
    party: invoices.party,
    direction: invoices.direction,
    total_amount: invoices.total_amount,
    balance: sql`(${invoices.total_amount} - ${invoices.paid_amount})`,
    issued_date: invoices.issued_date,
    due_date: invoices.due_date,
    is_paid: invoices.is_paid,
    created_at: invoices.created_at,
    updated_at: invoices.updated_at,
  },
  foreignKeys: { party: parties },
  uniques: { number: 'invoice with this number already exists.' },
  // Signed only in this resource's responses, which only Staff and Admin reach.
  files: { related_file: { types: DOCUMENTS, prefix: 'invoice' } },
  can: adminDeletes,
  prepare: (_k, values, existing) => {
    if (values.number === '') delete values.number;
    if (!existing) {
      values.direction ??= 'outgoing';
      values.issued_date ??= todayIso();
      values.due_date ??= addDays(values.issued_date as string, 30);
      values.is_paid = cents(values.total_amount) <= 0;
      if (values.number === undefined) {
        // A unique placeholder, replaced by INV-<id> in the same batch (sideEffects).
        values.uuid = crypto.randomUUID();
        values.number = `INV-${values.uuid}`;
      }
    }
    if (cents(values.total_amount) < 0) throw drf.field('total_amount', 'Ensure this value is greater than or equal to 0.');
    if (existing && values.total_amount !== undefined && cents(values.total_amount) < cents(existing.paid_amount)) {
      throw drf.field(
        'total_amount',
        `Ensure this value is greater than or equal to the amount already paid (${existing.paid_amount}).`,
      );
    }
    const issued = (values.issued_date ?? existing?.issued_date) as string;
    const due = (values.due_date ?? existing?.due_date) as string;
    if (due < issued) throw drf.field('due_date', 'The due date cannot be before the issued date.');
    return values;
  },
  sideEffects: (k, ev) => {
    if (ev.action === 'create') {
      const partyUser = k.db
        .select({ user: parties.user })
        .from(parties)
        .where(eq(parties.id, ev.values.party as number));
      if (ev.values.number !== `INV-${ev.values.uuid}`) return [partyUser];
      const plain = sql`'INV-' || printf('%06d', ${invoices.id})`;
      return [
        k.db
          .update(invoices)
          .set({
            number: sql`CASE WHEN EXISTS (select 1 from ${invoices} AS other where other.number = ${plain})
              THEN ${plain} || '-' || substr(${invoices.uuid}, 1, 8) ELSE ${plain} END`,
          })
          .where(eq(invoices.uuid, ev.values.uuid as string)),
        partyUser,
      ];
    }
    if (ev.action === 'update' && ev.existing && ev.values.total_amount !== undefined) {
      return [
        k.db
          .update(invoices)
          .set({ is_paid: sql`(${invoices.total_amount} - ${invoices.paid_amount}) <= 0` })
          .where(eq(invoices.id, ev.existing.id)),
      ];
    }
    return [];
  },
  after: (k, ev) => {
    if (ev.action !== 'create' || !ev.row) return;
    // The party's linked user, read in the create's own batch (the last side effect).
    const [party] = (ev.effects?.at(-1) ?? []) as { user: number | null }[];
    if (!party?.user) return;
    return [
      {
        type: 'notification',
        id: eventId(),
        recipient_id: party.user,
        actor_id: k.user.id,
        verb: 'created an invoice',
        url: `/finance/invoices/${ev.row.id}/`,
        target_type: 'invoice',
        target_id: ev.row.id,
      },
    ];
  },
  expansion: {
    load: () => [],
    attach: (_k, rows) => rows.map((r) => ({ ...r, balance: minus(r.total_amount, r.paid_amount) })),
  },
  views: [
    {
      path: 'unpaid/',
      operationId: 'finance_invoices_unpaid_retrieve',
      shape: 'array',
      responseDescription: 'Invoices with a balance above zero (not paginated).',
      where: () => sql`${invoices.total_amount} - ${invoices.paid_amount} > 0`,
      order: [asc(invoices.id)],
    },
  ],
};

/** GET /api/finance/invoices/ alone: the area's read app (src/app.ts). */
export const invoiceList = listOnly(invoiceResource);
