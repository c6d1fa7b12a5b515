/**
 * `/api/chat/channels/`: public channels are visible to everyone, private ones to their members
 * only (404 otherwise). The creator joins as an admin; the creator or an admin updates or deletes
 * (soft). `type` and `is_private` are kept consistent.
 */
import { and, eq, inArray, or } from 'drizzle-orm';
import { Channel, ChannelRequest, Channel_READ_ONLY, PaginatedChannelList, PatchedChannel } from '../../contract/tamiti.gen';
import { drf } from '../../core/errors';
import { childrenOf, idByUuid, type Kit, type ResourceDef, type Row, type Stmt } from '../../core/resource';
import { chatChannelMembers, chatChannels } from '../../db/schema/chat';
import { memberChannelIds, roomStub } from './rooms';

type MemberRow = typeof chatChannelMembers.$inferSelect;

/** A membership in the contract's ChannelMember shape. */
export const memberBody = (m: MemberRow) => ({
  id: m.id,
  channel: m.channel,
  user: m.user,
  is_admin: m.is_admin,
  joined_at: m.joined_at,
});

/** Creator or admin member. */
async function isAdmin(k: Kit, row: Row): Promise<boolean> {
  if (row.created_by === k.user.id) return true;
  const [m] = await k.db
    .select({ is_admin: chatChannelMembers.is_admin })
    .from(chatChannelMembers)
    .where(and(eq(chatChannelMembers.channel, row.id), eq(chatChannelMembers.user, k.user.id)))
    .limit(1);
  return !!m?.is_admin;
}

/** `type: private` and `is_private` say the same thing; whichever one a write gives sets the other. */
function consistentPrivacy(input: Record<string, unknown>, existing?: Row): Record<string, unknown> {
  const type = input.type as string | undefined;
  const priv = input.is_private as boolean | undefined;
  if (type !== undefined && priv !== undefined) {
    if ((type === 'private' && !priv) || (type === 'public' && priv))
      throw drf.field('is_private', `A ${type} channel cannot have is_private=${priv}.`);
    return input;
  }
  if (type === 'private' || type === 'public') return { ...input, is_private: type === 'private' };
  if (priv !== undefined && (existing?.type ?? 'public') !== 'direct') return { ...input, type: priv ? 'private' : 'public' };
  return input;
}

export const channelResource: ResourceDef = {
  path: '/chat/channels/',
  operationId: 'chat_channels',
  tag: 'chat',
  model: 'Channel',
  table: chatChannels,
  schemas: { read: Channel, write: ChannelRequest, patch: PatchedChannel, page: PaginatedChannelList },
  // The reference marks created_by writable; the server sets it (behaviour notes, section 8).
  readOnly: [...Channel_READ_ONLY, 'created_by'],
  audience: 'any',
  softDelete: true,
  scope: (k) => or(eq(chatChannels.is_private, false), inArray(chatChannels.id, memberChannelIds(k.db, k.user.id))),
  can: (k, action, row) => (action === 'update' || action === 'partial_update' || action === 'destroy' ? isAdmin(k, row!) : true),
  prepare: (k, input, existing) => {
    const values = consistentPrivacy(input, existing);
    if (!existing) values.created_by = k.user.id;
    return values;
  },
  sideEffects: (k, ev) =>
    ev.action === 'create'
      ? [
          k.db.insert(chatChannelMembers).values({
            channel: idByUuid(chatChannels, ev.values.uuid as string) as unknown as number,
            user: k.user.id,
            is_admin: true,
          }) as unknown as Stmt,
        ]
      : [],
  after: async (k, ev) => {
    // Sockets of a deleted channel are closed: nobody may read it any more.
    if (ev.action === 'destroy') await roomStub(k.c.env, { kind: 'channel', id: ev.existing!.id }).disconnect();
  },
  expand: async (k, rows) => {
    const members = await childrenOf<MemberRow>(
      k.db,
      chatChannelMembers,
      chatChannelMembers.channel,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, members: (members.get(r.id) ?? []).map(memberBody) }));
  },
};
