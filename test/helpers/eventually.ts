/** The one polling helper: the queue consumer, Durable Objects and R2 clean-ups run after the response. */

/**
 * Calls `probe` until it returns a truthy value and returns that value; fails after `timeoutMs`
 * with `message` (given the last value seen, for the assertion message).
 */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  opts: { timeoutMs?: number; intervalMs?: number; message?: string | ((last: T | null | undefined | false) => string) } = {},
): Promise<T> {
  const { timeoutMs = 8000, intervalMs = 100 } = opts;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const message = typeof opts.message === 'function' ? opts.message(value) : opts.message;
      throw new Error(`${message ?? 'condition not met'} after ${timeoutMs} ms`);
    }
    await sleep(intervalMs);
  }
}

/** Waits `ms` (for "nothing else happens" checks, after which a test asserts what did not arrive). */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
