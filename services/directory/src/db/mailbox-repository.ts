// Mailboxes: one row per mailbox ever issued. The partial unique index on address is the final
// judge of collisions: inserts use ON CONFLICT DO NOTHING so a lost race is an answer, not an
// aborted transaction.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DirectoryDatabase, MailboxesTable, MailboxStateName } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface Mailbox {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  province: string;
  type: 'personal' | 'agency';
  state: MailboxStateName;
  agencyId: string;
  personId: string | null;
  quotaBytes: number;
  generation: number;
  createdAt: Date;
  updatedAt: Date;
}

function toMailbox(row: Selectable<MailboxesTable>): Mailbox {
  return {
    id: row.id,
    address: row.address,
    localPart: row.local_part,
    domain: row.domain,
    province: row.province,
    type: row.type,
    state: row.state,
    agencyId: row.agency_id,
    personId: row.person_id,
    quotaBytes: Number(row.quota_bytes),
    generation: row.generation,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Inserts the mailbox unless its address (or the person's / agency's one mailbox) is taken. */
export async function insertMailboxIfFree(
  db: Db,
  mailbox: Omit<Mailbox, 'createdAt' | 'updatedAt'>,
  at: Date,
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO mailboxes (id, address, local_part, domain, province, type, state, agency_id, person_id,
                           quota_bytes, generation, created_at, updated_at)
    VALUES (${mailbox.id}, ${mailbox.address}, ${mailbox.localPart}, ${mailbox.domain}, ${mailbox.province},
            ${mailbox.type}, ${mailbox.state}, ${mailbox.agencyId}, ${mailbox.personId}, ${mailbox.quotaBytes},
            ${mailbox.generation}, ${at}, ${at})
    ON CONFLICT DO NOTHING
    RETURNING id`.execute(db);
  return rows.length === 1;
}

export async function findMailboxById(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('mailboxes').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/** The live (not deleted) mailbox at this address, locked for update. */
export async function findLiveMailboxByAddress(db: Db, address: string): Promise<Mailbox | null> {
  const row = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('address', '=', address.trim().toLowerCase())
    .where('state', '<>', 'deleted')
    .forUpdate()
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

export async function findLivePersonalMailbox(db: Db, personId: string, province: string) {
  const row = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('person_id', '=', personId)
    .where('province', '=', province)
    .where('type', '=', 'personal')
    .where('state', '<>', 'deleted')
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

export async function findLiveAgencyMailbox(db: Db, agencyId: string): Promise<Mailbox | null> {
  const row = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('agency_id', '=', agencyId)
    .where('type', '=', 'agency')
    .where('state', '<>', 'deleted')
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/**
 * A live personal mailbox in this agency held by someone with the same folded name, position and
 * department: without a person key, that is how "the person already has a mailbox" is recognised.
 */
export async function findLikelySameHolder(
  db: Db,
  q: { agencyId: string; foldedName: string; position: string | null; department: string | null },
): Promise<Mailbox | null> {
  const row = await db
    .selectFrom('mailboxes')
    .innerJoin('people', 'people.id', 'mailboxes.person_id')
    .selectAll('mailboxes')
    .where('mailboxes.agency_id', '=', q.agencyId)
    .where('mailboxes.type', '=', 'personal')
    .where('mailboxes.state', '<>', 'deleted')
    .where('people.folded_name', '=', q.foldedName)
    .where(sql<boolean>`people.position IS NOT DISTINCT FROM ${q.position}`)
    .where(sql<boolean>`people.department IS NOT DISTINCT FROM ${q.department}`)
    .executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/** Sets the state and the generation (the target generation of the command issued with it). */
export async function updateMailbox(
  db: Db,
  id: string,
  change: {
    state?: MailboxStateName;
    generation?: number;
    address?: string;
    localPart?: string;
    agencyId?: string;
  },
  at: Date,
): Promise<void> {
  await db
    .updateTable('mailboxes')
    .set({
      ...(change.state !== undefined ? { state: change.state } : {}),
      ...(change.generation !== undefined ? { generation: change.generation } : {}),
      ...(change.address !== undefined ? { address: change.address } : {}),
      ...(change.localPart !== undefined ? { local_part: change.localPart } : {}),
      ...(change.agencyId !== undefined ? { agency_id: change.agencyId } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** The mailbox's aliases in force at `now` (transition aliases end; operator aliases do not). */
export async function listAliasAddresses(
  db: Db,
  mailboxId: string,
  now: Date = new Date(),
): Promise<string[]> {
  const rows = await db
    .selectFrom('aliases')
    .select('address')
    .where('mailbox_id', '=', mailboxId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('address')
    .execute();
  return rows.map((r) => r.address);
}

/**
 * Moves a live mailbox to a new address (and agency) under a new generation, unless a live mailbox
 * holds that address. The unique index stays the final judge of a concurrent insert.
 */
export async function readdressMailbox(
  db: Db,
  id: string,
  change: {
    address: string;
    localPart: string;
    agencyId?: string | undefined;
    /** Another domain (and province): a merger of provinces moves mailboxes to the new primary. */
    domain?: string | undefined;
    province?: string | undefined;
  },
  at: Date,
): Promise<Mailbox | null> {
  const { rows } = await sql<Selectable<MailboxesTable>>`
    UPDATE mailboxes SET address = ${change.address}, local_part = ${change.localPart},
        agency_id = coalesce(${change.agencyId ?? null}::uuid, agency_id),
        domain = coalesce(${change.domain ?? null}::text, domain),
        province = coalesce(${change.province ?? null}::text, province),
        generation = generation + 1, updated_at = ${at}
      WHERE id = ${id} AND state <> 'deleted'
        AND NOT EXISTS (SELECT 1 FROM mailboxes o WHERE o.address = ${change.address} AND o.state <> 'deleted' AND o.id <> ${id})
      RETURNING *`.execute(db);
  return rows[0] ? toMailbox(rows[0]) : null;
}

/** Live mailboxes of these agencies (personal and agency), oldest first. */
export async function listLiveMailboxesOfAgencies(db: Db, agencyIds: readonly string[]): Promise<Mailbox[]> {
  if (agencyIds.length === 0) return [];
  const rows = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('agency_id', 'in', agencyIds)
    .where('state', '<>', 'deleted')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toMailbox);
}
