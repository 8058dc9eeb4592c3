// The Kysely code of what the console's import page lists: the latest import jobs, and the imports
// whose mailboxes without a password still wait for their one-time credentials.
import { type Kysely, sql } from 'kysely';
import type { DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

/** The latest import jobs, newest first. */
export async function listRecentImportJobIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('import_jobs')
    .select('id')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Applied jobs whose credentials have not been asked for yet, oldest first. */
export async function listJobsAwaitingCredentials(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('import_jobs')
    .select('id')
    .where('state', '=', 'applied')
    .where('credentials_requested_at', 'is', null)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}

export interface MailboxAwaitingCredential {
  mailboxId: string;
  address: string;
  agencyId: string;
  state: string;
  type: string;
}

/**
 * The job's mailboxes imported without a password (history `imported` says whether the hash was
 * kept), with their state now: a credential is asked for the live ones.
 */
export async function listMailboxesWithoutPassword(
  db: Db,
  jobId: string,
): Promise<MailboxAwaitingCredential[]> {
  const { rows } = await sql<{
    id: string;
    address: string;
    agency_id: string;
    state: string;
    type: string;
  }>`
    SELECT m.id, m.address, m.agency_id, m.state, m.type
      FROM import_rows r
      JOIN mailboxes m ON m.id = r.entity_id
      JOIN mailbox_history h ON h.mailbox_id = m.id AND h.change = 'imported'
     WHERE r.job_id = ${jobId} AND r.kind = 'mailbox'
       AND h.details ->> 'passwordKept' = 'false'
     ORDER BY m.agency_id, m.address`.execute(db);
  return rows.map((r) => ({
    mailboxId: r.id,
    address: r.address,
    agencyId: r.agency_id,
    state: r.state,
    type: r.type,
  }));
}

/** Marks the job's credentials asked for; false when another pass did it first. */
export async function markCredentialsRequested(db: Db, jobId: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('import_jobs')
    .set({ credentials_requested_at: at })
    .where('id', '=', jobId)
    .where('credentials_requested_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
