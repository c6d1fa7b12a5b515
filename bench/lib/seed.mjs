/**
 * The benchmark's data set, written straight into D1 with batched multi-row INSERTs: 10,000 leads,
 * 2,000 invoices with payments (and their transactions), 200 projects with 5,000 tasks, 50
 * workspaces with 200 branches and 1,000 spaces (and 5,000 bookings), 50 chat channels with 20,000
 * messages, and 101 users. Rows are generated from a fixed random seed, so every run seeds the
 * same data. Column names come from src/db/schema/*.ts; each table's columns are checked against
 * the live schema, so a column a module added later (NOT NULL without a default) is filled with a
 * neutral value and reported rather than failing the run.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';

export const COUNTS = {
  users: 101,
  zones: 20,
  leads: 10_000,
  leadActions: 5_000,
  parties: 200,
  accounts: 3,
  invoices: 2_000,
  projects: 200,
  tasks: 5_000,
  workspaces: 50,
  branchesPerWorkspace: 4,
  spacesPerBranch: 5,
  bookings: 5_000,
  channels: 50,
  messages: 20_000,
};

/** The bench user (id 1): a Staff member who can see and edit everything the scenarios touch. */
export const BENCH_USER = { id: 1, username: 'bench_user', email: 'bench_user@example.com', password: 'Bench!Passw0rd' };
/** Every seeded user shares this password (hashed once). */
export const USER_PASSWORD = BENCH_USER.password;
/** Invoices 1..PAYABLE_INVOICES are large enough to take every payment the benchmark makes. */
export const PAYABLE_INVOICES = 200;

/** The stored form of src/core/passwords.ts: pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>. */
export function hashPassword(password, iterations = 100_000) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return `pbkdf2_sha256$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Deterministic PRNG (mulberry32). */
function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

/** A UUID v4 shape from the PRNG (deterministic). */
function uuidOf(r) {
  const h = Array.from({ length: 32 }, () => Math.floor(r.next() * 16).toString(16));
  h[12] = '4';
  h[16] = '89ab'[Math.floor(r.next() * 4)];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const iso = (ms) => new Date(ms).toISOString();
const day = (ms) => iso(ms).slice(0, 10);

const FIRST = [
  'Okello',
  'Namukasa',
  'Mugisha',
  'Achieng',
  'Kato',
  'Nakato',
  'Ssemwogerere',
  'Auma',
  'Byaruhanga',
  'Atim',
  'Wasswa',
  'Babirye',
];
const LAST = ['Amos', 'Grace', 'Brian', 'Sarah', 'Joseph', 'Esther', 'Peter', 'Ruth', 'David', 'Mercy', 'Isaac', 'Joan'];
const ADJ = [
  'Sunrise',
  'Blue',
  'Golden',
  'Green',
  'Royal',
  'Lakeside',
  'Unity',
  'Prime',
  'Summit',
  'Crystal',
  'Victory',
  'Pearl',
];
const NOUN = [
  'Hardware',
  'Pharmacy',
  'Supermarket',
  'Salon',
  'Motors',
  'Bakery',
  'Clinic',
  'Academy',
  'Electronics',
  'Boutique',
  'Farm',
  'Hotel',
];
const SUFFIX = ['Ltd', 'Enterprises', 'Traders', 'Stores', 'Services', 'Centre'];
const CITIES = ['Kampala', 'Entebbe', 'Jinja', 'Mbarara', 'Gulu', 'Nairobi', 'Kigali', 'Mbale'];
const LEAD_STAGES = ['prospect', 'qualified', 'negotiation', 'won', 'lost'];
const PRIORITIES = ['low', 'medium', 'high', 'critical'];
const SOURCES = ['field', 'referral', 'website', 'event', 'social'];
const FOLLOW_UPS = ['call', 'demo', 'meeting', 'install', 'checkin'];
const PROJECT_STATUSES = ['planning', 'active', 'paused', 'review', 'complete'];
const SPACE_TYPES = ['meeting_room', 'office', 'private_office', 'desk', 'coworking'];
/** Space types that hold one booking at a time (src/modules/workspace/bookings/slots.ts). */
export const PRIVATE_SPACE_TYPES = ['meeting_room', 'office', 'private_office', 'event_space'];

/** A SQL literal for a generated value (numbers, booleans, null, strings). */
function lit(v) {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  if (typeof v === 'object') return lit(JSON.stringify(v));
  return `'${String(v).replace(/'/g, "''")}'`;
}

/**
 * Writes rows with multi-row INSERTs, `rowsPerStatement` rows each, `statementsPerBatch`
 * statements per D1 batch. Checks the columns against the table first (see the file comment).
 */
async function insertRows(db, table, rows, notes, { rowsPerStatement = 100, statementsPerBatch = 25 } = {}) {
  if (!rows.length) return 0;
  const info = (await db.prepare(`PRAGMA table_info(\`${table}\`)`).all()).results;
  if (!info.length) {
    notes.push(`table ${table} does not exist: skipped ${rows.length} rows`);
    return 0;
  }
  const known = new Set(info.map((c) => c.name));
  const given = Object.keys(rows[0]);
  const dropped = given.filter((c) => !known.has(c));
  if (dropped.length) notes.push(`${table}: columns ${dropped.join(', ')} no longer exist (not seeded)`);
  const filled = info.filter((c) => c.notnull && c.dflt_value === null && !c.pk && !given.includes(c.name));
  if (filled.length) notes.push(`${table}: filled new NOT NULL columns ${filled.map((c) => c.name).join(', ')} with '' / 0`);
  const columns = [...given.filter((c) => known.has(c)), ...filled.map((c) => c.name)];
  const filler = Object.fromEntries(filled.map((c) => [c.name, /INT|REAL|NUM/i.test(c.type) ? 0 : '']));
  const statements = [];
  for (let i = 0; i < rows.length; i += rowsPerStatement) {
    const values = rows
      .slice(i, i + rowsPerStatement)
      .map((row) => `(${columns.map((c) => lit(c in row ? row[c] : filler[c])).join(',')})`)
      .join(',');
    statements.push(db.prepare(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(',')}) VALUES ${values}`));
  }
  for (let i = 0; i < statements.length; i += statementsPerBatch) await db.batch(statements.slice(i, i + statementsPerBatch));
  return rows.length;
}

/**
 * Seeds the data set. Returns the ids the scenarios need and the row count per table.
 * `now` anchors every generated date, so the data set is the same whenever it is seeded.
 */
export async function seed(db, { now = Date.now() } = {}) {
  const r = rng(20260101);
  const notes = [];
  const counts = {};
  const put = async (table, rows, opts) => {
    counts[table] = (counts[table] ?? 0) + (await insertRows(db, table, rows, notes, opts));
  };
  const stamp = (ms) => ({ created_at: iso(ms), updated_at: iso(ms) });
  const base = (ms) => ({ uuid: uuidOf(r), ...stamp(ms), is_deleted: 0 });
  const ago = (maxDays) => now - r.int(1, maxDays * 24) * HOUR;

  // Users: 1 is the bench user; 2..101 are colleagues (the chat room's 100 clients among them).
  const password = hashPassword(USER_PASSWORD);
  const users = [];
  for (let id = 1; id <= COUNTS.users; id++) {
    const first = FIRST[id % FIRST.length];
    const last = LAST[(id * 7) % LAST.length];
    const username = id === 1 ? BENCH_USER.username : `user_${String(id).padStart(3, '0')}`;
    users.push({
      id,
      uuid: uuidOf(r),
      username,
      email: id === 1 ? BENCH_USER.email : `${username}@example.com`,
      password,
      full_name: `${first} ${last}`,
      first_name: first,
      last_name: last,
      role: 'Staff',
      is_verified: 1,
      is_active: 1,
      is_staff: 1,
      last_seen: iso(now),
      date_joined: iso(now - 400 * DAY),
    });
  }
  await put('users', users);
  const userIds = users.map((u) => u.id);

  // Field: zones, leads (1 in 10 assigned to the bench user), lead actions.
  const zones = Array.from({ length: COUNTS.zones }, (_, i) => ({
    id: i + 1,
    ...base(ago(400)),
    name: `${CITIES[i % CITIES.length]} ${Math.floor(i / CITIES.length) + 1}`,
    region: CITIES[i % CITIES.length],
    created_by_id: 1,
  }));
  await put('zones', zones);
  const leads = [];
  for (let id = 1; id <= COUNTS.leads; id++) {
    const business = `${r.pick(ADJ)} ${r.pick(NOUN)} ${r.pick(SUFFIX)} ${id}`;
    const contact = `${r.pick(FIRST)} ${r.pick(LAST)}`;
    leads.push({
      id,
      ...base(ago(365)),
      business_name: business,
      contact_name: contact,
      contact_phone: `+2567${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
      contact_email: r.next() < 0.6 ? `lead${id}@example.com` : null,
      stage: r.pick(LEAD_STAGES),
      source: r.pick(SOURCES),
      products_discussed: ['POS', 'Payroll'].slice(0, r.int(0, 2)),
      notes: r.next() < 0.3 ? 'Interested; call back after the month end.' : '',
      follow_up_type: r.pick(FOLLOW_UPS),
      follow_up_date: r.next() < 0.5 ? day(now + r.int(-30, 60) * DAY) : null,
      lead_score: r.int(0, 100),
      priority: r.pick(PRIORITIES),
      tags: '',
      zone_id: r.int(1, COUNTS.zones),
      assigned_rep_id: id % 10 === 0 ? 1 : r.pick(userIds),
    });
  }
  await put('leads', leads);
  await put(
    'lead_actions',
    Array.from({ length: COUNTS.leadActions }, (_, i) => ({
      id: i + 1,
      ...base(ago(200)),
      type: r.pick(FOLLOW_UPS),
      date: iso(ago(200)),
      notes: 'Visited the shop.',
      outcome: 'positive',
      lead_id: r.int(1, COUNTS.leads),
      created_by_id: r.pick(userIds),
    })),
  );

  // Finance: parties, accounts, invoices, payments and their automated transactions (books consistent).
  await put(
    'finance_parties',
    Array.from({ length: COUNTS.parties }, (_, i) => ({
      id: i + 1,
      ...base(ago(400)),
      name: `${r.pick(ADJ)} ${r.pick(NOUN)} ${i + 1}`,
      email: `party${i + 1}@example.com`,
      phone: '',
      type: 'client',
      is_internal_user: 0,
      user_id: null,
    })),
  );
  const balances = new Array(COUNTS.accounts + 1).fill(0);
  const invoices = [];
  const payments = [];
  const transactions = [];
  for (let id = 1; id <= COUNTS.invoices; id++) {
    const party = ((id - 1) % COUNTS.parties) + 1;
    const issued = ago(300);
    const total = id <= PAYABLE_INVOICES ? 100_000_000_00 : r.int(50, 5_000) * 1000;
    let paid = 0;
    const nPayments = id <= PAYABLE_INVOICES ? 1 : r.int(0, 2);
    for (let p = 0; p < nPayments; p++) {
      const amount = id <= PAYABLE_INVOICES ? 100_00 : Math.floor((total - paid) / (p === nPayments - 1 ? 1 : 2));
      if (amount <= 0) continue;
      paid += amount;
      const pid = payments.length + 1;
      const account = r.int(1, COUNTS.accounts);
      const at = issued + r.int(1, 20) * DAY;
      payments.push({
        id: pid,
        ...base(at),
        direction: 'incoming',
        amount,
        notes: '',
        party_id: party,
        invoice_id: id,
        account_id: account,
        transaction_id: pid,
      });
      transactions.push({
        id: pid,
        ...base(at),
        type: 'income',
        amount,
        description: 'Income payment',
        category: 'miscellaneous',
        date: day(at),
        is_automated: 1,
        account_id: account,
        related_invoice_id: id,
        related_payment_id: pid,
        posted_account_id: account,
        posted_amount: amount,
      });
      balances[account] += amount;
    }
    invoices.push({
      id,
      ...base(issued),
      number: `INV-${String(id).padStart(6, '0')}`,
      party_id: party,
      direction: 'outgoing',
      total_amount: total,
      paid_amount: paid,
      description: `Services, batch ${id}`,
      issued_date: day(issued),
      due_date: day(issued + 30 * DAY),
      is_paid: total - paid <= 0 ? 1 : 0,
    });
  }
  await put(
    'finance_accounts',
    Array.from({ length: COUNTS.accounts }, (_, i) => ({
      id: i + 1,
      ...base(ago(400)),
      name: `Account ${i + 1}`,
      number: `00${i + 1}`,
      type: 'bank',
      balance: balances[i + 1],
      currency: 'UGX',
    })),
  );
  await put('finance_invoices', invoices);
  // Payments and transactions point at each other: insert both before either is checked.
  await put(
    'finance_transactions',
    transactions.map((t) => ({ ...t, related_payment_id: null })),
  );
  await put('finance_payments', payments);
  await db
    .prepare('UPDATE finance_transactions SET related_payment_id = id WHERE related_payment_id IS NULL AND is_automated = 1')
    .run();

  // Projects and tasks: users 1..10 create the projects; the bench user is a contributor of 60 more.
  const projects = [];
  const members = [];
  for (let id = 1; id <= COUNTS.projects; id++) {
    const start = ago(200);
    projects.push({
      id,
      ...base(start),
      name: `Project ${id}: ${r.pick(ADJ)} ${r.pick(NOUN)}`,
      description: 'Delivery of the agreed scope.',
      client_name: `${r.pick(ADJ)} ${r.pick(NOUN)}`,
      status: r.pick(PROJECT_STATUSES),
      priority: r.pick(PRIORITIES),
      start_date: day(start),
      due_date: day(start + r.int(30, 180) * DAY),
      actual_hours: 0,
      completion_percentage: 0,
      tags: [],
      created_by_id: ((id - 1) % 10) + 1,
    });
    if (id % 10 !== 1 && id % 3 === 0)
      members.push({ id: members.length + 1, ...base(start), project_id: id, user_id: 1, role: 'contributor' });
  }
  const tasks = [];
  const done = new Map();
  for (let id = 1; id <= COUNTS.tasks; id++) {
    const project = ((id - 1) % COUNTS.projects) + 1;
    const completed = r.next() < 0.4;
    const created = ago(150);
    tasks.push({
      id,
      ...base(created),
      project_id: project,
      title: `Task ${id}`,
      description: '',
      status: completed ? 'done' : r.pick(['todo', 'in_progress']),
      priority: r.pick(PRIORITIES),
      due_date: iso(now + r.int(-20, 40) * DAY),
      actual_hours: 0,
      assigned_to_id: id % 10 === 0 ? 1 : r.pick(userIds),
      origin_app: 'projects',
      created_by_id: projects[project - 1].created_by_id,
      tags: [],
      notes: '',
      position: id,
      is_completed: completed ? 1 : 0,
      completed_at: completed ? iso(created + DAY) : null,
    });
    const d = done.get(project) ?? [0, 0];
    done.set(project, [d[0] + (completed ? 1 : 0), d[1] + 1]);
  }
  for (const p of projects) {
    const [c, n] = done.get(p.id) ?? [0, 0];
    p.completion_percentage = n ? Math.floor((c / n) * 100) : 0;
  }
  await put('projects', projects);
  await put('project_members', members);
  await put('tasks', tasks);

  // Workspaces: users 1..5 own them (the bench user owns 10 and manages the other 40).
  const workspaces = [];
  const wsMembers = [];
  const branches = [];
  const spaces = [];
  for (let w = 0; w < COUNTS.workspaces; w++) {
    const id = uuidOf(r);
    const admin = (w % 5) + 1;
    const at = ago(400);
    workspaces.push({
      id,
      name: `${r.pick(ADJ)} Workspace ${w + 1}`,
      description: 'Flexible offices and meeting rooms.',
      admin_id: admin,
      email: null,
      phone: '+256700000000',
      address: `Plot ${w + 1}, Main Street`,
      city: CITIES[w % CITIES.length],
      country: 'Uganda',
      social_media_links: {},
      is_active: 1,
      via_onboarding: 0,
      ...stamp(at),
    });
    const memberIds = new Set([admin, 1, ...Array.from({ length: 10 }, () => r.pick(userIds))]);
    for (const user of memberIds) {
      wsMembers.push({
        id: uuidOf(r),
        workspace_id: id,
        user_id: user,
        role: user === admin ? 'admin' : user === 1 ? 'manager' : 'user',
        is_active: 1,
        joined_at: iso(at),
        updated_at: iso(at),
      });
    }
    for (let b = 0; b < COUNTS.branchesPerWorkspace; b++) {
      const branchId = uuidOf(r);
      branches.push({
        id: branchId,
        workspace_id: id,
        name: `Branch ${b + 1}`,
        description: '',
        manager_id: null,
        operating_hours: null,
        images: [],
        address: `Floor ${b + 1}`,
        city: CITIES[(w + b) % CITIES.length],
        country: 'Uganda',
        is_active: 1,
        ...stamp(at),
      });
      for (let s = 0; s < COUNTS.spacesPerBranch; s++) {
        const type = SPACE_TYPES[s % SPACE_TYPES.length];
        spaces.push({
          id: uuidOf(r),
          branch_id: branchId,
          workspace_id: id,
          name: `${type.replace('_', ' ')} ${s + 1}`,
          description: '',
          space_type: type,
          capacity: type === 'coworking' ? 20 : type === 'desk' ? 1 : r.int(2, 12),
          price_per_hour: r.int(5, 50) * 1000,
          daily_rate: r.int(50, 300) * 1000,
          monthly_rate: r.int(500, 3000) * 1000,
          amenities: ['WiFi', 'Coffee'],
          is_available: 1,
          ...stamp(at),
        });
      }
    }
  }
  await put('workspaces', workspaces);
  await put('workspace_members', wsMembers);
  await put('workspace_branches', branches);
  await put(
    'workspace_spaces',
    spaces.map(({ workspace_id, ...s }) => s),
  );

  // Bookings from 30 days ago to 30 days ahead, on whole hours (the scenarios book 60+ days ahead).
  const bookings = [];
  const taken = new Set();
  while (bookings.length < COUNTS.bookings) {
    const space = r.pick(spaces);
    const startMs = Math.floor(now / HOUR) * HOUR + r.int(-30 * 24, 30 * 24) * HOUR;
    const key = `${space.id}@${startMs}`;
    if (taken.has(key)) continue;
    taken.add(key);
    const hours = 1;
    bookings.push({
      id: uuidOf(r),
      space_id: space.id,
      workspace_id: space.workspace_id,
      user_id: r.pick(userIds),
      booking_type: 'hourly',
      start: iso(startMs),
      end: iso(startMs + hours * HOUR),
      guests: 1,
      notes: '',
      status: 'confirmed',
      price_unit: 'hour',
      quantity: hours,
      unit_price: space.price_per_hour,
      subtotal: space.price_per_hour * hours,
      total: space.price_per_hour * hours,
      ...stamp(startMs - 7 * DAY),
    });
  }
  await put('bookings', bookings);

  // Chat: 50 public channels of 400 messages each; channel 1 holds users 2..101 (the fan-out room).
  const channels = [];
  const channelMembers = [];
  for (let c = 1; c <= COUNTS.channels; c++) {
    channels.push({
      id: c,
      ...base(ago(300)),
      name: c === 1 ? 'general' : `channel-${c}`,
      type: 'public',
      is_private: 0,
      created_by_id: c === 1 ? 2 : r.pick(userIds),
      description: '',
    });
    const memberIds = c === 1 ? userIds : [...new Set([1, ...Array.from({ length: 10 }, () => r.pick(userIds))])];
    for (const user of memberIds) {
      channelMembers.push({
        id: channelMembers.length + 1,
        channel_id: c,
        user_id: user,
        is_admin: user === 2 ? 1 : 0,
        joined_at: iso(now - 300 * DAY),
        last_read_at: null,
      });
    }
  }
  await put('chat_channels', channels);
  await put('chat_channel_members', channelMembers);
  const perChannel = COUNTS.messages / COUNTS.channels;
  const messages = [];
  for (let i = 0; i < COUNTS.messages; i++) {
    const channel = (i % COUNTS.channels) + 1;
    const at = now - (perChannel - Math.floor(i / COUNTS.channels)) * 10 * 60_000;
    messages.push({
      id: i + 1,
      ...base(at),
      channel_id: channel,
      sender_id: r.pick(userIds),
      content: `Update ${i + 1}: ${r.pick(ADJ)} ${r.pick(NOUN)} is on track.`,
      timestamp: iso(at),
    });
  }
  await put('chat_channel_messages', messages);
  await db
    .prepare('PRAGMA optimize')
    .run()
    .catch(() => undefined);

  const privateSpaces = spaces.filter((s) => PRIVATE_SPACE_TYPES.includes(s.space_type)).map((s) => s.id);
  return {
    counts,
    notes,
    ids: {
      workspaces: workspaces.map((w) => w.id),
      branches: branches.map((b) => b.id),
      privateSpaces,
      parties: Array.from({ length: COUNTS.parties }, (_, i) => i + 1),
      payableInvoices: invoices.slice(0, PAYABLE_INVOICES).map((i) => ({ invoice: i.id, party: i.party_id })),
      benchTasks: tasks.filter((t) => t.assigned_to_id === 1 || t.created_by_id === 1).map((t) => t.id),
      chatRoom: 1,
      chatUsers: users.filter((u) => u.id !== 1).map((u) => u.username),
      searchTerms: ['sunrise', 'pharmacy', 'okello', 'golden motors', 'grace', 'bakery ltd', '2567', 'summit'],
    },
  };
}
