/**
 * Photos of a space (issue 18): uploaded (a multipart `image` part, images only, 10 MB) or given
 * as a URL by the workspace's admin, a workspace manager or the branch's manager; listed in their
 * order by every member; deleted one by one; reordered at once. The first photo is the space's
 * `main_photo_url` in the public listing. Photos are public, so their URLs are the long-lived,
 * immutable-cached kind (`publicFileUrl`), the same for 30 days.
 */
import { z } from '@hono/zod-openapi';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { asc, count, eq, sql } from 'drizzle-orm';
import { url } from '../../core/fields';
import {
  discardUploads,
  fileDeleteEvent,
  IMAGES,
  keysOf,
  presentPublicFile,
  PUBLIC_URL_TTL_SECONDS,
  storeUploadsFor,
} from '../../core/files';
import { mount, route } from '../../core/route';
import type { Scope } from '../../core/scope';
import { type Db, runBatch } from '../../db';
import type { ResultOf } from '../../db/compiled';
import { workspaceSpacePhotos } from '../../db/schema/workspace';
import type { AppEnv } from '../../env';
import { checkId, fail, forbidden, granted, managesBranch, SpacePath, spaceAccessStmt, tags } from './common';

/** Most photos a space may have. */
export const MAX_PHOTOS = 20;
const PHOTO = { image: { types: IMAGES, prefix: 'photo', ttl: PUBLIC_URL_TTL_SECONDS } };

export const SpacePhoto = z
  .object({
    id: z.string().openapi({ format: 'uuid' }),
    url: z.string().openapi({ description: 'Long-lived URL of the photo (immutable caching), or the URL that was given.' }),
    position: z.number().int().openapi({ description: '0 is the main photo.' }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('WsSpacePhoto');

const PhotoCreate = z
  .object({
    image: url({ max: 500 })
      .optional()
      .openapi({ description: 'A multipart file part (JPEG, PNG, GIF or WebP, at most 10 MB), or the URL of a hosted image.' }),
  })
  .openapi('WsSpacePhotoRequest');

const PhotoOrder = z
  .object({
    order: z
      .array(z.string())
      .max(MAX_PHOTOS)
      .openapi({ description: 'Every photo id of the space, in the new order (the first is the main photo).' }),
  })
  .openapi('WsSpacePhotoOrderRequest');

const PhotoPath = SpacePath.extend({ image_id: z.string().openapi({ format: 'uuid' }) });

type PhotoRow = typeof workspaceSpacePhotos.$inferSelect;

const photosStmt = (db: Db, spaceId: string) =>
  db
    .select()
    .from(workspaceSpacePhotos)
    .where(eq(workspaceSpacePhotos.space_id, spaceId))
    .orderBy(asc(workspaceSpacePhotos.position), asc(workspaceSpacePhotos.created_at), asc(workspaceSpacePhotos.id));

/** Photos as responses show them (URLs signed, long-lived). */
export const photosOut = (s: Scope, rows: PhotoRow[]) =>
  Promise.all(
    rows.map(async (r) => ({
      id: r.id,
      url: (await presentPublicFile(s.env, new URL(s.url).origin, r.file)) as string,
      position: r.position,
      created_at: r.created_at,
    })),
  );

/** The space a photo route acts on, checked with the caller's right to manage it. */
function managed(access: Parameters<typeof granted>[0], actorId: number, message: string) {
  const { branch, role } = granted(access as ResultOf<ReturnType<typeof spaceAccessStmt>>, 'space');
  if (!managesBranch(role, branch, actorId)) throw forbidden(message);
}

const list = route({
  method: 'get',
  path: '/api/workspace/spaces/{space_id}/images/',
  operationId: 'workspace_spaces_images_list',
  summary: "A space's photos in their order (every member)",
  tags,
  params: SpacePath,
  response: z.array(SpacePhoto),
  responseDescription: 'The photos',
  envelope: { message: 'Images retrieved successfully', key: 'images', name: 'WsSpacePhotoListResponse' },
  async handler({ s, db, actor, params }) {
    const id = checkId(params.space_id, 'space');
    const [access, rows] = await db.batch([spaceAccessStmt(db, id, actor.id), photosStmt(db, id)]);
    granted(access, 'space');
    return photosOut(s, rows);
  },
});

const add = route({
  method: 'post',
  path: '/api/workspace/spaces/{space_id}/images/',
  operationId: 'workspace_spaces_images_create',
  summary: 'Add a photo to a space, last in the order (admin, workspace manager or branch manager)',
  tags,
  params: SpacePath,
  body: PhotoCreate,
  files: PHOTO,
  status: 201,
  response: SpacePhoto,
  responseDescription: 'The photo',
  envelope: {
    message: 'Image uploaded successfully',
    failure: 'Image upload failed',
    key: 'image',
    name: 'WsSpacePhotoResponse',
  },
  async handler({ s, db, actor, params, body, c }) {
    const id = checkId(params.space_id, 'space');
    const [access, [{ n }]] = await db.batch([
      spaceAccessStmt(db, id, actor.id),
      db.select({ n: count() }).from(workspaceSpacePhotos).where(eq(workspaceSpacePhotos.space_id, id)),
    ]);
    managed(access, actor.id, 'Only workspace admin or branch manager can add images');
    if (n >= MAX_PHOTOS) throw fail(400, 'Image upload failed', { image: [`A space has at most ${MAX_PHOTOS} images.`] });
    const { keys, stored } = await storeUploadsFor(s.env, c.req.raw, PHOTO, 'envelope', 'Image upload failed');
    const file = keys.image ?? body.image;
    if (!file) throw fail(400, 'Image upload failed', { image: ['Send an image file or its URL.'] });
    const photoId = crypto.randomUUID();
    try {
      const [, rows] = await runBatch(db, [
        db.insert(workspaceSpacePhotos).values({
          id: photoId,
          space_id: id,
          file,
          // Last in the order, computed in the statement itself (a concurrent upload cannot share it).
          position: sql`(select coalesce(max(position) + 1, 0) from workspace_space_photos where space_id = ${id})`,
        }),
        db.select().from(workspaceSpacePhotos).where(eq(workspaceSpacePhotos.id, photoId)),
      ]);
      return (await photosOut(s, rows as PhotoRow[]))[0];
    } catch (err) {
      await discardUploads(s.env, stored);
      throw err;
    }
  },
});

const remove = route({
  method: 'delete',
  path: '/api/workspace/spaces/{space_id}/images/{image_id}/',
  operationId: 'workspace_spaces_images_destroy',
  summary: "Delete one of a space's photos (admin, workspace manager or branch manager)",
  tags,
  params: PhotoPath,
  envelope: { message: 'Image deleted successfully' },
  async handler({ s, db, actor, params }) {
    const id = checkId(params.space_id, 'space');
    const [access, [photo]] = await db.batch([
      spaceAccessStmt(db, id, actor.id),
      db
        .select()
        .from(workspaceSpacePhotos)
        .where(sql`${workspaceSpacePhotos.id} = ${params.image_id} and ${workspaceSpacePhotos.space_id} = ${id}`),
    ]);
    managed(access, actor.id, 'Only workspace admin or branch manager can delete images');
    if (!photo) throw fail(404, 'Image not found');
    await db.delete(workspaceSpacePhotos).where(eq(workspaceSpacePhotos.id, photo.id));
    const released = keysOf(PHOTO, { image: photo.file });
    if (released.length) s.events.push(fileDeleteEvent(released));
  },
});

const reorder = route({
  method: 'post',
  path: '/api/workspace/spaces/{space_id}/images/order/',
  operationId: 'workspace_spaces_images_order',
  summary: "Reorder a space's photos: every id, first the main photo (admin, workspace manager or branch manager)",
  tags,
  params: SpacePath,
  body: PhotoOrder,
  response: z.array(SpacePhoto),
  responseDescription: 'The photos in their new order',
  envelope: {
    message: 'Images reordered successfully',
    failure: 'Reorder failed',
    key: 'images',
    name: 'WsSpacePhotoListResponse',
  },
  async handler({ s, db, actor, params, body }) {
    const id = checkId(params.space_id, 'space');
    const [access, rows] = await db.batch([spaceAccessStmt(db, id, actor.id), photosStmt(db, id)]);
    managed(access, actor.id, 'Only workspace admin or branch manager can reorder images');
    const ids = new Set(rows.map((r) => r.id));
    if (body.order.length !== ids.size || new Set(body.order).size !== ids.size || !body.order.every((i) => ids.has(i)))
      throw fail(400, 'Reorder failed', { order: ['List every image id of this space exactly once.'] });
    if (!rows.length) return [];
    // One statement: each photo's position is its index in the list.
    const position = sql.join(
      body.order.map((photoId, i) => sql`when ${photoId} then ${i}`),
      sql` `,
    );
    const [, ordered] = await runBatch(db, [
      db
        .update(workspaceSpacePhotos)
        .set({ position: sql`case ${workspaceSpacePhotos.id} ${position} end` })
        .where(eq(workspaceSpacePhotos.space_id, id)),
      photosStmt(db, id),
    ]);
    return photosOut(s, ordered as PhotoRow[]);
  },
});

/** The keys of the photos of the spaces a delete removes (a subquery of their ids), for the same batch. */
export const photoFilesStmt = (db: Db, spaceIds: ReturnType<typeof sql>) =>
  db
    .select({ file: workspaceSpacePhotos.file })
    .from(workspaceSpacePhotos)
    .where(sql`${workspaceSpacePhotos.space_id} in ${spaceIds}`);

/** The event removing the stored photos among `rows` (after their spaces were deleted). */
export const photoRelease = (rows: { file: string }[]) => {
  const keys = rows.flatMap((r) => keysOf(PHOTO, { image: r.file }));
  return keys.length ? [fileDeleteEvent(keys)] : [];
};

export function mountSpacePhotos(app: OpenAPIHono<AppEnv>) {
  mount(app, list);
  mount(app, reorder);
  mount(app, add);
  mount(app, remove);
}
