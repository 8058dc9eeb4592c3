// What giving a deleted mailbox back reads and ends: the newest deleted mailbox at an address, when
// it was deleted (its retired address's day), who else holds the address now in any of the
// province's domains, and the hold on the address (ended: the mailbox holds it again).
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

/** When the mailbox was last deleted: its address's retirement (null when it was never retired). */
export async function findDeletedAt(db: Db, mailboxId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('retired_addresses')
    .select((eb) => eb.fn.max('retired_at').as('at'))
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}

/**
 * Who holds the mailbox's address now, in any of its province's domains (x@alias is delivered to
 * x@primary): live mailboxes, live aliases (not the mailbox's own) and active groups.
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
    UNION SELECT address FROM aliases
      WHERE domain IN (SELECT domain FROM d) AND local_part = ${mailbox.localPart}
        AND mailbox_id <> ${mailbox.id} AND (expires_at IS NULL OR expires_at > ${now})
    UNION SELECT address FROM mail_groups
      WHERE domain IN (SELECT domain FROM d) AND local_part = ${mailbox.localPart} AND state = 'active'`.execute(
    db,
  );
  return rows.map((r) => r.address).sort();
}

/** The mailbox holds its address again: its retirement hold ends now. */
export async function endRetiredHold(db: Db, mailboxId: string, at: Date): Promise<void> {
  await db
    .updateTable('retired_addresses')
    .set({ hold_until: at })
    .where('mailbox_id', '=', mailboxId)
    .where('hold_until', '>', at)
    .execute();
}
