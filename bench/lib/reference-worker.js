// The hand-written reference for the leads list (issue 16): what the platform allows for
// `GET /api/field/leads/`, written by hand with plain Hono and raw D1, serving the same response
// from the same database. It does everything the product must do for this route and nothing else:
// - the same token check: an HS256 access token verified with jose, its claims checked;
// - the same D1 session (reads anywhere unless the client sends `x-d1-bookmark`; the bookmark back);
// - one round trip: the authorization guard (the product's statement: active user, token version),
//   the count, the page and the page's live actions in one `batch`;
// - the same body (field order, booleans, JSON, DRF page links) and the same headers.
// Only `page` and `page_size` are read (the bench sends no search, filter or ordering).
import { Hono } from 'hono';
import { jwtVerify } from 'jose';

const GUARD_SQL =
  "select json_extract('{}', coalesce((select case when is_active then '$' else 'auth_guard:user_inactive' end " +
  "from users where id = ?1 and token_version = ?2), 'auth_guard:token_revoked')) as ok";

const LEAD_COLUMNS =
  'id, created_at, updated_at, deleted_at, is_deleted, uuid, business_name, contact_name, contact_phone, contact_email, stage, ' +
  'source, products_discussed, notes, follow_up_type, follow_up_date, lead_score, priority, documents, tags, zone_id, assigned_rep_id';
const PAGE = 'select id from leads where is_deleted = 0 order by created_at desc, id desc limit ?1 offset ?2';

const HEADERS = {
  'content-type': 'application/json',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
};
const ROLES = new Set(['Admin', 'Staff', 'Customer']);
const BOOKMARK = /^[0-9a-f]{1,64}(-[0-9a-f]{1,64}){2,6}$/i;

const unauthorized = (detail, code) =>
  new Response(JSON.stringify(code ? { detail, code } : { detail }), { status: 401, headers: HEADERS });

const action = (a) => ({
  id: a.id,
  created_at: a.created_at,
  updated_at: a.updated_at,
  deleted_at: a.deleted_at,
  is_deleted: a.is_deleted === 1,
  uuid: a.uuid,
  type: a.type,
  date: a.date,
  notes: a.notes,
  outcome: a.outcome,
  next_follow_up: a.next_follow_up,
  lead: a.lead_id,
  created_by: a.created_by_id,
});

const app = new Hono();

app.get('/api/field/leads/', async (c) => {
  const header = c.req.header('authorization');
  if (!header) return unauthorized('Authentication credentials were not provided.');
  let claims;
  try {
    const token = header.replace(/^Bearer\s+/i, '');
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(c.env.JWT_SECRET), { algorithms: ['HS256'] }));
  } catch {
    claims = undefined;
  }
  if (
    claims?.token_type !== 'access' ||
    !/^\d+$/.test(claims.user_id ?? '') ||
    typeof claims.uid !== 'string' ||
    !ROLES.has(claims.role) ||
    !Number.isInteger(claims.tv)
  )
    return unauthorized('Given token not valid for any token type', 'token_not_valid');
  if (claims.role === 'Customer')
    return new Response(JSON.stringify({ detail: 'You do not have permission to perform this action.' }), {
      status: 403,
      headers: HEADERS,
    });

  const size = Math.min(Number(c.req.query('page_size')) || 10, 100);
  const page = Math.max(Number(c.req.query('page')) || 1, 1);
  const offset = (page - 1) * size;
  const bookmark = c.req.header('x-d1-bookmark');
  const db = c.env.DB.withSession(bookmark && BOOKMARK.test(bookmark) ? bookmark : 'first-unconstrained');
  let results;
  try {
    results = await db.batch([
      db.prepare(GUARD_SQL).bind(Number(claims.user_id), claims.tv),
      db.prepare('select count(*) as total from leads where is_deleted = 0'),
      db
        .prepare(`select ${LEAD_COLUMNS} from leads where is_deleted = 0 order by created_at desc, id desc limit ?1 offset ?2`)
        .bind(size, offset),
      db.prepare(`select * from lead_actions where lead_id in (${PAGE}) and is_deleted = 0 order by id`).bind(size, offset),
    ]);
  } catch (err) {
    const reason = /auth_guard:(token_revoked|user_inactive)/.exec(`${err?.message} ${err?.cause?.message}`)?.[1];
    if (reason === 'user_inactive') return unauthorized('User is inactive', 'user_inactive');
    if (reason) return unauthorized('Given token not valid for any token type', 'token_not_valid');
    throw err;
  }
  const count = results[1].results[0].total;
  const last = Math.max(1, Math.ceil(count / size));
  if (page > last) return new Response(JSON.stringify({ detail: 'Invalid page.' }), { status: 404, headers: HEADERS });
  const actions = new Map();
  for (const a of results[3].results) {
    const list = actions.get(a.lead_id);
    if (list) list.push(action(a));
    else actions.set(a.lead_id, [action(a)]);
  }
  const link = (n) => {
    const u = new URL(c.req.url);
    if (n === 1) u.searchParams.delete('page');
    else u.searchParams.set('page', String(n));
    return u.toString();
  };
  const body = {
    count,
    next: page < last ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: results[2].results.map((l) => ({
      id: l.id,
      actions: actions.get(l.id) ?? [],
      created_at: l.created_at,
      updated_at: l.updated_at,
      deleted_at: l.deleted_at,
      is_deleted: l.is_deleted === 1,
      uuid: l.uuid,
      business_name: l.business_name,
      contact_name: l.contact_name,
      contact_phone: l.contact_phone,
      contact_email: l.contact_email,
      stage: l.stage,
      source: l.source,
      products_discussed: JSON.parse(l.products_discussed),
      notes: l.notes,
      follow_up_type: l.follow_up_type,
      follow_up_date: l.follow_up_date,
      lead_score: l.lead_score,
      priority: l.priority,
      documents: l.documents,
      tags: l.tags,
      zone: l.zone_id,
      assigned_rep: l.assigned_rep_id,
    })),
  };
  const headers = { ...HEADERS, 'X-Request-Id': c.req.header('cf-ray') ?? crypto.randomUUID() };
  const next = db.getBookmark?.();
  if (next) headers['x-d1-bookmark'] = next;
  return new Response(JSON.stringify(body), { status: 200, headers });
});

// The start-up probe of the first-request phase (bench/lib/cold.mjs): a fresh isolate answers it
// before its first leads list is measured.
app.get('/', (c) => c.text('ok'));

export default app;
