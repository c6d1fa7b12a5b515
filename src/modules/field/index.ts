import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { leadActionResource } from './actions';
import { mountConvertToLead } from './convert-to-lead';
import { leadResource } from './leads';
import { visitResource } from './visits';
import { zoneResource } from './zones';

/** The field module's routes. */
export function fieldModule() {
  const app = createRouter();
  mountResource(app, leadActionResource);
  mountResource(app, leadResource);
  mountResource(app, visitResource);
  mountConvertToLead(app);
  mountResource(app, zoneResource);
  return app;
}
