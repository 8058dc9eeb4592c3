// What the provisioner last reported about each mailbox's use, and how an address in vmail (which
// has no mailbox id) is tied back to the directory's mailbox id.
import { type Kysely, sql } from 'kysely';
import type { ProvisionerDb } from './schema.ts';

type Db = Kysely<ProvisionerDb>;

/**
 * The mailbox id of each address: the directory's live mailbox at that address (its published
 * state), else the newest command applied to that address (mailboxes made by commands alone).
 */
export async function findMailboxIdsByAddress(
  db: Db,
  addresses: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (addresses.length === 0) return found;
  const { rows: published } = await sql<{ address: string; mailbox_id: string }>`
    SELECT DISTINCT ON (address) address, mailbox_id FROM directory_mailboxes
     WHERE address = ANY(${addresses}::text[]) AND state <> 'deleted'
     ORDER BY address, generation DESC`.execute(db);
  for (const r of published) found.set(r.address, r.mailbox_id);
  const rest = addresses.filter((a) => !found.has(a));
  if (rest.length === 0) return found;
  const { rows: applied } = await sql<{ address: string; mailbox_id: string }>`
    SELECT DISTINCT ON (address) address, mailbox_id FROM applied_commands
     WHERE address = ANY(${rest}::text[]) AND action NOT IN ('set_alias', 'remove_alias')
     ORDER BY address, applied_at DESC`.execute(db);
  for (const r of applied) found.set(r.address, r.mailbox_id);
  return found;
}

/** The latest use (login, send or delivery) reported for these mailboxes. */
export async function findReportedLogins(db: Db, mailboxIds: readonly string[]): Promise<Map<string, Date>> {
  if (mailboxIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('activity_reports')
    .select(['mailbox_id', 'last_login_at'])
    .where('mailbox_id', 'in', mailboxIds)
    .execute();
  return new Map(rows.map((r) => [r.mailbox_id, new Date(r.last_login_at)]));
}

const REPORT_LOCK = 7_146_003_101; // advisory lock id: one activity pass at a time per database

/** Holds, until the transaction ends, the lock that keeps two passes from reporting one change twice. */
export async function lockActivityReports(db: Db): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${REPORT_LOCK})`.execute(db);
}

export async function upsertReportedLogin(
  db: Db,
  report: { mailboxId: string; address: string; lastLoginAt: Date },
  at: Date,
): Promise<void> {
  await db
    .insertInto('activity_reports')
    .values({
      mailbox_id: report.mailboxId,
      address: report.address,
      last_login_at: report.lastLoginAt,
      reported_at: at,
    })
    .onConflict((oc) =>
      oc.column('mailbox_id').doUpdateSet({
        address: report.address,
        last_login_at: report.lastLoginAt,
        reported_at: at,
      }),
    )
    .execute();
}
