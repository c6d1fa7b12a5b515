import {
  PaginatedSocialPlatformProfileList,
  PatchedSocialPlatformProfile,
  SocialPlatformProfile,
  SocialPlatformProfile_READ_ONLY,
  SocialPlatformProfileRequest,
} from '../../contract/tamiti/social/platforms.gen';
import type { ResourceDef } from '../../core/resource';
import { socialPlatformProfiles } from '../../db/schema/social';
import { SERVER_OWNED } from '../content/filters';

/** `/api/social/platforms/`: one profile per platform (a second is a 400); nothing syncs. */
export const platformResource: ResourceDef<typeof socialPlatformProfiles> = {
  path: '/social/platforms/',
  operationId: 'social_platforms',
  tag: 'social',
  model: 'SocialPlatformProfile',
  table: socialPlatformProfiles,
  schemas: {
    read: SocialPlatformProfile,
    write: SocialPlatformProfileRequest,
    patch: PatchedSocialPlatformProfile,
    page: PaginatedSocialPlatformProfileList,
  },
  readOnly: [...SocialPlatformProfile_READ_ONLY, ...SERVER_OWNED],
  ordering: { platform: socialPlatformProfiles.platform, followers: socialPlatformProfiles.followers },
  uniques: { platform: 'social platform profile with this platform already exists.' },
};
