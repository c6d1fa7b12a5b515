/**
 * The suite's storage between files. The files run one after another in one isolate
 * (vitest.config.ts: `isolate: false`), so test/setup.ts empties storage before each file instead of
 * a fresh isolate giving it new storage: every table's rows (full-text indexes follow through their
 * triggers), every KV key and every stored file. Row ids keep counting up across files, so a file
 * never meets a previous file's chat room (one Durable Object per room id) or a KV entry keyed by an id.
 */
import { env } from 'cloudflare:test';

/** The tables that hold the product's rows: not SQLite's, D1's, the migrations' or a full-text index's. */
export async function storedTables(): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all<{
    name: string;
    sql: string | null;
  }>();
  const virtual = results.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql ?? '')).map((t) => t.name);
  return results
    .map((t) => t.name)
    .filter(
      (name) => !/^(sqlite_|_cf_)|^d1_migrations$/.test(name) && !virtual.some((v) => name === v || name.startsWith(`${v}_`)),
    );
}

/** Deletes every row, KV key and stored file. */
export async function emptyStorage() {
  const tables = await storedTables();
  // Deferred foreign keys: the tables empty in any order within the batch's one transaction.
  await env.DB.batch([
    env.DB.prepare('PRAGMA defer_foreign_keys = on'),
    ...tables.map((t) => env.DB.prepare(`DELETE FROM "${t}"`)),
  ]);
  for (let cursor: string | undefined, more = true; more; ) {
    const page = await env.KV.list({ cursor });
    await Promise.all(page.keys.map((k) => env.KV.delete(k.name)));
    more = !page.list_complete;
    cursor = page.list_complete ? undefined : page.cursor;
  }
  for (let cursor: string | undefined, more = true; more; ) {
    const page = await env.FILES.list({ cursor });
    if (page.objects.length) await env.FILES.delete(page.objects.map((o) => o.key));
    more = page.truncated;
    cursor = page.truncated ? page.cursor : undefined;
  }
}
