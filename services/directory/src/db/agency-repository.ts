// Agencies: the tree of units of each province, with their abbreviations and official mailboxes.
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AgenciesTable, DirectoryDatabase } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface Agency {
  id: string;
  province: string;
  domain: string;
  name: string;
  abbreviation: string;
  unitType: string;
  parentId: string | null;
  unitCode: string | null;
  officialMailboxId: string | null;
  validFrom: Date;
  registrationKey: string | null;
  /** Dissolved (on its own, or merged away by a reorganisation): no new mailboxes, no changes. */
  dissolvedAt: Date | null;
}

export interface NewAgency {
  id: string;
  province: string;
  domain: string;
  name: string;
  foldedName: string;
  abbreviation: string;
  unitType: string;
  parentId: string | null;
  unitCode: string | null;
  validFrom: Date;
  registrationKey?: string | null | undefined;
}

function toAgency(row: Selectable<AgenciesTable>): Agency {
  return {
    id: row.id,
    province: row.province,
    domain: row.domain,
    name: row.name,
    abbreviation: row.abbreviation,
    unitType: row.unit_type,
    parentId: row.parent_id,
    unitCode: row.unit_code,
    officialMailboxId: row.official_mailbox_id,
    validFrom: new Date(row.valid_from),
    registrationKey: row.registration_key ?? null,
    dissolvedAt: row.dissolved_at ? new Date(row.dissolved_at) : null,
  };
}

/** Inserts the agency unless (province, abbreviation) exists; true when this call inserted it. */
export async function insertAgencyIfNew(db: Db, agency: NewAgency): Promise<boolean> {
  const result = await db
    .insertInto('agencies')
    .values({
      id: agency.id,
      province: agency.province,
      domain: agency.domain,
      name: agency.name,
      folded_name: agency.foldedName,
      abbreviation: agency.abbreviation,
      unit_type: agency.unitType,
      parent_id: agency.parentId,
      unit_code: agency.unitCode,
      valid_from: agency.validFrom,
      registration_key: agency.registrationKey ?? null,
    })
    .onConflict((oc) => oc.columns(['province', 'abbreviation']).doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  await db
    .insertInto('agency_versions')
    .values({
      agency_id: agency.id,
      name: agency.name,
      abbreviation: agency.abbreviation,
      parent_id: agency.parentId,
      valid_from: agency.validFrom,
      unit_code: agency.unitCode,
    })
    .execute();
  return true;
}

export async function findAgencyById(db: Db, id: string): Promise<Agency | null> {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom('agencies').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAgency(row) : null;
}

/** These agencies by id, in one query. */
export async function findAgenciesByIds(db: Db, ids: readonly string[]): Promise<Map<string, Agency>> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('agencies').selectAll().where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, toAgency(row)]));
}

export async function findAgencyByAbbreviation(
  db: Db,
  province: string,
  abbreviation: string,
): Promise<Agency | null> {
  const row = await db
    .selectFrom('agencies')
    .selectAll()
    .where('province', '=', province)
    .where('abbreviation', '=', abbreviation)
    .executeTakeFirst();
  return row ? toAgency(row) : null;
}

/** Which of these abbreviations the province's agencies already hold. */
export async function takenAbbreviations(
  db: Db,
  province: string,
  candidates: string[],
): Promise<Set<string>> {
  if (candidates.length === 0) return new Set();
  const rows = await db
    .selectFrom('agencies')
    .select('abbreviation')
    .where('province', '=', province)
    .where('abbreviation', 'in', candidates)
    .execute();
  return new Set(rows.map((r) => r.abbreviation));
}

export async function findAgenciesByAbbreviation(
  db: Db,
  abbreviation: string,
  province?: string | undefined,
): Promise<Agency[]> {
  let q = db.selectFrom('agencies').selectAll().where('abbreviation', '=', abbreviation);
  if (province) q = q.where('province', '=', province);
  return (await q.execute()).map(toAgency);
}

export async function listAgencies(db: Db, filter: { province?: string | undefined }): Promise<Agency[]> {
  let q = db.selectFrom('agencies').selectAll().orderBy('province').orderBy('abbreviation');
  if (filter.province) q = q.where('province', '=', filter.province);
  return (await q.execute()).map(toAgency);
}

/** The agency and all its ancestors, nearest first. */
export async function findAgencyLineage(db: Db, id: string): Promise<Agency[]> {
  if (!isUuid(id)) return [];
  const { rows } = await sql<Selectable<AgenciesTable> & { depth: number }>`
    WITH RECURSIVE lineage AS (
      SELECT a.*, 0 AS depth FROM agencies a WHERE a.id = ${id}
      UNION ALL
      SELECT p.*, l.depth + 1 FROM agencies p JOIN lineage l ON p.id = l.parent_id WHERE l.depth < 32
    )
    SELECT * FROM lineage ORDER BY depth`.execute(db);
  return rows.map(toAgency);
}

/** The agencies below this one (children, grandchildren…), not including it. */
export async function findDescendantIds(db: Db, id: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    WITH RECURSIVE below AS (
      SELECT a.id, 0 AS depth FROM agencies a WHERE a.parent_id = ${id}
      UNION ALL
      SELECT c.id, b.depth + 1 FROM agencies c JOIN below b ON c.parent_id = b.id WHERE b.depth < 32
    )
    SELECT id FROM below`.execute(db);
  return rows.map((r) => r.id);
}

export async function setOfficialMailbox(
  db: Db,
  agencyId: string,
  mailboxId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('agencies')
    .set({ official_mailbox_id: mailboxId, updated_at: at })
    .where('id', '=', agencyId)
    .execute();
}

/** The agency whose own mailbox this was has none any more (the mailbox was deleted). */
export async function clearOfficialMailbox(db: Db, mailboxId: string, at: Date): Promise<void> {
  await db
    .updateTable('agencies')
    .set({ official_mailbox_id: null, updated_at: at })
    .where('official_mailbox_id', '=', mailboxId)
    .execute();
}

export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

export async function findAgencyForUpdate(db: Db, id: string): Promise<Agency | null> {
  if (!isUuid(id)) return null;
  const row = await db.selectFrom('agencies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? toAgency(row) : null;
}

/**
 * Changes name / abbreviation / parent (and the unit code when given) and closes the current
 * version, opening a new one that carries the unit code the agency then has.
 */
export async function changeAgencyVersion(
  db: Db,
  id: string,
  change: {
    name: string;
    foldedName: string;
    abbreviation: string;
    parentId: string | null;
    /** A new unit code (null clears it); absent keeps the current one. */
    unitCode?: string | null | undefined;
    validFrom: Date;
    reason: string | null;
    actor: string;
  },
  at: Date,
): Promise<void> {
  const updated = await db
    .updateTable('agencies')
    .set({
      name: change.name,
      folded_name: change.foldedName,
      abbreviation: change.abbreviation,
      parent_id: change.parentId,
      ...(change.unitCode !== undefined ? { unit_code: change.unitCode } : {}),
      valid_from: change.validFrom,
      updated_at: at,
    })
    .where('id', '=', id)
    .returning('unit_code')
    .executeTakeFirst();
  await db
    .updateTable('agency_versions')
    .set({ valid_to: change.validFrom })
    .where('agency_id', '=', id)
    .where('valid_to', 'is', null)
    .execute();
  await db
    .insertInto('agency_versions')
    .values({
      agency_id: id,
      name: change.name,
      abbreviation: change.abbreviation,
      parent_id: change.parentId,
      valid_from: change.validFrom,
      reason: change.reason,
      actor: change.actor,
      unit_code: updated?.unit_code ?? null,
    })
    .execute();
}

/** Marks the agency dissolved from `at` and closes its current version (the row stays: history). */
export async function dissolveAgencyRow(
  db: Db,
  id: string,
  dissolution: { at: Date; reason: string; actor: string },
): Promise<void> {
  await db
    .updateTable('agencies')
    .set({
      dissolved_at: dissolution.at,
      dissolved_reason: dissolution.reason,
      dissolved_by: dissolution.actor,
      updated_at: dissolution.at,
    })
    .where('id', '=', id)
    .execute();
  await db
    .updateTable('agency_versions')
    .set({ valid_to: dissolution.at })
    .where('agency_id', '=', id)
    .where('valid_to', 'is', null)
    .execute();
}

/** Units directly or indirectly below the agency that are not dissolved. */
export async function countLiveDescendants(db: Db, id: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    WITH RECURSIVE below AS (
      SELECT a.id, a.dissolved_at, 0 AS depth FROM agencies a WHERE a.parent_id = ${id}
      UNION ALL
      SELECT c.id, c.dissolved_at, b.depth + 1 FROM agencies c JOIN below b ON c.parent_id = b.id WHERE b.depth < 32
    )
    SELECT count(*) AS n FROM below WHERE dissolved_at IS NULL`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

export async function listAgencyVersions(db: Db, id: string) {
  const rows = await db
    .selectFrom('agency_versions')
    .selectAll()
    .where('agency_id', '=', id)
    .orderBy('valid_from')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    name: r.name,
    abbreviation: r.abbreviation,
    parentId: r.parent_id,
    validFrom: new Date(r.valid_from).toISOString(),
    validTo: r.valid_to ? new Date(r.valid_to).toISOString() : null,
    reason: r.reason,
    actor: r.actor,
    unitCode: r.unit_code ?? null,
  }));
}

/** Runs `work` under a savepoint of the caller's transaction: a throw undoes its writes only. */
export async function underSavepoint<T>(db: Db, work: () => Promise<T>): Promise<T> {
  await sql`SAVEPOINT unit_change`.execute(db);
  try {
    const result = await work();
    await sql`RELEASE SAVEPOINT unit_change`.execute(db);
    return result;
  } catch (error) {
    await sql`ROLLBACK TO SAVEPOINT unit_change`.execute(db);
    throw error;
  }
}
