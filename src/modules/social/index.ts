import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { commentResource } from './comments';
import { metricResource } from './metrics';
import { platformResource } from './platforms';
import { postResource } from './posts';

/** The social module's routes: posts, their comments and metrics, and platform profiles. */
export function socialModule() {
  const app = createRouter();
  mountResource(app, postResource);
  mountResource(app, commentResource);
  mountResource(app, metricResource);
  mountResource(app, platformResource);
  return app;
}
