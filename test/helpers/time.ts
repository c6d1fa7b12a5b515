/** Dates as the APIs take them. */

/** Today's UTC date shifted by `days` (today when omitted), YYYY-MM-DD. */
export const day = (days = 0) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
