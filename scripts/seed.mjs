#!/usr/bin/env node
// `npm run seed`: loads demo data into the LOCAL database (the one `npm run dev` uses).
// It starts `wrangler dev` on a spare port and creates everything through the API itself, so the
// demo data obeys the same rules as real data. Safe to run twice (it skips when the demo admin exists).
import { execSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };
const port = 18787 + Math.floor(Math.random() * 1000);
const base = `http://127.0.0.1:${port}`;
const ADMIN = { username: 'demo_admin', email: 'admin@tamiti.test', password: 'DemoPass123!' };
const STAFF = { username: 'demo_staff', email: 'staff@tamiti.test', password: 'DemoPass123!' };
const WORKSPACE_ADMIN = { email: 'owner@spaces-demo.test', password: 'DemoPass123!' };

/** The demo logins, printed at the end of every run (also when the data was already there). */
function printLogins(partyId) {
  console.log(`seed: demo logins (local database only)
  Tamiti Admin   ${ADMIN.email} (username ${ADMIN.username})  password ${ADMIN.password}   POST /api/users/login/
  Tamiti Staff   ${STAFF.email} (username ${STAFF.username})  password ${STAFF.password}   POST /api/users/login/
  Workspace admin ${WORKSPACE_ADMIN.email}  password ${WORKSPACE_ADMIN.password}   POST /api/workspace/admin/login/
${
  partyId
    ? `seed: finance party ${partyId} ("Acme Ltd") exists, so the README's invoice example works with
  {"number": "INV-001", "party": ${partyId}, "amount": 1000}`
    : 'seed: no "Acme Ltd" party (an earlier seed stopped half-way?): `npm run db:reset && npm run seed` starts over'
}`);
}

execSync('node scripts/prepare-dev.mjs', { cwd: root, stdio: 'inherit', env });
const dev = spawn('npx', ['wrangler', 'dev', '--port', String(port), '--ip', '127.0.0.1'], {
  cwd: root,
  env,
  detached: true,
  stdio: 'ignore',
});
const stop = () => {
  try {
    process.kill(-dev.pid, 'SIGTERM');
  } catch {}
};
process.on('exit', stop);

async function call(method, path, body, token) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'cf-connecting-ip': `192.0.2.${Math.floor(Math.random() * 250)}`,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  if (res.status >= 400) throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 300)}`);
  return json;
}

for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/api/`)).ok) break;
  } catch {}
  if (i > 90) throw new Error('wrangler dev did not start');
  await new Promise((r) => setTimeout(r, 1000));
}

try {
  const exists = await fetch(`${base}/api/users/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: ADMIN.username, password: ADMIN.password }),
  });
  if (exists.ok) {
    console.log('seed: demo data already present (admin@tamiti.test); nothing to do (`npm run db:reset` starts over)');
    const { access } = await exists.json();
    const parties = await call('GET', '/api/finance/parties/?search=Acme', undefined, access).catch(() => undefined);
    printLogins(parties?.results?.[0]?.id);
    process.exit(0);
  }
  await call('POST', '/api/users/register/', ADMIN);
  await call('POST', '/api/users/register/', STAFF);
  execSync(
    `npx wrangler d1 execute DB --local --command "UPDATE users SET role = 'Admin', is_verified = 1 WHERE username = '${ADMIN.username}'"`,
    {
      cwd: root,
      env,
      stdio: 'ignore',
    },
  );
  const admin = (await call('POST', '/api/users/login/', ADMIN)).access;
  const staff = (await call('POST', '/api/users/login/', STAFF)).access;
  const staffMe = await call('GET', '/api/users/me/', undefined, staff);

  for (const name of ['Finance', 'Projects', 'Digital', 'Sales', 'Field Operations'])
    await call('POST', '/api/accounts/departments/', { name }, admin);
  for (const name of ['Manager', 'Officer', 'Field Agent', 'Developer'])
    await call('POST', '/api/accounts/designations/', { name }, admin);
  await call('POST', '/api/accounts/branches/', { name: 'Head Office' }, admin);

  const zone = await call('POST', '/api/field/zones/', { name: 'Kampala Central', region: 'Central' }, admin);
  const stages = ['prospect', 'qualified', 'negotiation', 'won', 'lost'];
  const priorities = ['low', 'medium', 'high', 'critical'];
  for (let i = 1; i <= 25; i++) {
    await call(
      'POST',
      '/api/field/leads/',
      {
        business_name: `Demo Business ${i}`,
        contact_name: `Contact ${i}`,
        contact_phone: `+2567000000${String(i).padStart(2, '0')}`,
        stage: stages[i % stages.length],
        priority: priorities[i % priorities.length],
        zone: zone.id,
        assigned_rep: staffMe.id,
      },
      admin,
    ).catch((e) => console.warn(`seed: lead ${i}: ${e.message}`));
  }
  await call(
    'POST',
    '/api/field/visits/',
    {
      location: 'Nakasero Market',
      business_name: 'Visit Co',
      contact_phone: '+256711111111',
      rep: staffMe.id,
      zone: zone.id,
      add_as_lead: true,
    },
    admin,
  );

  const party = await call(
    'POST',
    '/api/finance/parties/',
    { name: 'Acme Ltd', type: 'client', email: 'billing@acme.test' },
    admin,
  );
  const account = await call(
    'POST',
    '/api/finance/accounts/',
    { name: 'Main Account', type: 'bank', number: '0001', currency: 'UGX' },
    admin,
  );
  for (let i = 1; i <= 5; i++) {
    const invoice = await call(
      'POST',
      '/api/finance/invoices/',
      { number: `INV-DEMO-${i}`, party: party.id, amount: 1000 * i },
      admin,
    );
    if (i % 2)
      await call(
        'POST',
        '/api/finance/payments/',
        { direction: 'incoming', amount: 500 * i, party: party.id, invoice: invoice.id, account: account.id },
        admin,
      );
  }

  const today = new Date();
  const inDays = (d) => new Date(today.getTime() + d * 86400000).toISOString().slice(0, 10);
  const project = await call(
    'POST',
    '/api/projects/',
    { name: 'Website Relaunch', start_date: inDays(-10), due_date: inDays(30) },
    admin,
  );
  for (let i = 1; i <= 8; i++) {
    await call(
      'POST',
      '/api/tasks/',
      {
        title: `Task ${i}`,
        project: project.id,
        assigned_to: staffMe.id,
        priority: priorities[i % 4],
        due_date: new Date(today.getTime() + i * 86400000).toISOString(),
      },
      admin,
    ).catch((e) => console.warn(`seed: task ${i}: ${e.message}`));
  }

  const channel = await call('POST', '/api/chat/channels/', { name: 'general', type: 'public', is_private: false }, admin);
  for (const content of ['Welcome to Tamiti Studio!', 'The demo data is loaded.'])
    await call('POST', '/api/chat/channel-messages/', { channel: channel.id, content }, admin);

  const ws = await call('POST', '/api/workspace/admin/register/', {
    full_name: 'Workspace Admin',
    email: WORKSPACE_ADMIN.email,
    password: WORKSPACE_ADMIN.password,
    confirm_password: WORKSPACE_ADMIN.password,
  });
  const wsToken = ws.token.access_token;
  const onboard = await call(
    'POST',
    '/api/workspace/admin/onboarding/',
    { workspace_name: 'Demo Spaces', company_email: 'info@spaces-demo.test', company_city: 'Kampala', company_country: 'Uganda' },
    wsToken,
  );
  const workspaceId = onboard.workspace?.id ?? onboard.data?.workspace_id ?? onboard.data?.id;
  const branch = await call(
    'POST',
    '/api/workspace/branches/create/',
    {
      workspace_id: workspaceId,
      name: 'Main Branch',
      address: '1 Demo Street',
      email: 'main@spaces-demo.test',
      city: 'Kampala',
      country: 'Uganda',
    },
    wsToken,
  );
  const branchId = branch.branch?.id ?? branch.data?.id;
  for (const [name, space_type, capacity, hourly_rate] of [
    ['Meeting Room A', 'meeting_room', 8, 75],
    ['Hot Desks', 'coworking', 20, 5],
    ['Private Office', 'private_office', 4, 50],
  ]) {
    await call(
      'POST',
      '/api/workspace/spaces/create/',
      {
        branch_id: branchId,
        name,
        space_type,
        capacity,
        hourly_rate,
        daily_rate: hourly_rate * 7,
        monthly_rate: hourly_rate * 100,
        amenities: ['WiFi', 'Coffee'],
      },
      wsToken,
    );
  }
  console.log('seed: done');
  printLogins(party.id);
} catch (err) {
  console.error(`seed: ${err.message}`);
  process.exitCode = 1;
} finally {
  stop();
}
