import type { AreaSpec } from '../../core/router';

/**
 * The assistants module's areas: chatting with an assistant (both of its paths), commands, default
 * responses, and the assistants themselves (the nested and named paths are longer prefixes than
 * `/api/assistants/`, so they answer first). A first request builds only the area it asks for
 * (src/app.ts). The order is the OpenAPI document's.
 */
export const assistantsAreas: AreaSpec[] = [
  {
    prefixes: ['/api/assistants/chat/', '/api/assistants/:id/chat/'],
    load: () => import('./chat').then((m) => [m.mountChat]),
    router: 'trie',
  },
  { prefixes: ['/api/assistants/commands/'], load: () => import('./commands').then((m) => [m.commandResource]) },
  {
    prefixes: ['/api/assistants/default-responses/'],
    load: () => import('./default-responses').then((m) => [m.defaultResponseResource]),
  },
  {
    prefixes: ['/api/assistants/'],
    load: () => import('./assistants').then((m) => [m.assistantResource]),
    reads: { paths: ['/api/assistants/'], load: () => import('./assistants').then((m) => [m.assistantList]) },
  },
];
