// Reads of the directory replica (agencies, mailboxes from hopthu.directory.v1) and of earlier
// items, for authorisation and ownership checks at submit time.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { AgenciesTable, Database, MailboxesTable } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type AgencyRow = Selectable<AgenciesTable>;
export type MailboxRow = Selectable<MailboxesTable>;

export async function findAgenciesByIds(db: Db, ids: readonly string[]): Promise<Map<string, AgencyRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('agencies')
    .selectAll()
    .where('agency_id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.agency_id, r]));
}

/**
 * The replica may hold several mailboxes at one address: it is a copy, and the directory, the
 * authority, lets a new mailbox take a deleted one's address (after its retention), while states of
 * two mailboxes can arrive out of order across the topic's partitions (A renamed away from x seen
 * after B created at x: both live here for a while). A lookup by address takes, in this order, the
 * live mailbox, then the newest deleted one (one deleted before the replica kept the day last),
 * then the lowest id, so the same rows give the same answer. `table`: the alias `mailboxes` has.
 */
export function preferredAtAddress(table = 'mailboxes') {
  const column = (name: keyof MailboxesTable) => sql.ref(`${table}.${name}`);
  return sql`${column('state')} = 'deleted', ${column('deleted_at')} DESC NULLS LAST, ${column('mailbox_id')}`;
}

/** One mailbox per lower-case address among those in these states (`preferredAtAddress`). */
async function findMailboxesByAddress(
  db: Db,
  addresses: readonly string[],
  states: 'live' | 'deleted',
): Promise<Map<string, MailboxRow>> {
  if (addresses.length === 0) return new Map();
  const rows = await db
    .selectFrom('mailboxes')
    .selectAll()
    .distinctOn('address')
    .where('address', 'in', [...new Set(addresses)])
    .where('state', states === 'live' ? '!=' : '=', 'deleted')
    .orderBy('address')
    .orderBy(preferredAtAddress())
    .execute();
  return new Map(rows.map((r) => [r.address, r]));
}

/** Mailboxes by lower-case address, deleted ones excluded. */
export async function findLiveMailboxesByAddress(
  db: Db,
  addresses: readonly string[],
): Promise<Map<string, MailboxRow>> {
  return findMailboxesByAddress(db, addresses, 'live');
}

/** Deleted mailboxes by lower-case address (what a restore_deleted item names): the newest delete. */
export async function findDeletedMailboxesByAddress(
  db: Db,
  addresses: readonly string[],
): Promise<Map<string, MailboxRow>> {
  return findMailboxesByAddress(db, addresses, 'deleted');
}

/**
 * Earlier `create` items for the same person (keyed hash of the national ID) in these agencies
 * that did not end failed or rejected, with their mailbox's replica state when it has one.
 */
export async function findLiveCreatesForPersons(
  db: Db,
  personHashes: readonly string[],
): Promise<{ agencyId: string; personHash: string; address: string | null; mailboxState: string | null }[]> {
  if (personHashes.length === 0) return [];
  const rows = await db
    .selectFrom('request_items')
    // the mailbox the replica has at the result address (`preferredAtAddress`: the live one first)
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('mailboxes')
          .select('mailboxes.state')
          .whereRef('mailboxes.address', '=', 'request_items.result_address')
          .orderBy(preferredAtAddress())
          .limit(1)
          .as('mailbox'),
      (join) => join.onTrue(),
    )
    .select([
      'request_items.agency_id',
      'request_items.national_id_hash',
      'request_items.result_address',
      'mailbox.state',
    ])
    .where('request_items.operation', '=', 'create')
    .where('request_items.national_id_hash', 'in', [...new Set(personHashes)])
    .where('request_items.status', 'not in', ['failed', 'rejected'])
    .execute();
  return rows.map((r) => ({
    agencyId: r.agency_id,
    personHash: r.national_id_hash ?? '',
    address: r.result_address,
    mailboxState: r.state,
  }));
}

/** Every agency of the replica, as stored (the admin route shows the rows themselves). */
export async function findAllAgencies(db: Db): Promise<AgencyRow[]> {
  return db.selectFrom('agencies').selectAll().execute();
}

/** An agency and every unit under it (the replica keeps each unit's ancestors), by name. */
export async function findAgencyAndDescendants(db: Db, agencyId: string): Promise<AgencyRow[]> {
  return db
    .selectFrom('agencies')
    .selectAll()
    .where((eb) =>
      eb.or([eb('agency_id', '=', agencyId), eb(eb.val(agencyId), '=', eb.fn.any('ancestor_ids'))]),
    )
    .orderBy('name')
    .execute();
}

/** The directory's latest state of an agency (hopthu.directory.v1 is compacted: last one wins). */
export async function upsertAgency(
  trx: Transaction<Database>,
  a: {
    agencyId: string;
    province: string;
    domain: string;
    name: string;
    abbreviation: string;
    parentId: string | null;
    ancestorIds: string[];
    officialMailbox: string | null;
    /** When the directory dissolved it, or null. */
    dissolvedAt: string | null;
    /** When this replica learned it (the consumer's clock). */
    at: Date;
  },
): Promise<void> {
  const row = {
    dissolved_at: a.dissolvedAt,
    province: a.province,
    domain: a.domain,
    name: a.name,
    abbreviation: a.abbreviation,
    parent_id: a.parentId,
    ancestor_ids: a.ancestorIds,
    official_mailbox: a.officialMailbox,
    updated_at: a.at,
  };
  await trx
    .insertInto('agencies')
    .values({ agency_id: a.agencyId, ...row })
    .onConflict((oc) => oc.column('agency_id').doUpdateSet(row))
    .execute();
}

/** A mailbox's state; an older generation arriving late never overwrites a newer one. */
export async function upsertMailbox(
  trx: Transaction<Database>,
  m: {
    mailboxId: string;
    address: string;
    agencyId: string;
    type: string;
    state: string;
    generation: number;
    displayName?: string | undefined;
    /** When this replica learned the state: a delete keeps the first time it was seen. */
    seenAt?: Date | undefined;
  },
): Promise<void> {
  const row = {
    address: m.address,
    agency_id: m.agencyId,
    type: m.type,
    state: m.state,
    generation: m.generation,
    display_name: m.displayName ?? null,
  };
  const deletedAt = m.state === 'deleted' ? (m.seenAt ?? null) : null;
  await trx
    .insertInto('mailboxes')
    .values({ mailbox_id: m.mailboxId, ...row, deleted_at: deletedAt })
    .onConflict((oc) =>
      oc
        .column('mailbox_id')
        .doUpdateSet({
          ...row,
          // a restore_deleted is refused from the purge day on, counted from the delete itself
          deleted_at:
            m.state === 'deleted'
              ? sql<Date | null>`COALESCE(CASE WHEN mailboxes.state = 'deleted' THEN mailboxes.deleted_at END, ${deletedAt}::timestamptz)`
              : null,
        })
        .where('mailboxes.generation', '<=', m.generation),
    )
    .execute();
}
