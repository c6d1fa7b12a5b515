/** Input keys the content and social resources never take from a client. */

/** Soft-delete markers are not client-writable (the original let clients PATCH them; §14.13). Deletes are hard. */
export const SERVER_OWNED = ['is_deleted', 'deleted_at'] as const;
