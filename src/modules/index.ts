/**
 * Every module's router, in mounting order. A module is a folder under src/modules with an
 * index.ts exporting its router; add it here.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { devRoutes } from './dev/mailbox';
import { usersModule } from './users';

export const modules: OpenAPIHono<AppEnv>[] = [usersModule(), devRoutes()];
