// Group addresses (Đắk Nông internal@, internal.<agency>@): their members are derived from the
// agency tree when synced; the allowed senders are recorded here and sent with every command.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { DirectoryDatabase, MailGroupsTable } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface MailGroup {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  province: string;
  kind: 'province' | 'agency';
  agencyId: string | null;
  allowedSenders: string[];
  membersHash: string | null;
  generation: number;
  state: 'active' | 'deleted';
}

function toGroup(r: Selectable<MailGroupsTable>): MailGroup {
  return {
    id: r.id,
    address: r.address,
    localPart: r.local_part,
    domain: r.domain,
    province: r.province,
    kind: r.kind,
    agencyId: r.agency_id,
    allowedSenders: r.allowed_senders,
    membersHash: r.members_hash,
    generation: r.generation,
    state: r.state,
  };
}

/** Inserts the group unless an active group has its address; true when inserted. */
export async function insertGroupIfNew(
  db: Db,
  g: Omit<MailGroup, 'membersHash' | 'generation' | 'state'>,
  at: Date,
): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO mail_groups (id, address, local_part, domain, province, kind, agency_id, allowed_senders, created_at, updated_at)
    VALUES (${g.id}, ${g.address}, ${g.localPart}, ${g.domain}, ${g.province}, ${g.kind}, ${g.agencyId},
            ${g.allowedSenders}::text[], ${at}, ${at})
    ON CONFLICT DO NOTHING RETURNING id`.execute(db);
  return rows.length === 1;
}

export async function findGroup(db: Db, id: string, options: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom('mail_groups').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toGroup(row) : null;
}

export async function findActiveGroupByAddress(db: Db, address: string): Promise<MailGroup | null> {
  const row = await db
    .selectFrom('mail_groups')
    .selectAll()
    .where('address', '=', address)
    .where('state', '=', 'active')
    .executeTakeFirst();
  return row ? toGroup(row) : null;
}

export async function listGroups(db: Db, filter: { province?: string | undefined }): Promise<MailGroup[]> {
  let q = db.selectFrom('mail_groups').selectAll().where('state', '=', 'active').orderBy('address');
  if (filter.province) q = q.where('province', '=', filter.province);
  return (await q.execute()).map(toGroup);
}

/** Ids of active groups not locked by another syncer. */
export async function lockActiveGroupIds(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_groups')
    .select('id')
    .where('state', '=', 'active')
    .orderBy('updated_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
  return rows.map((r) => r.id);
}

export async function updateGroup(
  db: Db,
  id: string,
  change: {
    membersHash?: string | null;
    generation?: number;
    allowedSenders?: string[];
    state?: 'active' | 'deleted';
  },
  at: Date,
): Promise<void> {
  await db
    .updateTable('mail_groups')
    .set({
      ...(change.membersHash !== undefined ? { members_hash: change.membersHash } : {}),
      ...(change.generation !== undefined ? { generation: change.generation } : {}),
      ...(change.allowedSenders !== undefined ? { allowed_senders: change.allowedSenders } : {}),
      ...(change.state !== undefined ? { state: change.state } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/**
 * The members of a group, from the tree: the active personal mailboxes of the province, or of the
 * agency and every unit below it.
 */
export async function listGroupMembers(db: Db, group: MailGroup): Promise<string[]> {
  const { rows } =
    group.kind === 'province'
      ? await sql<{ address: string }>`
          SELECT address FROM mailboxes
          WHERE province = ${group.province} AND type = 'personal' AND state = 'active'
          ORDER BY address`.execute(db)
      : await sql<{ address: string }>`
          WITH RECURSIVE below AS (
            SELECT id, 0 AS depth FROM agencies WHERE id = ${group.agencyId}
            UNION ALL
            SELECT c.id, b.depth + 1 FROM agencies c JOIN below b ON c.parent_id = b.id WHERE b.depth < 32
          )
          SELECT m.address FROM mailboxes m JOIN below b ON b.id = m.agency_id
          WHERE m.type = 'personal' AND m.state = 'active'
          ORDER BY m.address`.execute(db);
  return rows.map((r) => r.address);
}
