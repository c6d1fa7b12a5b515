import { defineConfig } from 'drizzle-kit';

// Schema: one file per module in src/db/schema; SQL migrations are applied by wrangler and by test/setup.ts.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema/*.ts',
  out: './migrations',
});
