import type { AreaSpec } from '../../core/router';

/**
 * The field module's areas, one per resource: a first request builds only the resource it asks for
 * (src/app.ts). The order is the OpenAPI document's.
 */
export const fieldAreas: AreaSpec[] = [
  { prefixes: ['/api/field/actions/'], load: () => import('./actions').then((m) => [m.leadActionResource]) },
  {
    prefixes: ['/api/field/leads/'],
    load: () => import('./leads').then((m) => [m.leadResource]),
    router: 'trie',
    // A first list builds neither the lead's writes, its detail nor its `hot/` view.
    reads: { paths: ['/api/field/leads/'], load: () => import('./leads').then((m) => [m.leadList]) },
  },
  {
    prefixes: ['/api/field/visits/'],
    load: () =>
      Promise.all([import('./visits'), import('./convert-to-lead')]).then(([v, c]) => [v.visitResource, c.mountConvertToLead]),
  },
  { prefixes: ['/api/field/zones/'], load: () => import('./zones').then((m) => [m.zoneResource]) },
];
