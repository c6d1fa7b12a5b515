import type { AreaSpec } from '../../core/router';

/**
 * The chat module's areas: channels (with their members, history and live room), channel messages,
 * direct threads (with their history and live room) and direct messages (each with its uploads).
 * A first request builds only the area it asks for (src/app.ts); a first list of channels or threads
 * builds only their resource (`reads`). Message areas mount `create-with-file/` beside `{id}/`
 * routes, which the RegExpRouter refuses: `trie`.
 */
export const chatAreas: AreaSpec[] = [
  {
    prefixes: ['/api/chat/channels/'],
    load: () =>
      Promise.all([import('./channels'), import('./channel-members'), import('./live')]).then(([c, m, l]) => [
        c.channelResource,
        m.mountChannelMembers,
        (app) => l.mountLive(app, 'channel'),
      ]),
    // A first list of channels builds neither the members' routes nor the history's and read state's.
    reads: { paths: ['/api/chat/channels/'], load: () => import('./channels').then((c) => [c.channelResource]) },
  },
  {
    prefixes: ['/api/chat/channel-messages/'],
    load: () =>
      Promise.all([import('./channel-messages'), import('./attachments')]).then(([m, a]) => [
        m.mountChannelMessageCreate,
        m.channelMessageResource,
        (app) => a.mountMessageFiles(app, 'channel'),
      ]),
    router: 'trie',
  },
  {
    prefixes: ['/api/chat/direct-threads/'],
    load: () =>
      Promise.all([import('./direct-threads'), import('./thread-actions'), import('./live')]).then(([t, a, l]) => [
        t.mountDirectThreadCreate,
        t.directThreadResource,
        a.mountThreadActions,
        (app) => l.mountLive(app, 'thread'),
      ]),
    // A first list of threads builds neither the thread actions' nor the live room's routes.
    reads: { paths: ['/api/chat/direct-threads/'], load: () => import('./direct-threads').then((t) => [t.directThreadResource]) },
  },
  {
    prefixes: ['/api/chat/direct-messages/'],
    load: () =>
      Promise.all([import('./direct-messages'), import('./attachments')]).then(([m, a]) => [
        m.mountDirectMessageCreate,
        m.directMessageResource,
        (app) => a.mountMessageFiles(app, 'thread'),
      ]),
    router: 'trie',
  },
];
