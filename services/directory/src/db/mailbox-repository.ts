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

/**
 * insertMailboxIfFree for many mailboxes in one statement (with the time a password was issued to
 * each, where one was); the ids inserted: a mailbox left out lost its address or its holder's one
 * mailbox to a concurrent insert.
 */
export async function insertMailboxesIfFree(
  db: Db,
  mailboxes: readonly (Omit<Mailbox, 'createdAt' | 'updatedAt'> & { passwordIssuedAt: Date | null })[],
  at: Date,
): Promise<Set<string>> {
  if (mailboxes.length === 0) return new Set();
  const rows = await db
    .insertInto('mailboxes')
    .values(
      mailboxes.map((m) => ({
        id: m.id,
        address: m.address,
        local_part: m.localPart,
        domain: m.domain,
        province: m.province,
        type: m.type,
        state: m.state,
        agency_id: m.agencyId,
        person_id: m.personId,
        quota_bytes: m.quotaBytes,
        generation: m.generation,
        password_issued_at: m.passwordIssuedAt,
        created_at: at,
        updated_at: at,
      })),
    )
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function findMailboxById(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('mailboxes').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toMailbox(row) : null;
}

/** These mailboxes by id (locked in id order with forUpdate, so two batches cannot deadlock). */
export async function findMailboxesByIds(
  db: Db,
  ids: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<Map<string, Mailbox>> {
  if (ids.length === 0) return new Map();
  let q = db
    .selectFrom('mailboxes')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id');
  if (options.forUpdate) q = q.forUpdate();
  return new Map((await q.execute()).map((row) => [row.id, toMailbox(row)]));
}

/**
 * Sets these mailboxes' state in one statement (a bulk of confirmed creates); with
 * `bumpGeneration`, under their next generation (the target of the command issued with it).
 */
export async function setMailboxesState(
  db: Db,
  ids: readonly string[],
  state: MailboxStateName,
  at: Date,
  options: { bumpGeneration?: boolean } = {},
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('mailboxes')
    .set((eb) => ({
      state,
      updated_at: at,
      ...(options.bumpGeneration ? { generation: eb('generation', '+', 1) } : {}),
    }))
    .where('id', 'in', [...ids])
    .execute();
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

/** findLivePersonalMailbox for many people of one province in one query, by person id. */
export async function findLivePersonalMailboxes(
  db: Db,
  personIds: readonly string[],
  province: string,
): Promise<Map<string, Mailbox>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('person_id', 'in', [...new Set(personIds)])
    .where('province', '=', province)
    .where('type', '=', 'personal')
    .where('state', '<>', 'deleted')
    .execute();
  return new Map(rows.map((row) => [row.person_id as string, toMailbox(row)]));
}

/** findLiveAgencyMailbox for many agencies in one query, by agency id. */
export async function findLiveAgencyMailboxes(
  db: Db,
  agencyIds: readonly string[],
): Promise<Map<string, Mailbox>> {
  if (agencyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('agency_id', 'in', [...new Set(agencyIds)])
    .where('type', '=', 'agency')
    .where('state', '<>', 'deleted')
    .execute();
  const found = new Map<string, Mailbox>();
  for (const row of rows) if (!found.has(row.agency_id)) found.set(row.agency_id, toMailbox(row));
  return found;
}

/**
 * findLikelySameHolder for many people in one query: the indexes of `holders` that have a live
 * personal mailbox in their agency under the same folded name, position and department.
 */
export async function findLikelySameHolders(
  db: Db,
  holders: readonly {
    agencyId: string;
    foldedName: string;
    position: string | null;
    department: string | null;
  }[],
): Promise<Set<number>> {
  if (holders.length === 0) return new Set();
  const { rows } = await sql<{ n: number }>`
    SELECT DISTINCT q.n::int AS n
    FROM unnest(${holders.map((h) => h.agencyId)}::uuid[], ${holders.map((h) => h.foldedName)}::text[],
                ${holders.map((h) => h.position)}::text[], ${holders.map((h) => h.department)}::text[])
           WITH ORDINALITY AS q(agency_id, folded_name, position, department, n)
    JOIN people p ON p.folded_name = q.folded_name
      AND p.position IS NOT DISTINCT FROM q.position AND p.department IS NOT DISTINCT FROM q.department
    JOIN mailboxes m ON m.person_id = p.id AND m.agency_id = q.agency_id
      AND m.type = 'personal' AND m.state <> 'deleted'`.execute(db);
  return new Set(rows.map((r) => Number(r.n) - 1));
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
  return (await listAliasAddressesOf(db, [mailboxId], now)).get(mailboxId) ?? [];
}

/** listAliasAddresses for many mailboxes in one query: mailboxes without aliases are absent. */
export async function listAliasAddressesOf(
  db: Db,
  mailboxIds: readonly string[],
  now: Date = new Date(),
): Promise<Map<string, string[]>> {
  if (mailboxIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('aliases')
    .select(['mailbox_id', 'address'])
    .where('mailbox_id', 'in', [...new Set(mailboxIds)])
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('address')
    .execute();
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.mailbox_id, [...(out.get(r.mailbox_id) ?? []), r.address]);
  return out;
}

/** What a mailbox's published state is made of (directory-state.ts), read by mailboxStateParts. */
export interface MailboxStateParts {
  mailbox: Mailbox;
  forwardTo: string | null;
  agencyName: string | null;
  person: {
    familyName: string;
    middleName: string;
    givenName: string;
    position: string | null;
    department: string | null;
  } | null;
  /** The aliases whose end has not come by `at`, by address. */
  aliases: string[];
}

/**
 * The mailboxes with their forward, agency's name, person and live aliases, in one statement: the
 * five queries this took (mailboxes, agencies, people, aliases, forwards) were five round trips
 * inside every transaction that publishes a mailbox's state, a create's among them (issue 15).
 */
export async function mailboxStateParts(
  db: Db,
  ids: readonly string[],
  at: Date,
): Promise<Map<string, MailboxStateParts>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<
    Selectable<MailboxesTable> & {
      agency_name: string | null;
      person_found: string | null;
      person_family_name: string;
      person_middle_name: string;
      person_given_name: string;
      person_position: string | null;
      person_department: string | null;
      alias_addresses: string[];
    }
  >`
    SELECT m.*, a.name AS agency_name, p.id AS person_found, p.family_name AS person_family_name,
           p.middle_name AS person_middle_name, p.given_name AS person_given_name,
           p.position AS person_position, p.department AS person_department,
           ARRAY(SELECT al.address FROM aliases al
                 WHERE al.mailbox_id = m.id AND (al.expires_at IS NULL OR al.expires_at > ${at})
                 ORDER BY al.address) AS alias_addresses
    FROM mailboxes m
    LEFT JOIN agencies a ON a.id = m.agency_id
    LEFT JOIN people p ON p.id = m.person_id
    WHERE m.id = ANY(${[...new Set(ids)]}::uuid[])`.execute(db);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        mailbox: toMailbox(row),
        forwardTo: row.forward_to ?? null,
        agencyName: row.agency_name,
        person:
          row.person_found === null
            ? null
            : {
                familyName: row.person_family_name,
                middleName: row.person_middle_name,
                givenName: row.person_given_name,
                position: row.person_position,
                department: row.person_department,
              },
        aliases: row.alias_addresses,
      },
    ]),
  );
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

/**
 * readdressMailbox for many mailboxes in one statement (distinct ids). A mailbox whose new address
 * a live mailbox holds (as the statement starts) is left alone and absent from the answer.
 */
export async function readdressMailboxes(
  db: Db,
  changes: readonly {
    id: string;
    address: string;
    localPart: string;
    agencyId?: string | undefined;
    domain?: string | undefined;
    province?: string | undefined;
  }[],
  at: Date,
): Promise<Map<string, Mailbox>> {
  if (changes.length === 0) return new Map();
  const { rows } = await sql<Selectable<MailboxesTable>>`
    UPDATE mailboxes m SET address = c.address, local_part = c.local_part,
        agency_id = coalesce(c.agency_id, m.agency_id),
        domain = coalesce(c.domain, m.domain),
        province = coalesce(c.province, m.province),
        generation = m.generation + 1, updated_at = ${at}
      FROM unnest(${changes.map((c) => c.id)}::uuid[], ${changes.map((c) => c.address)}::text[],
                  ${changes.map((c) => c.localPart)}::text[], ${changes.map((c) => c.agencyId ?? null)}::uuid[],
                  ${changes.map((c) => c.domain ?? null)}::text[], ${changes.map((c) => c.province ?? null)}::text[])
        AS c(id, address, local_part, agency_id, domain, province)
      WHERE m.id = c.id AND m.state <> 'deleted'
        AND NOT EXISTS (SELECT 1 FROM mailboxes o WHERE o.address = c.address AND o.state <> 'deleted' AND o.id <> c.id)
      RETURNING m.*`.execute(db);
  return new Map(rows.map((row) => [row.id, toMailbox(row)]));
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
