// Requests whose items are served together by rank (Kiên Giang): how many items the request has,
// how many the directory has seen, and the staged items waiting for their batch to be complete.
import { type Kysely, sql } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export async function insertBatch(
  db: Db,
  batch: { requestId: string; province: string; itemCount: number },
  at: Date,
): Promise<void> {
  await db
    .insertInto('request_batches')
    .values({
      request_id: batch.requestId,
      province: batch.province,
      item_count: batch.itemCount,
      created_at: at,
    })
    .onConflict((oc) => oc.column('request_id').doNothing())
    .execute();
}

/** Counts one more item of the request as seen; the batch (locked), or null when unknown. */
export async function countSeenItem(
  db: Db,
  requestId: string,
): Promise<{ itemCount: number; seenCount: number } | null> {
  const row = await db
    .updateTable('request_batches')
    .set((eb) => ({ seen_count: eb('seen_count', '+', 1) }))
    .where('request_id', '=', requestId)
    .returning(['item_count', 'seen_count'])
    .executeTakeFirst();
  return row ? { itemCount: row.item_count, seenCount: row.seen_count } : null;
}

/** countSeenItem for many requests at once (`seen`: how many more of each); the batches known. */
export async function countSeenItems(
  db: Db,
  seen: ReadonlyMap<string, number>,
): Promise<{ requestId: string; itemCount: number; seenCount: number }[]> {
  if (seen.size === 0) return [];
  const { rows } = await sql<{ request_id: string; item_count: number; seen_count: number }>`
    UPDATE request_batches b SET seen_count = b.seen_count + s.n
    FROM unnest(${[...seen.keys()]}::text[], ${[...seen.values()]}::int[]) AS s(request_id, n)
    WHERE b.request_id = s.request_id
    RETURNING b.request_id, b.item_count, b.seen_count`.execute(db);
  return rows.map((r) => ({ requestId: r.request_id, itemCount: r.item_count, seenCount: r.seen_count }));
}

export async function findBatch(db: Db, requestId: string) {
  const row = await db
    .selectFrom('request_batches')
    .selectAll()
    .where('request_id', '=', requestId)
    .executeTakeFirst();
  return row ? { itemCount: row.item_count, seenCount: row.seen_count } : null;
}

export async function stageItem(
  db: Db,
  item: { itemId: string; requestId: string; event: unknown },
  at: Date,
): Promise<void> {
  await db
    .insertInto('staged_items')
    .values({
      item_id: item.itemId,
      request_id: item.requestId,
      event: JSON.stringify(item.event),
      staged_at: at,
    })
    .onConflict((oc) => oc.column('item_id').doNothing())
    .execute();
}

/** Takes (deletes and returns) the staged items of a request, in arrival order. */
export async function takeStagedItems(db: Db, requestId: string): Promise<unknown[]> {
  const { rows } = await sql<{ event: unknown; seq: string }>`
    DELETE FROM staged_items WHERE item_id IN (
      SELECT item_id FROM staged_items WHERE request_id = ${requestId} FOR UPDATE SKIP LOCKED
    ) RETURNING event, seq`.execute(db);
  return rows.sort((a, b) => Number(a.seq) - Number(b.seq)).map((r) => r.event);
}

export async function listStagedItemIds(db: Db, requestId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('staged_items')
    .select('item_id')
    .where('request_id', '=', requestId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.item_id);
}

/** Takes one staged item (deletes and returns it), or null when another took it. */
export async function takeStagedItem(db: Db, itemId: string): Promise<unknown | null> {
  const { rows } = await sql<{ event: unknown }>`
    DELETE FROM staged_items WHERE item_id IN (
      SELECT item_id FROM staged_items WHERE item_id = ${itemId} FOR UPDATE SKIP LOCKED
    ) RETURNING event`.execute(db);
  return rows[0]?.event ?? null;
}

/** Requests whose newest staged item is older than `before` (the batch has settled). */
export async function findSettledRequests(db: Db, before: Date, limit: number): Promise<string[]> {
  const { rows } = await sql<{ request_id: string }>`
    SELECT request_id FROM staged_items GROUP BY request_id
    HAVING max(staged_at) < ${before} ORDER BY min(staged_at) LIMIT ${limit}`.execute(db);
  return rows.map((r) => r.request_id);
}

export async function deleteOldBatches(db: Db, before: Date): Promise<void> {
  await db.deleteFrom('request_batches').where('created_at', '<', before).execute();
}
