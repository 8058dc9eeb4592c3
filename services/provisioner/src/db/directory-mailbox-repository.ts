// The replica of the directory's mailboxes (from hopthu.directory.v1): written by the directory
// consumer, read by the drift check.
import type { MailboxState } from '@hopthu/shared/events';
import { type Kysely, sql } from 'kysely';
import { openReadCursors } from './read-cursors.ts';
import type { ProvisionerDb } from './schema.ts';

export interface DirectoryMailbox {
  mailboxId: string;
  address: string;
  domain: string;
  state: MailboxState['state'];
  quotaBytes: number;
  generation: number;
  aliases: string[];
  /** The directory's forward of the mailbox (set_forward); null or absent: none. */
  forwardTo?: string | null;
}

/** Keeps the newest state per mailbox: an older generation never overwrites a newer one. */
export async function upsertDirectoryMailbox(
  db: Kysely<ProvisionerDb>,
  m: DirectoryMailbox,
  at: Date,
): Promise<void> {
  await db
    .insertInto('directory_mailboxes')
    .values({
      mailbox_id: m.mailboxId,
      address: m.address,
      domain: m.domain,
      state: m.state,
      quota_bytes: m.quotaBytes,
      generation: m.generation,
      aliases: JSON.stringify(m.aliases),
      forward_to: m.forwardTo ?? null,
      updated_at: at,
    })
    .onConflict((oc) =>
      oc
        .column('mailbox_id')
        .doUpdateSet((eb) => ({
          address: eb.ref('excluded.address'),
          domain: eb.ref('excluded.domain'),
          state: eb.ref('excluded.state'),
          quota_bytes: eb.ref('excluded.quota_bytes'),
          generation: eb.ref('excluded.generation'),
          aliases: eb.ref('excluded.aliases'),
          forward_to: eb.ref('excluded.forward_to'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where(sql<boolean>`directory_mailboxes.generation <= excluded.generation`),
    )
    .execute();
}

interface DirectoryMailboxRow {
  mailbox_id: string;
  address: string;
  domain: string;
  state: string;
  quota_bytes: string | number;
  generation: string | number;
  aliases: string[];
  forward_to: string | null;
}

const toDirectoryMailbox = (r: DirectoryMailboxRow): DirectoryMailbox => ({
  mailboxId: r.mailbox_id,
  address: r.address,
  domain: r.domain,
  state: r.state as MailboxState['state'],
  quotaBytes: Number(r.quota_bytes),
  generation: Number(r.generation),
  aliases: r.aliases,
  forwardTo: r.forward_to,
});

/** The drift check's scope: one domain's mailboxes, or every one. */
export interface DirectoryScope {
  domain?: string | undefined;
}

const inScope = (scope: DirectoryScope) => (scope.domain ? sql`AND domain = ${scope.domain}` : sql``);

/** An alias a live (not deleted) record lists, lower-cased, with that record. */
export interface ListedAlias {
  alias: string;
  record: DirectoryMailbox;
  /** The record is the one that counts for its address (byAddress: live over deleted, then the newest). */
  counts: boolean;
}

// the record that counts per address, as byAddress in compare-mailboxes.ts chooses it
const ranked = (scope: DirectoryScope) => sql`
  SELECT d.*, row_number() OVER (PARTITION BY address
           ORDER BY (state <> 'deleted') DESC, generation DESC, mailbox_id COLLATE "C") = 1 AS counts
    FROM directory_mailboxes d WHERE true ${inScope(scope)}`;

/** The replica of a scope read a page at a time, both listings from one snapshot (close it after). */
export interface DirectoryScan {
  /** The records in byte order of the address (COLLATE "C", as the mail server's listing), then of the id. */
  records(limit: number): Promise<DirectoryMailbox[]>;
  /** The aliases the live records list, in byte order of the alias, then of the listing record's address. */
  listedAliases(limit: number): Promise<ListedAlias[]>;
  /** findCountingRecords in the scan's snapshot (and on its connection). */
  countingRecords(addresses: readonly string[]): Promise<Map<string, DirectoryMailbox>>;
  close(): Promise<void>;
}

export async function openDirectoryScan(
  db: Kysely<ProvisionerDb>,
  scope: DirectoryScope,
): Promise<DirectoryScan> {
  const cursors = await openReadCursors(db, {
    drift_records: sql`
      SELECT mailbox_id, address, domain, state, quota_bytes, generation, aliases, forward_to
        FROM directory_mailboxes WHERE true ${inScope(scope)}
       ORDER BY address COLLATE "C", mailbox_id COLLATE "C"`,
    drift_listed_aliases: sql`
      SELECT lower(a.alias) AS alias, r.mailbox_id, r.address, r.domain, r.state, r.quota_bytes,
             r.generation, r.aliases, r.forward_to, r.counts
        FROM (${ranked(scope)}) r CROSS JOIN LATERAL jsonb_array_elements_text(r.aliases) AS a(alias)
       WHERE r.state <> 'deleted'
       ORDER BY lower(a.alias) COLLATE "C", r.address COLLATE "C", r.mailbox_id COLLATE "C"`,
  });
  return {
    records: async (limit) =>
      (await cursors.fetch<DirectoryMailboxRow>('drift_records', limit)).map(toDirectoryMailbox),
    listedAliases: async (limit) =>
      (
        await cursors.fetch<DirectoryMailboxRow & { alias: string; counts: boolean }>(
          'drift_listed_aliases',
          limit,
        )
      ).map((r) => ({ alias: r.alias, record: toDirectoryMailbox(r), counts: r.counts })),
    countingRecords: async (addresses) =>
      addresses.length === 0
        ? new Map()
        : countingRecordsIn(
            (await cursors.within((trx) => countingRecordsQuery(scope, addresses).execute(trx))).rows,
          ),
    close: cursors.close,
  };
}

const countingRecordsQuery = (
  scope: DirectoryScope,
  addresses: readonly string[],
) => sql<DirectoryMailboxRow>`
  SELECT mailbox_id, address, domain, state, quota_bytes, generation, aliases, forward_to
    FROM (${ranked(scope)} AND address = ANY(${[...new Set(addresses)]}::text[])) r
   WHERE counts`;

const countingRecordsIn = (rows: DirectoryMailboxRow[]) =>
  new Map(rows.map((r) => [r.address, toDirectoryMailbox(r)]));

/** The domains the replica has mailboxes in, in byte order. */
export async function listDirectoryDomains(db: Kysely<ProvisionerDb>): Promise<string[]> {
  const { rows } = await sql<{ domain: string }>`
    SELECT DISTINCT domain FROM directory_mailboxes ORDER BY domain COLLATE "C"`.execute(db);
  return rows.map((r) => r.domain);
}

/** How many aliases the scope's live records list (each record's, duplicates included). */
export async function countListedAliases(db: Kysely<ProvisionerDb>, scope: DirectoryScope): Promise<number> {
  const { rows } = await sql<{ n: string | number }>`
    SELECT coalesce(sum(jsonb_array_length(aliases)), 0) AS n
      FROM directory_mailboxes WHERE state <> 'deleted' ${inScope(scope)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
