import { createRouter } from '../../core/router';
import { mountTasks } from './tasks';
import { mountToggle } from './toggle';

/** The tasks module's routes. */
export function tasksModule() {
  const app = createRouter();
  mountToggle(app);
  mountTasks(app);
  return app;
}
