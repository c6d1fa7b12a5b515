/**
 * The contact-details rule itself (src/core/contact.ts): who sees whose email and phone, and how
 * usernames and names that are emails are masked.
 */
import { describe, expect, it } from 'vitest';
import { maySeeContact, publicName, publicUser, publicUsername } from '../../src/core/contact';

const staff = { id: 1, role: 'Staff' };
const admin = { id: 2, role: 'Admin' };
const subject = {
  id: 3,
  username: 'ann@example.com',
  email: 'ann@example.com',
  phone: '+256700000003',
  full_name: 'ann@example.com',
  first_name: 'Ann',
  last_name: '',
};

describe('contact rule (issue 14 #6)', () => {
  it('lets a user and Admins see the user’s contact details, nobody else (anonymous callers included)', () => {
    expect(maySeeContact(staff, 1)).toBe(true);
    expect(maySeeContact(admin, 3)).toBe(true);
    expect(maySeeContact(staff, 3)).toBe(false);
    expect(maySeeContact({ id: 4, role: 'Customer' }, 3)).toBe(false);
    expect(maySeeContact(undefined, 3)).toBe(false);
    expect(maySeeContact(staff, null)).toBe(false);
  });

  it('masks email, phone and email-like usernames and names for other viewers, keeps plain ones', () => {
    expect(publicUser(staff, subject)).toEqual({
      id: 3,
      username: 'user-3',
      email: null,
      phone: null,
      full_name: '',
      first_name: 'Ann',
      last_name: '',
    });
    expect(publicUser(admin, subject)).toEqual(subject);
    expect(publicUser({ id: 3, role: 'Customer' }, subject)).toEqual(subject);
    expect(publicUsername(staff, { id: 5, username: 'plain_name' })).toBe('plain_name');
    expect(publicUsername(staff, { id: 5, username: 'odd@name' })).toBe('user-5');
    expect(publicName(staff, 5, 'Ada Lovelace')).toBe('Ada Lovelace');
    expect(publicName(staff, 5, 'ada@example.com')).toBe('');
  });
});
