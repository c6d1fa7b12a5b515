/**
 * The request's database. Every request talks to D1 through one Sessions API session (reads may be
 * served by the nearest read replica; writes start at the primary; the session's bookmark goes back
 * to the client as `x-d1-bookmark`), seen through a thin D1-shaped wrapper that drizzle runs on:
 *
 * - **Round trips are counted**: a statement run alone or one `batch` is one round trip.
 * - **Authorization rides the first round trip**: a protected request arms a guard statement that
 *   checks the caller's user row (active, token version). The guard is put in front of the first
 *   statement or batch the request sends, so it costs no round trip of its own; when it fails, the
 *   whole batch aborts (D1 runs a batch as one transaction) and nothing it contained is written.
 * - **Batched SELECTs keep every column**: D1 returns batch rows as objects, so two columns named
 *   `id` (a join) would collapse and drizzle, which maps batch rows by position, would misread the
 *   rest. Batched SELECTs are run as `select * from (<sql>)`, which names duplicates `id:1`.
 */

/** Why a guard refused the request (the guard's SQL raises an error carrying the reason). */
export type GuardFailure = 'token_revoked' | 'user_inactive';

/** Thrown by the first round trip of a request whose guard failed. */
export class GuardError extends Error {
  constructor(readonly reason: GuardFailure) {
    super(`authorization guard failed: ${reason}`);
  }
}

type Mode = 'all' | 'raw' | 'run' | 'first';

/** What drizzle needs of a D1 database: `prepare` and `batch`. */
interface D1Like {
  prepare(query: string): D1PreparedStatement;
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

const GUARD_ERROR = /auth_guard:(token_revoked|user_inactive)/;

/** D1 errors carry the SQLite message in `message` or in `cause.message`. */
export function errorText(err: unknown): string {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | undefined;
  return `${String(e?.message ?? err)} ${String(e?.cause?.message ?? '')}`;
}

/** A prepared statement of the wrapper: keeps its SQL and parameters, runs through the connection. */
class Statement {
  constructor(
    private readonly conn: Connection,
    readonly sql: string,
    readonly params: unknown[] = [],
  ) {}

  bind(...values: unknown[]) {
    return new Statement(this.conn, this.sql, values);
  }
  all() {
    return this.conn.single(this, 'all');
  }
  raw(options?: { columnNames?: boolean }) {
    if (options?.columnNames) return this.conn.real(this).raw({ columnNames: true });
    return this.conn.single(this, 'raw');
  }
  run() {
    return this.conn.single(this, 'run');
  }
  first(column?: string) {
    return this.conn.single(this, 'first', column);
  }
}

/** Whether a statement is a plain SELECT (the only kind that can be wrapped in a subquery). */
const isSelect = (sql: string) => /^\s*select\b/i.test(sql);

/**
 * The connection behind a request's drizzle instance. Build one with `openConnection`; hand
 * `conn.d1` to drizzle.
 */
export class Connection {
  /** Statements or batches sent so far (each one D1 round trip). */
  roundTrips = 0;
  private guard: { sql: string; params: unknown[] } | undefined;

  constructor(readonly session: D1Like & { getBookmark?: () => string | null }) {}

  /** The D1-shaped object drizzle runs on. */
  get d1(): D1Database {
    const d1 = {
      prepare: (sql: string) => new Statement(this, sql),
      batch: (statements: Statement[]) => this.batch(statements),
    };
    // workers-types declares D1Database and D1PreparedStatement as classes (exec, withSession, dump,
    // raw's overloads...); drizzle calls only `prepare`, the statements' methods above, and `batch`
    // with statements from this `prepare`.
    return d1 as unknown as D1Database;
  }

  /** Puts a statement in front of the next round trip; it must raise `GuardFailure` to refuse. */
  armGuard(sql: string, params: unknown[]) {
    this.guard = { sql, params };
  }

  /** Whether a guard is still waiting for a round trip to ride. */
  get guardPending() {
    return this.guard !== undefined;
  }

  /** Runs the pending guard alone (for a request that reached the end without touching D1). */
  async settleGuard(): Promise<void> {
    if (!this.guard) return;
    await this.batch([]);
  }

  /** The session's bookmark: the point in time a follow-up request must see. */
  bookmark(): string | null {
    return this.session.getBookmark?.() ?? null;
  }

  /** The real D1 statement for a wrapper statement. */
  real(stmt: Statement): D1PreparedStatement {
    const prepared = this.session.prepare(stmt.sql);
    return stmt.params.length ? prepared.bind(...stmt.params) : prepared;
  }

  /** Runs one statement: alone, or behind the pending guard. */
  async single(stmt: Statement, mode: Mode, column?: string): Promise<unknown> {
    if (!this.guard) {
      this.roundTrips++;
      const real = this.real(stmt);
      if (mode === 'first') return column === undefined ? real.first() : real.first(column);
      return real[mode]();
    }
    const [result] = await this.batch([stmt]);
    const rows = result.results as Record<string, unknown>[];
    if (mode === 'all' || mode === 'run') return result;
    if (mode === 'raw') return rows.map((row) => Object.values(row));
    const first = rows[0] ?? null;
    return column === undefined || first === null ? first : (first[column] ?? null);
  }

  /** Runs statements as one batch (one transaction, one round trip), the pending guard first. */
  async batch(statements: Statement[]): Promise<D1Result[]> {
    const guard = this.guard;
    this.guard = undefined;
    const real = statements.map((s) =>
      this.real(isSelect(s.sql) ? new Statement(this, `select * from (${s.sql})`, s.params) : s),
    );
    if (guard) real.unshift(this.real(new Statement(this, guard.sql, guard.params)));
    if (!real.length) return [];
    this.roundTrips++;
    try {
      const results = await this.session.batch(real);
      return guard ? results.slice(1) : results;
    } catch (err) {
      const failure = guard ? GUARD_ERROR.exec(errorText(err)) : null;
      if (failure) throw new GuardError(failure[1] as GuardFailure);
      throw err;
    }
  }
}

/** D1 bookmarks are dash-separated hex fields; anything else from a client is ignored. */
const BOOKMARK = /^[0-9a-f]{1,64}(-[0-9a-f]{1,64}){2,6}$/i;

/** Where a request's session starts: reads anywhere (or at a client's bookmark), writes at the primary. */
export function sessionConstraint(method: string, bookmark: string | undefined | null): string {
  if (method === 'GET' || method === 'HEAD') return bookmark && BOOKMARK.test(bookmark) ? bookmark : 'first-unconstrained';
  return 'first-primary';
}

/**
 * Opens the request's connection on a D1 binding: a Sessions API session when the binding has one
 * (every D1 binding does; a plain test double may not).
 */
export function openConnection(binding: D1Database, method: string, bookmark?: string | null): Connection {
  const session = typeof binding.withSession === 'function' ? binding.withSession(sessionConstraint(method, bookmark)) : binding;
  return new Connection(session as D1Like);
}
