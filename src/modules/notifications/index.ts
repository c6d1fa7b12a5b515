import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { deadLetterResource } from './dead-letters';
import { mountMarkRead } from './mark-read';
import { notificationResource } from './notifications';

/** The notifications module's routes (static paths before `{id}` ones). */
export function notificationsModule() {
  const app = createRouter();
  mountResource(app, deadLetterResource);
  mountMarkRead(app);
  mountResource(app, notificationResource);
  return app;
}
