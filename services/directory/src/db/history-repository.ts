// Mailbox history: every change with when, why, which request and item caused it, and who.
import type { Kysely } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface HistoryEntry {
  mailboxId: string;
  at: Date;
  change: string;
  reason: string | null;
  requestId: string | null;
  itemId: string | null;
  actor: string;
  details?: Record<string, unknown>;
}

export async function insertHistory(db: Db, entry: HistoryEntry): Promise<void> {
  await insertHistories(db, [entry]);
}

/** Many history rows in one statement per thousand, in the given order (a bulk's results). */
export async function insertHistories(db: Db, entries: readonly HistoryEntry[]): Promise<void> {
  for (let start = 0; start < entries.length; start += 1000) {
    await db
      .insertInto('mailbox_history')
      .values(
        entries.slice(start, start + 1000).map((entry) => ({
          mailbox_id: entry.mailboxId,
          at: entry.at,
          change: entry.change,
          reason: entry.reason,
          request_id: entry.requestId,
          item_id: entry.itemId,
          actor: entry.actor,
          details: JSON.stringify(entry.details ?? {}),
        })),
      )
      .execute();
  }
}

export async function listHistory(db: Db, mailboxId: string): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('mailbox_history')
    .selectAll()
    .where('mailbox_id', '=', mailboxId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    mailboxId: r.mailbox_id,
    at: new Date(r.at),
    change: r.change,
    reason: r.reason,
    requestId: r.request_id,
    itemId: r.item_id,
    actor: r.actor,
    details: r.details,
  }));
}
