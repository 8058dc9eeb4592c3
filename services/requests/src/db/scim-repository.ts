// The Kysely code of SCIM (docs/scim.md): the users an identity provider created, each joined with
// its create item, its mailbox in the directory replica and its agency; and the SCIM bearer
// tokens of API clients (by SHA-256 only).
import { type Kysely, sql, type Transaction } from 'kysely';
import { preferredAtAddress } from './replica-repository.ts';
import type { Database, ScimPerson } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface ScimUserRow {
  id: string;
  userName: string;
  externalId: string | null;
  person: ScimPerson;
  agencyId: string;
  agencyName: string;
  ancestorIds: string[];
  clientAgencyId: string;
  requestId: string;
  itemStatus: string;
  /** The linked mailbox, or else the one the create item's result names (to be linked). */
  mailbox: { mailboxId: string; address: string; state: string } | null;
  linked: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

function selectUsers(db: Db) {
  return db
    .selectFrom('scim_users as s')
    .innerJoin('request_items as i', 'i.id', 's.create_item_id')
    .innerJoin('agencies as a', 'a.agency_id', 's.agency_id')
    .leftJoin('mailboxes as m', 'm.mailbox_id', 's.mailbox_id')
    .leftJoinLateral(
      (eb) =>
        eb
          // one live mailbox at the create's result address (`preferredAtAddress`)
          .selectFrom('mailboxes as r')
          .select(['r.mailbox_id', 'r.address', 'r.state'])
          .whereRef('r.address', '=', 'i.result_address')
          .where('r.state', '!=', 'deleted')
          .orderBy(preferredAtAddress('r'))
          .limit(1)
          .as('r'),
      (join) => join.onTrue(),
    )
    .select([
      's.id',
      's.user_name',
      's.external_id',
      's.person',
      's.agency_id',
      's.client_agency_id',
      's.version',
      's.created_at',
      's.updated_at',
      'a.name as agency_name',
      'a.ancestor_ids',
      'i.request_id',
      'i.status as item_status',
      'm.mailbox_id as m_id',
      'm.address as m_address',
      'm.state as m_state',
      'r.mailbox_id as r_id',
      'r.address as r_address',
      'r.state as r_state',
    ])
    .where('s.deleted_at', 'is', null);
}

type Selected = Awaited<ReturnType<ReturnType<typeof selectUsers>['execute']>>[number];

function toRow(r: Selected): ScimUserRow {
  const linked = r.m_id !== null;
  const mailbox = linked
    ? { mailboxId: r.m_id!, address: r.m_address!, state: r.m_state! }
    : r.r_id
      ? { mailboxId: r.r_id, address: r.r_address!, state: r.r_state! }
      : null;
  return {
    id: r.id,
    userName: r.user_name,
    externalId: r.external_id,
    person: r.person,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    ancestorIds: r.ancestor_ids,
    clientAgencyId: r.client_agency_id,
    requestId: r.request_id,
    itemStatus: r.item_status,
    mailbox,
    linked,
    version: r.version,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/** A live user by id, whoever's it is (the caller checks the agency). */
export async function findScimUser(db: Db, id: string): Promise<ScimUserRow | undefined> {
  const row = await selectUsers(db).where('s.id', '=', id).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** The live users of an agency and its sub-units, oldest first, narrowed by the filter's equalities. */
export async function listScimUsers(
  db: Db,
  agencyId: string,
  narrowing: { userName?: string; externalId?: string; id?: string },
): Promise<ScimUserRow[]> {
  let q = selectUsers(db).where((eb) => eb(eb.val(agencyId), '=', eb.fn.any('a.ancestor_ids')));
  if (narrowing.userName !== undefined)
    q = q.where((eb) => eb(eb.fn('lower', ['s.user_name']), '=', narrowing.userName!.toLowerCase()));
  if (narrowing.externalId !== undefined) q = q.where('s.external_id', '=', narrowing.externalId);
  if (narrowing.id !== undefined) {
    if (!/^[0-9a-f-]{36}$/i.test(narrowing.id)) return [];
    q = q.where('s.id', '=', narrowing.id);
  }
  return (await q.orderBy('s.created_at').orderBy('s.id').execute()).map(toRow);
}

/** The live users of these agencies (a Group's members). */
export async function listScimUsersOfAgencies(db: Db, agencyIds: readonly string[]): Promise<ScimUserRow[]> {
  if (agencyIds.length === 0) return [];
  return (
    await selectUsers(db)
      .where('s.agency_id', 'in', [...agencyIds])
      .orderBy('s.created_at')
      .execute()
  ).map(toRow);
}

export async function insertScimUser(
  trx: Transaction<Database>,
  u: {
    id: string;
    clientAgencyId: string;
    agencyId: string;
    userName: string;
    externalId: string | null;
    person: ScimPerson;
    createItemId: string;
    at: Date;
  },
): Promise<void> {
  await trx
    .insertInto('scim_users')
    .values({
      id: u.id,
      client_agency_id: u.clientAgencyId,
      agency_id: u.agencyId,
      user_name: u.userName,
      external_id: u.externalId,
      person: JSON.stringify(u.person),
      create_item_id: u.createItemId,
      created_at: u.at,
      updated_at: u.at,
    })
    .execute();
}

/** Records the mailbox the create made, once the replica knows it (address changes keep the id). */
export async function linkScimMailbox(db: Db, id: string, mailboxId: string): Promise<void> {
  await db
    .updateTable('scim_users')
    .set({ mailbox_id: mailboxId })
    .where('id', '=', id)
    .where('mailbox_id', 'is', null)
    .execute();
}

/** Writes a change if nobody changed the user since `version` was read; false when somebody did. */
export async function updateScimUser(
  trx: Transaction<Database>,
  id: string,
  version: number,
  set: { userName: string; externalId: string | null; person: ScimPerson; agencyId: string; at: Date },
): Promise<boolean> {
  const r = await trx
    .updateTable('scim_users')
    .set({
      user_name: set.userName,
      external_id: set.externalId,
      person: JSON.stringify(set.person),
      agency_id: set.agencyId,
      updated_at: set.at,
      version: version + 1,
    })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function markScimUserDeleted(
  trx: Transaction<Database>,
  id: string,
  version: number,
  at: Date,
): Promise<boolean> {
  const r = await trx
    .updateTable('scim_users')
    .set({ deleted_at: at, updated_at: at, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertScimToken(
  db: Db,
  t: { id: string; clientId: string; tokenHash: string; label: string; at: Date },
): Promise<void> {
  await db
    .insertInto('scim_tokens')
    .values({ id: t.id, client_id: t.clientId, token_hash: t.tokenHash, label: t.label, created_at: t.at })
    .execute();
}

export async function listScimTokens(db: Db, clientId: string) {
  return db
    .selectFrom('scim_tokens')
    .select(['id', 'label', 'created_at', 'revoked_at'])
    .where('client_id', '=', clientId)
    .orderBy('created_at')
    .execute();
}

/** Revokes a client's token (again: no change); false when the client has no such token. */
export async function revokeScimToken(db: Db, clientId: string, id: string, at: Date): Promise<boolean> {
  const token = await db
    .selectFrom('scim_tokens')
    .select('id')
    .where('client_id', '=', clientId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!token) return false;
  await db
    .updateTable('scim_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return true;
}

/** The client a live token (not revoked, client not disabled) belongs to. */
export async function findClientByScimToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('scim_tokens as t')
    .innerJoin('api_clients as c', 'c.client_id', 't.client_id')
    .select(['c.client_id', 'c.agency_id'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where('c.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** A live user of the tenant (the agency whose client created it) with this userName, any case. */
export async function findScimUserByUserName(db: Db, clientAgencyId: string, userName: string) {
  return db
    .selectFrom('scim_users')
    .select('id')
    .where('client_agency_id', '=', clientAgencyId)
    .where((eb) => eb(eb.fn('lower', ['user_name']), '=', userName.toLowerCase()))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Items of the requests a SCIM user's changes filed (reference SCIM/<id>) that have not ended yet. */
export async function countUnfinishedScimItems(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('request_items as i')
    .innerJoin('requests as r', 'r.id', 'i.request_id')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(sql<string>`r.reference->>'number'`, '=', `SCIM/${userId}`)
    .where('i.status', 'not in', ['completed', 'failed', 'rejected'])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
