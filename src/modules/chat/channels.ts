/**
 * `/api/chat/channels/`: public channels are visible to staff, private ones to their members only
 * (404 otherwise); a Customer sees only the channels staff added them to. The creator (never a
 * Customer) joins as an admin; the creator or an admin updates or deletes (soft). `type` and
 * `is_private` are kept consistent. Each channel embeds at most MEMBERS_EMBEDDED members (all of
 * them through `members/`).
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { Channel, ChannelRequest, Channel_READ_ONLY, PaginatedChannelList, PatchedChannel } from '../../contract/tamiti/chat.gen';
import { drf } from '../../core/errors';
import { idByUuid, type Kit, type ResourceDef, type Row, type Stmt } from '../../core/resource';
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

/** Creator or admin member; never a Customer. */
async function isAdmin(k: Kit, row: Row): Promise<boolean> {
  if (k.user.role === 'Customer') return false;
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
  scope: (k) =>
    k.user.role === 'Customer'
      ? inArray(chatChannels.id, memberChannelIds(k.db, k.user.id))
      : or(eq(chatChannels.is_private, false), inArray(chatChannels.id, memberChannelIds(k.db, k.user.id))),
  can: (k, action, row) => {
    if (action === 'create' && k.user.role === 'Customer') throw drf.forbidden('Customers cannot create channels.');
    return action === 'update' || action === 'partial_update' || action === 'destroy' ? isAdmin(k, row!) : true;
  },
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
    const members = await firstMembers(
      k,
      rows.map((r) => r.id),
    );
    return rows.map((r) => ({ ...r, members: (members.get(r.id) ?? []).map(memberBody) }));
  },
};

/** The first MEMBERS_EMBEDDED memberships (id order) of each channel, in one query (no query per channel). */
async function firstMembers(k: Kit, channelIds: number[]): Promise<Map<number, MemberRow[]>> {
  const out = new Map<number, MemberRow[]>();
  if (!channelIds.length) return out;
  const rows = await k.db.all<{ id: number; channel_id: number; user_id: number; is_admin: number; joined_at: string }>(sql`
    SELECT m.id, m.channel_id, m.user_id, m.is_admin, m.joined_at FROM json_each(${JSON.stringify(channelIds)}) AS c
    JOIN chat_channel_members m ON m.id IN (
      SELECT id FROM chat_channel_members WHERE channel_id = c.value ORDER BY id LIMIT ${MEMBERS_EMBEDDED})
    ORDER BY m.channel_id, m.id`);
  for (const r of rows) {
    const member = {
      id: r.id,
      channel: r.channel_id,
      user: r.user_id,
      is_admin: !!r.is_admin,
      joined_at: r.joined_at,
      last_read_at: null,
    };
    const list = out.get(r.channel_id);
    if (list) list.push(member);
    else out.set(r.channel_id, [member]);
  }
  return out;
}
