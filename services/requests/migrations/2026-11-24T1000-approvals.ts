// Approvals: look-ups of an item's transitions and of the approval queue (request_items already
// has its (request_id, seq) index from its unique constraint). Frozen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX item_transitions_item_idx ON item_transitions (item_id, id)`.execute(db);
  await sql`
    CREATE INDEX request_items_pending_idx ON request_items (request_id)
    WHERE status = 'pending_approval'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const i of ['request_items_pending_idx', 'item_transitions_item_idx'])
    await sql`DROP INDEX ${sql.id(i)}`.execute(db);
}
