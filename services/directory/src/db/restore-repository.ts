// What giving a deleted mailbox back reads and ends: the newest deleted mailbox at an address, when
// it was deleted (its retired address's day), what its delete recorded (its aliases, its forward),
// who else holds the address now in any of the province's domains, and the holds on its addresses
// (ended: the mailbox holds them again).
import { sql } from 'kysely';
import type { Db } from '../domain/deps.ts';
import { findMailboxById, type Mailbox } from './mailbox-repository.ts';

/** The most recently deleted mailbox at this address, locked for update; null when none. */
export async function findDeletedMailboxByAddress(db: Db, address: string): Promise<Mailbox | null> {
  const row = await db
    .selectFrom('mailboxes')
    .select('id')
    .where('address', '=', address.trim().toLowerCase())
    .where('state', '=', 'deleted')
    .orderBy('updated_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? findMailboxById(db, row.id, { forUpdate: true }) : null;
}

/**
 * When the mailbox was last deleted: its own address's retirement (null when it was never retired;
 * the aliases released with it are retired too, at the same instant, but are not what is asked).
 */
export async function findDeletedAt(db: Db, mailbox: Pick<Mailbox, 'id' | 'address'>): Promise<Date | null> {
  const row = await db
    .selectFrom('retired_addresses')
    .select((eb) => eb.fn.max('retired_at').as('at'))
    .where('mailbox_id', '=', mailbox.id)
    .where('address', '=', mailbox.address)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/**
 * Who holds the mailbox's address now, in any of its province's domains (x@alias is delivered to
 * x@primary): live mailboxes, live aliases (not the mailbox's own; named `alias → its mailbox`) and
 * active groups.
 */
export async function findAddressHolders(
  db: Db,
  mailbox: Pick<Mailbox, 'id' | 'localPart' | 'domain'>,
  now: Date,
): Promise<string[]> {
  const { rows } = await sql<{ address: string }>`
    WITH d AS (
      SELECT ${mailbox.domain}::text AS domain
      UNION SELECT pd.domain FROM province_domains pd
        WHERE pd.province = (SELECT province FROM province_domains WHERE domain = ${mailbox.domain}))
    SELECT address FROM mailboxes
      WHERE domain IN (SELECT domain FROM d) AND local_part = ${mailbox.localPart} AND state <> 'deleted'
    UNION SELECT a.address || ' → ' || m.address FROM aliases a JOIN mailboxes m ON m.id = a.mailbox_id
      WHERE a.domain IN (SELECT domain FROM d) AND a.local_part = ${mailbox.localPart}
        AND a.mailbox_id <> ${mailbox.id} AND (a.expires_at IS NULL OR a.expires_at > ${now})
    UNION SELECT address FROM mail_groups
      WHERE domain IN (SELECT domain FROM d) AND local_part = ${mailbox.localPart} AND state = 'active'`.execute(
    db,
  );
  return rows.map((r) => r.address).sort();
}

/** A hold the restore ended, as it was: given back when the mail server could not restore. */
export interface EndedHold {
  address: string;
  holdUntil: string;
}

/**
 * The mailbox holds its addresses again: their retirement holds (its own address, the aliases
 * released with it, old addresses of earlier changes) end now; answers each as it was.
 */
export async function endRetiredHold(db: Db, mailboxId: string, at: Date): Promise<EndedHold[]> {
  const { rows } = await sql<{ address: string; hold_until: Date }>`
    UPDATE retired_addresses r SET hold_until = ${at}
      FROM (SELECT id, hold_until FROM retired_addresses
              WHERE mailbox_id = ${mailboxId} AND hold_until > ${at} FOR UPDATE) old
     WHERE r.id = old.id
    RETURNING r.address, old.hold_until`.execute(db);
  return rows.map((r) => ({ address: r.address, holdUntil: new Date(r.hold_until).toISOString() }));
}

/** Gives back holds a restore ended (`endedAt`: its instant), as they were. */
export async function reinstateRetiredHolds(
  db: Db,
  mailboxId: string,
  holds: readonly EndedHold[],
  endedAt: Date,
): Promise<void> {
  for (const hold of holds) {
    await db
      .updateTable('retired_addresses')
      .set({ hold_until: new Date(hold.holdUntil) })
      .where('mailbox_id', '=', mailboxId)
      .where('address', '=', hold.address)
      .where('hold_until', '=', endedAt)
      .execute();
  }
}

/** The restore of the mailbox under this generation, as its history recorded it; null when none. */
export async function findRestoreRecord(
  db: Db,
  mailboxId: string,
  generation: number,
): Promise<{ at: Date; details: Record<string, unknown> } | null> {
  const row = await db
    .selectFrom('mailbox_history')
    .select(['at', 'details'])
    .where('mailbox_id', '=', mailboxId)
    .where('change', '=', 'restored_from_retention')
    .where(sql<string>`details->>'generation'`, '=', String(generation))
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { at: new Date(row.at), details: row.details as Record<string, unknown> } : null;
}

/** What the mailbox's last delete recorded: its history details, and the forward it ended. */
export async function findDeleteRecord(
  db: Db,
  mailboxId: string,
): Promise<{ details: Record<string, unknown>; forwardTo: string | null } | null> {
  const row = await db
    .selectFrom('mailbox_history')
    .select(['at', 'details'])
    .where('mailbox_id', '=', mailboxId)
    .where(sql<string>`details->>'to'`, '=', 'deleted')
    // a restore the mail server refused is not a delete: the delete before it still says what it had
    .where('change', '<>', 'restore_undone')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  const ended = await db
    .selectFrom('mailbox_history')
    .select('details')
    .where('mailbox_id', '=', mailboxId)
    .where('change', '=', 'forward_ended')
    .where('at', '=', row.at)
    .executeTakeFirst();
  const forwardTo = (ended?.details as { forwardTo?: unknown } | undefined)?.forwardTo;
  return {
    details: row.details as Record<string, unknown>,
    forwardTo: typeof forwardTo === 'string' ? forwardTo : null,
  };
}
