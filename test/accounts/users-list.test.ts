import { beforeAll, describe, expect, it } from 'vitest';
import { api, contactLeaks, emailLikeUser, expectStatus, makeUser, type TestUser } from '../helpers';

let staff: TestUser;
let admin: TestUser;
let customer: TestUser;
beforeAll(async () => {
  [staff, admin, customer] = await Promise.all([
    makeUser({ prefix: 'ulstaff' }),
    makeUser({ role: 'Admin' }),
    makeUser({ role: 'Customer' }),
  ]);
});

const base = '/api/accounts/users-list/';

describe('users-list', () => {
  it('lists users by id with nested profiles and pagination', async () => {
    const res = await api(`${base}?page_size=100`, { token: admin.token });
    expectStatus(res, 200);
    const ids = res.json.results.map((r: { id: number }) => r.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => a - b));
    const me = res.json.results.find((r: { id: number }) => r.id === staff.id);
    expect(Object.keys(me).sort()).toEqual([
      'customer_profile',
      'email',
      'id',
      'is_active',
      'phone',
      'role',
      'staff_profile',
      'username',
    ]);
    expect(me).toMatchObject({
      username: staff.username,
      email: staff.email,
      role: 'Staff',
      is_active: true,
      customer_profile: null,
    });
    expect(me.staff_profile).toMatchObject({ user: staff.id, is_deleted: false });
    const page = await api(`${base}?page_size=1&page=2`, { token: admin.token });
    expect(page.json.results[0].id).toBe(ids[1]);
  });

  it("only Admin sees other users' email/phone; others get null for other users (deliberate: the original exposed them)", async () => {
    const asStaff = await api(`${base}${admin.id}/`, { token: staff.token });
    expectStatus(asStaff, 200);
    expect(asStaff.json.email).toBeNull();
    expect(asStaff.json.phone).toBeNull();
    expect(asStaff.json.username).toBe(admin.username);
    const self = await api(`${base}${staff.id}/`, { token: staff.token });
    expect(self.json.email).toBe(staff.email);
    const asAdmin = await api(`${base}${staff.id}/`, { token: admin.token });
    expect(asAdmin.json.email).toBe(staff.email);
    const list = await api(`${base}?page_size=100`, { token: staff.token });
    for (const u of list.json.results) if (u.id !== staff.id) expect(u.email, `user ${u.id}`).toBeNull();
  });

  it('searches username for everyone, email only for Admins (a hidden field cannot be probed)', async () => {
    const byName = await api(`${base}?search=${staff.username}`, { token: staff.token });
    expect(byName.json.results.map((r: { id: number }) => r.id)).toEqual([staff.id]);
    const hidden = await api(`${base}?search=${encodeURIComponent(admin.email)}`, { token: staff.token });
    expect(hidden.json.count).toBe(0);
    const adminSearch = await api(`${base}?search=${encodeURIComponent(admin.email)}`, { token: admin.token });
    expect(adminSearch.json.results.map((r: { id: number }) => r.id)).toEqual([admin.id]);
  });

  it('hides a soft-deleted staff profile (null)', async () => {
    const u = await makeUser();
    const profile = (await api(`${base}${u.id}/`, { token: staff.token })).json.staff_profile;
    await api(`/api/accounts/staff-profiles/${profile.id}/`, { method: 'DELETE', token: staff.token });
    expect((await api(`${base}${u.id}/`, { token: staff.token })).json.staff_profile).toBeNull();
  });

  it('is read-only (405) and 404s for unknown users', async () => {
    expectStatus(await api(base, { token: admin.token, body: { username: 'x' } }), 405);
    expectStatus(await api(`${base}${staff.id}/`, { method: 'DELETE', token: admin.token }), 405);
    const missing = await api(`${base}99999999/`, { token: admin.token });
    expectStatus(missing, 404);
    expect(missing.json).toEqual({ detail: 'No User matches the given query.' });
  });

  it('refuses customers (403) and anonymous callers (401)', async () => {
    expectStatus(await api(base, { token: customer.token }), 403);
    expectStatus(await api(`${base}${staff.id}/`, { token: customer.token }), 403);
    expectStatus(await api(base), 401);
  });
});

describe('users-list and usernames that are emails (contact details, issue 14 #6)', () => {
  it('masks another user’s email-like username as user-<id> for non-Admins, in the list and the detail', async () => {
    const mailer = await emailLikeUser();
    const detail = await api(`${base}${mailer.id}/`, { token: staff.token });
    expectStatus(detail, 200);
    expect(detail.json).toMatchObject({ id: mailer.id, username: `user-${mailer.id}`, email: null, phone: null });
    expect(contactLeaks(detail.text, mailer), detail.text).toEqual([]);
    // The list is ordered by id and the mailer is the newest user: the last page holds it.
    const { count } = (await api(`${base}?page_size=1`, { token: staff.token })).json;
    const list = await api(`${base}?page_size=100&page=${Math.ceil(count / 100)}`, { token: staff.token });
    expectStatus(list, 200);
    expect(list.json.results.map((u: { id: number }) => u.id)).toContain(mailer.id);
    expect(contactLeaks(list.text, mailer), list.text).toEqual([]);
    const own = await api(`${base}${mailer.id}/`, { token: mailer.token });
    expect(own.json).toMatchObject({ username: mailer.email, email: mailer.email, phone: mailer.phone });
    const asAdmin = await api(`${base}${mailer.id}/`, { token: admin.token });
    expect(asAdmin.json).toMatchObject({ username: mailer.email, email: mailer.email, phone: mailer.phone });
  });

  it('does not let a non-Admin find a user by an email-like username (the search would confirm the email)', async () => {
    const mailer = await emailLikeUser();
    const probe = await api(`${base}?search=${encodeURIComponent(mailer.email)}`, { token: staff.token });
    expectStatus(probe, 200);
    expect(probe.json.count, probe.text).toBe(0);
    const self = await api(`${base}?search=${encodeURIComponent(mailer.email)}`, { token: mailer.token });
    expect(self.json.results.map((r: { id: number }) => r.id)).toEqual([mailer.id]);
    const asAdmin = await api(`${base}?search=${encodeURIComponent(mailer.email)}`, { token: admin.token });
    expect(asAdmin.json.results.map((r: { id: number }) => r.id)).toEqual([mailer.id]);
  });
});
