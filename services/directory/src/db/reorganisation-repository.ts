// Reorganisations: the stored plan with its dry run, the computed mailbox changes (applied in
// batches, each marked in the batch's transaction so a crash resumes where it stopped), the
// approvals, and the reads a dry run needs in bulk (agencies, mailboxes with their holders, taken
// local parts of a province's domains).
import { type Kysely, sql } from 'kysely';
import type { DirectoryDatabase, ReorganisationState } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export interface SnapshotAgencyRow {
  id: string;
  province: string;
  name: string;
  abbreviation: string;
  unitType: string;
  parentId: string | null;
  unitCode: string | null;
  officialMailboxId: string | null;
  dissolved: boolean;
  dissolvedInto: string | null;
  formerProvince: string | null;
  formerAbbreviations: string[];
}

/** Agencies of these provinces, or that belonged to one of them before a merger. */
export async function listAgenciesForPlan(
  db: Db,
  provinces: readonly string[],
): Promise<SnapshotAgencyRow[]> {
  if (provinces.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    province: string;
    name: string;
    abbreviation: string;
    unit_type: string;
    parent_id: string | null;
    unit_code: string | null;
    official_mailbox_id: string | null;
    dissolved_at: Date | null;
    dissolved_into: string | null;
    former_province: string | null;
    former: string[] | null;
  }>`
    SELECT a.id, a.province, a.name, a.abbreviation, a.unit_type, a.parent_id, a.unit_code, a.official_mailbox_id,
           a.dissolved_at, a.dissolved_into, a.former_province,
           (SELECT array_agg(DISTINCT v.abbreviation) FROM agency_versions v
             WHERE v.agency_id = a.id AND v.abbreviation <> a.abbreviation) AS former
      FROM agencies a
     WHERE a.province = ANY(${provinces}::text[]) OR a.former_province = ANY(${provinces}::text[])
     ORDER BY a.created_at, a.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    province: r.province,
    name: r.name,
    abbreviation: r.abbreviation,
    unitType: r.unit_type,
    parentId: r.parent_id,
    unitCode: r.unit_code,
    officialMailboxId: r.official_mailbox_id,
    dissolved: r.dissolved_at !== null,
    dissolvedInto: r.dissolved_into,
    formerProvince: r.former_province,
    formerAbbreviations: r.former ?? [],
  }));
}

export interface SnapshotMailboxRow {
  id: string;
  localPart: string;
  domain: string;
  type: 'personal' | 'agency';
  agencyId: string;
  personId: string | null;
  familyName: string | null;
  middleName: string | null;
  givenName: string | null;
}

/** Live mailboxes of these agencies with their holders' names, in one read. */
export async function listMailboxesForPlan(
  db: Db,
  agencyIds: readonly string[],
): Promise<SnapshotMailboxRow[]> {
  if (agencyIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    local_part: string;
    domain: string;
    type: 'personal' | 'agency';
    agency_id: string;
    person_id: string | null;
    family_name: string | null;
    middle_name: string | null;
    given_name: string | null;
  }>`
    SELECT m.id, m.local_part, m.domain, m.type, m.agency_id, m.person_id, p.family_name, p.middle_name, p.given_name
      FROM mailboxes m LEFT JOIN people p ON p.id = m.person_id
     WHERE m.agency_id = ANY(${agencyIds}::uuid[]) AND m.state <> 'deleted'
     ORDER BY m.created_at, m.id`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    localPart: r.local_part,
    domain: r.domain,
    type: r.type,
    agencyId: r.agency_id,
    personId: r.person_id,
    familyName: r.family_name,
    middleName: r.middle_name,
    givenName: r.given_name,
  }));
}

/** How many holders each local part has in these domains now (mailboxes, aliases, retired, reserved). */
export async function countTakenLocalParts(
  db: Db,
  domains: readonly string[],
  reservedDomain: string,
  now: Date,
): Promise<Map<string, number>> {
  const { rows } = await sql<{ local_part: string; n: string }>`
    SELECT local_part, count(*) AS n FROM (
      SELECT local_part FROM mailboxes WHERE domain = ANY(${domains}::text[]) AND state <> 'deleted'
      UNION ALL SELECT local_part FROM aliases WHERE domain = ANY(${domains}::text[])
        AND (expires_at IS NULL OR expires_at > ${now})
      UNION ALL SELECT local_part FROM retired_addresses WHERE domain = ANY(${domains}::text[]) AND hold_until > ${now}
      UNION ALL SELECT local_part FROM reserved_addresses WHERE domain = ${reservedDomain}
    ) t GROUP BY local_part`.execute(db);
  return new Map(rows.map((r) => [r.local_part, Number(r.n)]));
}

export interface ReorganisationRow {
  id: string;
  plan: unknown;
  planDigest: string;
  title: string;
  effectiveFrom: string;
  state: ReorganisationState;
  summary: unknown;
  structure: unknown;
  conflictCount: number;
  changeCount: number;
  appliedCount: number;
  structureDone: boolean;
  createdAt: Date;
  createdBy: string;
  applyStartedAt: Date | null;
  appliedAt: Date | null;
  /** Set once an operator cancelled the plan (state `cancelled`). */
  cancelled: { by: string; at: Date; reason: string } | null;
}

const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

function toRow(r: Record<string, unknown>): ReorganisationRow {
  return {
    id: r.id as string,
    plan: parse(r.plan),
    planDigest: r.plan_digest as string,
    title: r.title as string,
    effectiveFrom:
      r.effective_from instanceof Date
        ? (r.effective_from as Date).toISOString().slice(0, 10)
        : String(r.effective_from).slice(0, 10),
    state: r.state as ReorganisationState,
    summary: parse(r.summary),
    structure: parse(r.structure),
    conflictCount: Number(r.conflict_count),
    changeCount: Number(r.change_count),
    appliedCount: Number(r.applied_count),
    structureDone: Boolean(r.structure_done),
    createdAt: new Date(r.created_at as string),
    createdBy: r.created_by as string,
    applyStartedAt: r.apply_started_at ? new Date(r.apply_started_at as string) : null,
    appliedAt: r.applied_at ? new Date(r.applied_at as string) : null,
    cancelled: r.cancelled_at
      ? {
          by: r.cancelled_by as string,
          at: new Date(r.cancelled_at as string),
          reason: r.cancel_reason as string,
        }
      : null,
  };
}

export async function insertReorganisation(
  db: Db,
  r: Omit<ReorganisationRow, 'appliedCount' | 'structureDone' | 'applyStartedAt' | 'appliedAt' | 'cancelled'>,
): Promise<void> {
  await db
    .insertInto('reorganisations')
    .values({
      id: r.id,
      plan: JSON.stringify(r.plan),
      plan_digest: r.planDigest,
      title: r.title,
      effective_from: r.effectiveFrom,
      state: r.state,
      summary: JSON.stringify(r.summary),
      structure: JSON.stringify(r.structure),
      conflict_count: r.conflictCount,
      change_count: r.changeCount,
      created_at: r.createdAt,
      created_by: r.createdBy,
    })
    .execute();
}

export async function findReorganisation(
  db: Db,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReorganisationRow | null> {
  let q = db.selectFrom('reorganisations').selectAll().where('id', '=', id);
  if (options.forUpdate) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row ? toRow(row as unknown as Record<string, unknown>) : null;
}

/**
 * The unfinished reorganisation of this very plan, if any (a plan posted again is the same one; after
 * it was applied or cancelled, a new one).
 */
export async function findOpenByDigest(db: Db, digest: string): Promise<ReorganisationRow | null> {
  const row = await db
    .selectFrom('reorganisations')
    .selectAll()
    .where('plan_digest', '=', digest)
    .where('state', 'not in', ['applied', 'cancelled'])
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row ? toRow(row as unknown as Record<string, unknown>) : null;
}

export async function listReorganisations(db: Db): Promise<ReorganisationRow[]> {
  const rows = await db
    .selectFrom('reorganisations')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => toRow(r as unknown as Record<string, unknown>));
}

export async function listUnfinishedApplies(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('reorganisations').select('id').where('state', '=', 'applying').execute();
  return rows.map((r) => r.id);
}

export async function updateReorganisation(
  db: Db,
  id: string,
  change: {
    state?: ReorganisationState;
    structureDone?: boolean;
    appliedDelta?: number;
    applyStartedAt?: Date;
    appliedAt?: Date;
  },
): Promise<void> {
  await db
    .updateTable('reorganisations')
    .set((eb) => ({
      ...(change.state ? { state: change.state } : {}),
      ...(change.structureDone !== undefined ? { structure_done: change.structureDone } : {}),
      ...(change.appliedDelta ? { applied_count: eb('applied_count', '+', change.appliedDelta) } : {}),
      ...(change.applyStartedAt ? { apply_started_at: change.applyStartedAt } : {}),
      ...(change.appliedAt ? { applied_at: change.appliedAt } : {}),
    }))
    .where('id', '=', id)
    .execute();
}

export interface ChangeRow {
  reorganisationId: string;
  seq: number;
  mailboxId: string;
  kind: 'readdress' | 'move' | 'retire' | 'alias';
  agencyId: string;
  fromAgencyId: string;
  fromAddress: string;
  toAddress: string;
  aliasTargetAgencyId: string | null;
  displayName: string;
  state: 'pending' | 'applied' | 'skipped';
  note: string | null;
}

export async function insertChanges(
  db: Db,
  changes: readonly Omit<ChangeRow, 'state' | 'note'>[],
): Promise<void> {
  for (let i = 0; i < changes.length; i += 1000) {
    await db
      .insertInto('reorganisation_changes')
      .values(
        changes.slice(i, i + 1000).map((c) => ({
          reorganisation_id: c.reorganisationId,
          seq: c.seq,
          mailbox_id: c.mailboxId,
          kind: c.kind,
          agency_id: c.agencyId,
          from_agency_id: c.fromAgencyId,
          from_address: c.fromAddress,
          to_address: c.toAddress,
          alias_target_agency_id: c.aliasTargetAgencyId,
          display_name: c.displayName,
          note: null,
        })),
      )
      .execute();
  }
}

const toChange = (r: Record<string, unknown>): ChangeRow => ({
  reorganisationId: r.reorganisation_id as string,
  seq: Number(r.seq),
  mailboxId: r.mailbox_id as string,
  kind: r.kind as ChangeRow['kind'],
  agencyId: r.agency_id as string,
  fromAgencyId: r.from_agency_id as string,
  fromAddress: r.from_address as string,
  toAddress: r.to_address as string,
  aliasTargetAgencyId: (r.alias_target_agency_id as string | null) ?? null,
  displayName: r.display_name as string,
  state: r.state as ChangeRow['state'],
  note: (r.note as string | null) ?? null,
});

/**
 * The next pending changes, locked (SKIP LOCKED: parallel batches take different rows); retired and
 * aliased agency mailboxes last, after the mailboxes they forward to have their new addresses.
 */
export async function claimPendingChanges(db: Db, id: string, limit: number): Promise<ChangeRow[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT * FROM reorganisation_changes
     WHERE reorganisation_id = ${id} AND state = 'pending'
       AND (kind IN ('readdress', 'move') OR NOT EXISTS (
         SELECT 1 FROM reorganisation_changes o
          WHERE o.reorganisation_id = ${id} AND o.state = 'pending' AND o.kind IN ('readdress', 'move')))
     ORDER BY seq LIMIT ${limit} FOR UPDATE SKIP LOCKED`.execute(db);
  return rows.map(toChange);
}

/** Marks a batch's changes done in one statement. */
export async function markChanges(
  db: Db,
  id: string,
  done: readonly { seq: number; state: 'applied' | 'skipped'; note: string | null }[],
  at: Date,
): Promise<void> {
  if (done.length === 0) return;
  await sql`
    UPDATE reorganisation_changes c SET state = d.state, note = d.note, applied_at = ${at}
      FROM unnest(${done.map((d) => d.seq)}::int[], ${done.map((d) => d.state)}::text[], ${done.map((d) => d.note)}::text[])
        AS d(seq, state, note)
     WHERE c.reorganisation_id = ${id} AND c.seq = d.seq`.execute(db);
}

/** An agency's province, without locking its row (parallel batches read the same agencies). */
export async function findAgencyProvince(db: Db, id: string): Promise<string | null> {
  const row = await db.selectFrom('agencies').select('province').where('id', '=', id).executeTakeFirst();
  return row?.province ?? null;
}

export async function countPendingChanges(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('reorganisation_changes')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('reorganisation_id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function listChanges(
  db: Db,
  id: string,
  filter: { q?: string | undefined; limit?: number; offset?: number } = {},
): Promise<ChangeRow[]> {
  let q = db
    .selectFrom('reorganisation_changes')
    .selectAll()
    .where('reorganisation_id', '=', id)
    .orderBy('seq');
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb('from_address', 'ilike', like),
        eb('to_address', 'ilike', like),
        eb('display_name', 'ilike', like),
      ]),
    );
  }
  if (filter.limit !== undefined) q = q.limit(filter.limit);
  if (filter.offset !== undefined) q = q.offset(filter.offset);
  return (await q.execute()).map((r) => toChange(r as unknown as Record<string, unknown>));
}

export async function insertApproval(
  db: Db,
  a: { reorganisationId: string; operator: string; reason: string; at: Date },
): Promise<boolean> {
  const r = await db
    .insertInto('reorganisation_approvals')
    .values({ reorganisation_id: a.reorganisationId, operator: a.operator, reason: a.reason, at: a.at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listApprovals(db: Db, id: string) {
  const rows = await db
    .selectFrom('reorganisation_approvals')
    .selectAll()
    .where('reorganisation_id', '=', id)
    .orderBy('at')
    .execute();
  return rows.map((r) => ({ operator: r.operator, reason: r.reason, at: new Date(r.at).toISOString() }));
}

/** Applies an agency's row after a reorganisation (province, domain, unit code, dissolution). */
export async function updateAgencyPlace(
  db: Db,
  id: string,
  change: {
    province: string;
    domain: string | null;
    unitCode: string | null;
    formerProvince: string | null;
    dissolved: boolean;
    dissolvedInto: string | null;
  },
  at: Date,
): Promise<void> {
  await db
    .updateTable('agencies')
    .set({
      province: change.province,
      ...(change.domain ? { domain: change.domain } : {}),
      unit_code: change.unitCode,
      former_province: change.formerProvince,
      ...(change.dissolved ? { dissolved_at: at, dissolved_into: change.dissolvedInto } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .execute();
}

/** A person moved with their mailbox (merged agency, merged province). */
export async function movePerson(
  db: Db,
  personId: string,
  agencyId: string,
  province: string,
): Promise<void> {
  await db.updateTable('people').set({ agency_id: agencyId, province }).where('id', '=', personId).execute();
}

/** movePerson for many people in one statement. */
export async function movePeople(
  db: Db,
  moves: readonly { personId: string; agencyId: string; province: string }[],
): Promise<void> {
  if (moves.length === 0) return;
  await sql`
    UPDATE people p SET agency_id = m.agency_id, province = m.province
      FROM unnest(${moves.map((m) => m.personId)}::uuid[], ${moves.map((m) => m.agencyId)}::uuid[],
                  ${moves.map((m) => m.province)}::text[]) AS m(id, agency_id, province)
     WHERE p.id = m.id`.execute(db);
}

/** findAgencyProvince for many agencies in one query. */
export async function findAgencyProvinces(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('agencies')
    .select(['id', 'province'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.province]));
}

/**
 * Makes the retired agency mailbox's address an alias of `targetMailboxId` for good, keyed by the
 * retired mailbox's id with a generation above its delete: its commands then follow the delete in
 * the same partition and the provisioner does not take them for older ones.
 */
export async function writeMergedMailboxAlias(
  db: Db,
  a: {
    address: string;
    localPart: string;
    domain: string;
    retiredMailboxId: string;
    targetMailboxId: string;
    generation: number;
  },
  at: Date,
): Promise<void> {
  await db.deleteFrom('aliases').where('address', '=', a.address).execute();
  await db
    .insertInto('aliases')
    .values({
      id: a.retiredMailboxId,
      address: a.address,
      local_part: a.localPart,
      domain: a.domain,
      mailbox_id: a.targetMailboxId,
      kind: 'alias',
      expires_at: null,
      created_at: at,
      generation: a.generation,
    })
    .execute();
}
