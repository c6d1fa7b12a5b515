/**
 * `/api/chat/channels/`: public channels are visible to staff, private ones to their members only
 * (404 otherwise); a Customer sees only the channels staff added them to. The creator (never a
 * Customer) joins as an admin; the creator or an admin updates or deletes (soft). `type` and
 * `is_private` are kept consistent. Each channel embeds at most MEMBERS_EMBEDDED members (all of
 * them through `members/`).
 */
import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import {
  Channel,
  Channel_READ_ONLY,
  ChannelRequest,
  PaginatedChannelList,
  PatchedChannel,
} from '../../contract/tamiti/chat/channels.gen';
import { drf } from '../../core/errors';
import { type Check, idByUuid, type Kit, type ResourceDef, type Row } from '../../core/resource';
import { groupBy } from '../../db';
import { chatChannelMembers, chatChannels } from '../../db/schema/chat';
import { MEMBERS_EMBEDDED } from './frames';
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

/**
 * Creator or admin member, never a Customer: a check in the write's first round trip (with the
 * row, which says who created it), 403 otherwise.
 */
function adminCheck(k: Kit, channelId: number): Check {
  return {
    stmt: k.db
      .select({ is_admin: chatChannelMembers.is_admin })
      .from(chatChannelMembers)
      .where(and(eq(chatChannelMembers.channel, channelId), eq(chatChannelMembers.user, k.user.id)))
      .limit(1),
    verify: (rows, existing) => {
      const admin = k.user.role !== 'Customer' && (existing?.created_by === k.user.id || !!rows[0]?.is_admin);
      if (!admin) throw drf.forbidden();
      return undefined;
    },
  };
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

export const channelResource: ResourceDef<typeof chatChannels> = {
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
  scope: (k) =>
    k.user.role === 'Customer'
      ? inArray(chatChannels.id, memberChannelIds(k.db, k.user.id))
      : or(eq(chatChannels.is_private, false), inArray(chatChannels.id, memberChannelIds(k.db, k.user.id))),
  can: (k, action) => {
    if (action === 'create' && k.user.role === 'Customer') throw drf.forbidden('Customers cannot create channels.');
    return true;
  },
  checks: (k, _values, _existing, target) => (target.action === 'update' ? [adminCheck(k, target.id!)] : []),
  destroyChecks: (k, id) => [adminCheck(k, id)],
  prepare: (k, input, existing) => {
    const values = consistentPrivacy(input, existing);
    if (!existing) values.created_by = k.user.id;
    return values;
  },
  sideEffects: (k, ev) =>
    ev.action === 'create'
      ? [
          k.db.insert(chatChannelMembers).values({
            channel: idByUuid(chatChannels, ev.values.uuid as string),
            user: k.user.id,
            is_admin: true,
          }),
        ]
      : [],
  after: async (k, ev) => {
    // Sockets of a deleted channel are closed: nobody may read it any more.
    if (ev.action === 'destroy') await roomStub(k.env, { kind: 'channel', id: ev.existing!.id }).disconnect();
  },
  expansion: {
    load: (k, ids) => [firstMembersStmt(k, ids)],
    attach: (_k, rows, [members]) => {
      const byChannel = groupBy(members as MemberRow[], 'channel');
      return rows.map((r) => ({ ...r, members: ((byChannel.get(r.id) ?? []) as MemberRow[]).map(memberBody) }));
    },
  },
};

/**
 * The first MEMBERS_EMBEDDED memberships (id order) of each channel of `ids`, as one statement for
 * the rows' batch: each channel's memberships are read from its index, MEMBERS_EMBEDDED deep.
 */
function firstMembersStmt(k: Kit, ids: SQL) {
  const m = chatChannelMembers;
  return k.db
    .select()
    .from(m)
    .where(
      sql`${m.channel} in ${ids} and ${m.id} in (select m2.id from chat_channel_members m2 where m2.channel_id = ${m.channel} order by m2.id limit ${MEMBERS_EMBEDDED})`,
    )
    .orderBy(asc(m.channel), asc(m.id));
}
