import { mountResource } from '../../core/resource';
import { createRouter } from '../../core/router';
import { mountAttachmentUploads, mountCreateWithFile } from './attachments';
import { mountChannelMembers } from './channel-members';
import { channelMessageResource, mountChannelMessageCreate } from './channel-messages';
import { channelResource } from './channels';
import { directMessageResource, mountDirectMessageCreate } from './direct-messages';
import { directThreadResource, mountDirectThreadCreate } from './direct-threads';
import { mountLive } from './live';
import { mountThreadActions } from './thread-actions';

/** The chat module's routes: channels, direct threads, their messages, and the live rooms. */
export function chatModule() {
  const app = createRouter();
  mountResource(app, channelResource);
  mountChannelMembers(app);
  mountChannelMessageCreate(app);
  mountResource(app, channelMessageResource);
  mountDirectThreadCreate(app);
  mountResource(app, directThreadResource);
  mountThreadActions(app);
  mountDirectMessageCreate(app);
  mountResource(app, directMessageResource);
  mountAttachmentUploads(app);
  mountCreateWithFile(app);
  mountLive(app);
  return app;
}
