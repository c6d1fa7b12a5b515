import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { assistantResource } from './assistants';
import { mountChat } from './chat';
import { commandResource } from './commands';
import { defaultResponseResource } from './default-responses';

/** The assistants module's routes (static paths before `{id}` ones). */
export function assistantsModule() {
  const app = createRouter();
  mountChat(app);
  mountResource(app, commandResource);
  mountResource(app, defaultResponseResource);
  mountResource(app, assistantResource);
  return app;
}
