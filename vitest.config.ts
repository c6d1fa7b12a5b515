import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

/**
 * The test environment. wrangler.toml's top level is production (no dev mailbox, no console mail,
 * Customers by default); the tests get their own values here, set explicitly so a developer's
 * .dev.vars never changes what the suite sees.
 */
const TEST_VARS = {
  ENVIRONMENT: 'test',
  EMAIL_TRANSPORT: 'console',
  EMAIL_API_URL: '',
  CORS_ORIGINS: 'http://localhost:3000,http://localhost:5173',
  // The seed's flows act as a freshly registered Staff user; production's default is Customer.
  REGISTRATION_DEFAULT_ROLE: 'Staff',
  STAFF_EMAIL_DOMAINS: '',
  JWT_SECRET: 'test-secret-do-not-use-in-production',
  GOOGLE_CLIENT_ID: 'local-google-client-id',
  GOOGLE_CLIENT_SECRET: 'test-google-client-secret',
  GOOGLE_REDIRECT_URI: 'http://localhost:8787/api/auth/google/callback',
  // Tests never reach the network: Google's endpoints are answered by the outbound fake below
  // (tests that need a working Google replace fetch with their own fake).
  GOOGLE_TOKEN_URL: 'https://google.test/token',
  GOOGLE_JWKS_URL: 'https://google.test/certs',
  // No info line per request, queue batch or room event (test/platform/logs.test.ts turns them on).
  LOG_EVENTS: 'off',
};

/**
 * Every outbound fetch of the Worker in tests: Google's token endpoint refuses any code as the
 * real one refuses a bad code (400 invalid_grant); nothing else is reachable.
 */
function outbound(request: Request) {
  if (request.url === TEST_VARS.GOOGLE_TOKEN_URL) return Response.json({ error: 'invalid_grant' }, { status: 400 });
  return new Response('tests do not reach the network', { status: 599 });
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations('./migrations');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            ...TEST_VARS,
            TEST_MIGRATIONS: migrations,
          },
          outboundService: outbound,
        },
      }),
    ],
    test: {
      setupFiles: ['./test/setup.ts'],
      // One isolate for the files, one after another: a fresh isolate per file re-imported the Worker
      // and its test helpers from Vite each time (about 2.5 s a file, two thirds of the suite's time).
      // Each file still starts from empty storage (test/setup.ts).
      isolate: false,
      // Console output goes straight to stdout. Intercepted, a log written by the queue consumer
      // (another I/O context) as a file ends is parked and the run waits for it forever
      // (cloudflare/workers-sdk#15498, #15719): the suite stalled after test/contract/.
      disableConsoleIntercept: true,
    },
  };
});
