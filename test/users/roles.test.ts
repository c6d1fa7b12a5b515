/**
 * Self-registration grants no internal access in production (issue 14, finding 4): Customers
 * until an Admin grants a role (PATCH /api/users/{id}/access/, the only operation that can) or a
 * trusted domain's address (STAFF_EMAIL_DOMAINS) is verified.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, cookieFrom, expectStatus, freshEmail, makeUser, PRODUCTION, userRow, waitForMail } from '../helpers';

/** These tests send parallel requests and wait for queued mail: generous on a loaded machine. */
const SLOW = 30_000;

describe('production registration default', { timeout: SLOW }, () => {
  it('a self-registered Tamiti user is a Customer with no internal access (it used to be Staff)', async () => {
    for (const overrides of [
      PRODUCTION,
      { ...PRODUCTION, REGISTRATION_DEFAULT_ROLE: undefined },
      { REGISTRATION_DEFAULT_ROLE: 'staff' },
    ]) {
      const u = await makeUser({ env: overrides });
      expect((await userRow('id = ?', u.id)).role).toBe('Customer');
      const me = await api('/api/users/me/', { token: u.token });
      expect(me.json.role).toBe('Customer');
      for (const path of ['/api/field/leads/', '/api/finance/accounts/']) {
        const res = await api(path, { token: u.token });
        expectStatus(res, 403);
      }
    }
  });

  it('local development keeps the permissive Staff default through REGISTRATION_DEFAULT_ROLE=Staff', async () => {
    const u = await makeUser({ env: { REGISTRATION_DEFAULT_ROLE: 'Staff' } });
    expect((await userRow('id = ?', u.id)).role).toBe('Staff');
  });
});

describe('STAFF_EMAIL_DOMAINS', { timeout: SLOW }, () => {
  const trusted = { ...PRODUCTION, STAFF_EMAIL_DOMAINS: 'tamiti.test, Staff.Example' };

  it('a trusted-domain user becomes Staff once the address is verified, not before', async () => {
    const u = await makeUser({ env: trusted, email: freshEmail('tamiti.test') });
    expect((await userRow('id = ?', u.id)).role).toBe('Customer');
    const [mail] = (await waitForMail(u.email)).filter((m) => m.subject === 'Verify your email address');
    const url = new URL(/https?:\/\/\S+verify-email\/\?\S+/.exec(mail.text)![0]);
    expectStatus(await api(`${url.pathname}${url.search}`, { env: trusted }), 200);
    expect((await userRow('id = ?', u.id)).role).toBe('Staff');
    // The Customer token died with the promotion (token version); a new sign-in is Staff.
    expectStatus(await api('/api/users/me/', { token: u.token }), 401);
    const login = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    expectStatus(await api('/api/field/leads/', { token: login.json.access }), 200);
  });

  it('other domains (a look-alike subdomain included) stay Customers after verification', async () => {
    for (const domain of ['example.com', 'evil.tamiti.test', 'tamiti.test.evil.com']) {
      const u = await makeUser({ env: trusted, email: freshEmail(domain) });
      const [mail] = (await waitForMail(u.email)).filter((m) => m.subject === 'Verify your email address');
      const url = new URL(/https?:\/\/\S+verify-email\/\?\S+/.exec(mail.text)![0]);
      expectStatus(await api(`${url.pathname}${url.search}`, { env: trusted }), 200);
      expect((await userRow('id = ?', u.id)).role, domain).toBe('Customer');
    }
  });
});

describe('PATCH /api/users/{id}/access/ (Admin only)', { timeout: SLOW }, () => {
  it('an Admin grants Staff to a Customer; the Customer token dies and the next one carries Staff', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const customer = await makeUser({ role: 'Customer' });
    const res = await api(`/api/users/${customer.id}/access/`, { method: 'PATCH', token: admin.token, body: { role: 'Staff' } });
    expectStatus(res, 200);
    expect(res.json).toEqual({ id: customer.id, username: customer.username, role: 'Staff', is_active: true });
    expectStatus(await api('/api/users/me/', { token: customer.token }), 401);
    const login = await api('/api/users/login/', { body: { username: customer.username, password: customer.password } });
    expectStatus(await api('/api/field/leads/', { token: login.json.access }), 200);
  });

  it('deactivation kills access and refresh tokens; reactivation lets the user sign in again', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const u = await makeUser();
    const login = await api('/api/users/login/', { body: { username: u.username, password: u.password } });
    const refresh = cookieFrom(login.headers, 'refresh_token')!;
    const off = await api(`/api/users/${u.id}/access/`, { method: 'PATCH', token: admin.token, body: { is_active: false } });
    expectStatus(off, 200);
    expectStatus(await api('/api/users/me/', { token: u.token }), 401);
    expectStatus(await api('/api/users/token/refresh/', { body: { refresh } }), 401);
    expectStatus(await api('/api/users/login/', { body: { username: u.username, password: u.password } }), 400);
    expectStatus(
      await api(`/api/users/${u.id}/access/`, { method: 'PATCH', token: admin.token, body: { is_active: true } }),
      200,
    );
    expectStatus(await api('/api/users/login/', { body: { username: u.username, password: u.password } }), 200);
  });

  it('Staff and Customers are refused, anonymous callers get 401, unknown ids 404, bad roles 400', async () => {
    const admin = await makeUser({ role: 'Admin' });
    const staff = await makeUser();
    const customer = await makeUser({ role: 'Customer' });
    for (const caller of [staff, customer]) {
      const res = await api(`/api/users/${caller.id}/access/`, { method: 'PATCH', token: caller.token, body: { role: 'Admin' } });
      expectStatus(res, 403);
    }
    expectStatus(await api(`/api/users/${staff.id}/access/`, { method: 'PATCH', body: { role: 'Admin' } }), 401);
    const unknown = await api('/api/users/99999999/access/', { method: 'PATCH', token: admin.token, body: { role: 'Staff' } });
    expectStatus(unknown, 404);
    const bad = await api(`/api/users/${staff.id}/access/`, { method: 'PATCH', token: admin.token, body: { role: 'Owner' } });
    expectStatus(bad, 400);
    expect(bad.json.role).toEqual(['"Owner" is not a valid choice.']);
    expect((await userRow('id = ?', staff.id)).role).toBe('Staff');
  });

  it('an Admin cannot change their own role or deactivate themselves', async () => {
    const admin = await makeUser({ role: 'Admin' });
    for (const body of [{ role: 'Staff' }, { is_active: false }]) {
      const res = await api(`/api/users/${admin.id}/access/`, { method: 'PATCH', token: admin.token, body });
      expectStatus(res, 400);
      expect(res.json.non_field_errors[0]).toMatch(/^You cannot/);
    }
    expect((await env.DB.prepare('SELECT role FROM users WHERE id = ?').bind(admin.id).first<any>()).role).toBe('Admin');
  });

  it('is documented, with bearer security', async () => {
    const doc = (await api('/api/schema/')).json;
    expect(doc.paths['/api/users/{id}/access/'].patch.operationId).toBe('users_access_partial_update');
    expect(doc.paths['/api/users/{id}/access/'].patch.security).toEqual([{ jwtAuth: [] }]);
  });
});
