import { createRouter } from '../../core/router';
import { mountSummaries } from './summaries';

/** The dashboard module's routes: kpis and the six summaries. */
export function dashboardModule() {
  const app = createRouter();
  mountSummaries(app);
  return app;
}
