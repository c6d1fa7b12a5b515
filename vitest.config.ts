import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: 'test-secret-do-not-use-in-production',
            // Tests never reach the network: Google's endpoints point at a closed local port
            // (tests that need Google replace fetch with a fake).
            GOOGLE_TOKEN_URL: 'http://127.0.0.1:9/token',
            GOOGLE_JWKS_URL: 'http://127.0.0.1:9/certs',
          },
        },
      }),
    ],
    test: { setupFiles: ['./test/setup.ts'] },
  };
});
