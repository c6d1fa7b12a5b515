/**
 * The one rule for another user's contact details, applied by every serializer that shows a user
 * other than the caller.
 *
 * - A user's email and phone are shown to that user and to Admins; to anyone else they are null.
 * - A username or display name that is (or looks like) an email address is contact data too: the
 *   workspace family and Google sign-in derive usernames from emails, and Tamiti usernames may contain
 *   `@`. For other viewers such a username becomes `user-<id>` and such a name becomes `""`.
 * - Anything else about a user (id, a plain username, a plain name) is public to signed-in callers.
 */

/** Who is looking: the caller's id and role (undefined for anonymous callers, who see no contact data). */
export interface Viewer {
  id: number;
  role: string;
}

/** True when `viewer` may see the contact details (email, phone) of user `subjectId`. */
export function maySeeContact(viewer: Viewer | undefined, subjectId: number | null | undefined): boolean {
  if (!viewer) return false;
  return viewer.role === 'Admin' || (subjectId != null && viewer.id === subjectId);
}

/** True for text that is, or looks like, an email address (anything with an `@`). */
export const looksLikeEmail = (value: string | null | undefined): boolean => !!value && value.includes('@');

/** An email or phone as `viewer` may see it: the value, or null. */
export function contactField<T extends string | null | undefined>(
  viewer: Viewer | undefined,
  subjectId: number | null | undefined,
  value: T,
): T | null {
  return maySeeContact(viewer, subjectId) ? value : null;
}

/** The handle shown instead of an email-like username. */
export const maskedUsername = (id: number) => `user-${id}`;

/** A username as `viewer` may see it: `user-<id>` when it is email-like and the viewer may not see contacts. */
export function publicUsername(viewer: Viewer | undefined, user: { id: number; username: string }): string {
  return looksLikeEmail(user.username) && !maySeeContact(viewer, user.id) ? maskedUsername(user.id) : user.username;
}

/** A display name (full name) as `viewer` may see it: `""` when it is email-like and the viewer may not see contacts. */
export function publicName(viewer: Viewer | undefined, userId: number | null | undefined, name: string): string {
  return looksLikeEmail(name) && !maySeeContact(viewer, userId) ? '' : name;
}

/** The user fields this module knows how to mask. */
export interface UserFields {
  id: number;
  username?: string;
  email?: string | null;
  phone?: string | null;
  full_name?: string;
  first_name?: string;
  last_name?: string;
}

/**
 * A user's public fields as `viewer` may see them: email and phone null unless allowed, email-like
 * usernames and names masked. Other fields pass through unchanged.
 */
export function publicUser<T extends UserFields>(viewer: Viewer | undefined, user: T): T {
  if (maySeeContact(viewer, user.id)) return user;
  const out = { ...user };
  if ('email' in user) out.email = null;
  if ('phone' in user) out.phone = null;
  if (user.username !== undefined) out.username = publicUsername(viewer, { id: user.id, username: user.username });
  for (const key of ['full_name', 'first_name', 'last_name'] as const) {
    const value = user[key];
    if (value !== undefined) out[key] = publicName(viewer, user.id, value);
  }
  return out;
}
