import { applyD1Migrations, env } from 'cloudflare:test';
import { loadAllModules } from '../src/app';

await applyD1Migrations(env.DB, (env as { TEST_MIGRATIONS?: Parameters<typeof applyD1Migrations>[1] }).TEST_MIGRATIONS ?? []);
// The Worker builds each module on first use with a dynamic import(). In production esbuild bundles
// those (no fetch); under vitest each dynamic import fetches the module from Vite, which stalls
// the pool when it happens inside a request. Loading every module here, outside any request,
// makes the requests' imports resolve from the module cache.
await loadAllModules();
