/**
 * Every module's router, in mounting order. A module is a folder under src/modules with an
 * index.ts exporting its router.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { accountsModule } from './accounts';
import { assistantsModule } from './assistants';
import { bookingsModule } from './bookings';
import { chatModule } from './chat';
import { contentModule } from './content';
import { dashboardModule } from './dashboard';
import { devRoutes } from './dev/mailbox';
import { fieldModule } from './field';
import { financeModule } from './finance';
import { notificationsModule } from './notifications';
import { projectsModule } from './projects';
import { socialModule } from './social';
import { tasksModule } from './tasks';
import { usersModule } from './users';
import { workspaceModule } from './workspace';

export const modules: OpenAPIHono<AppEnv>[] = [
  usersModule(),
  accountsModule(),
  fieldModule(),
  financeModule(),
  projectsModule(),
  tasksModule(),
  chatModule(),
  assistantsModule(),
  notificationsModule(),
  dashboardModule(),
  contentModule(),
  socialModule(),
  workspaceModule(),
  bookingsModule(),
  devRoutes(),
];
