// The Kysely code of imports: the jobs, the per-row keys that make a second run write nothing, the
// directory's state the planner needs (in a few queries, whatever the province's size) and the
// multi-row inserts an apply writes each batch with.
import { type Kysely, type Selectable, sql } from 'kysely';
import { ROLE_ADDRESS_REASON } from './address-repository.ts';
import type { DirectoryDatabase, ImportJobsTable } from './schema.ts';

type Db = Kysely<DirectoryDatabase>;

export type ImportJobState = 'planned' | 'applying' | 'applied' | 'failed';

/** A job without its files: what its progress and the listings read. */
export interface ImportJobStatus {
  id: string;
  province: string;
  digest: string;
  state: ImportJobState;
  mailboxesFormat: string;
  agencyCount: number;
  mailboxCount: number;
  legacyCount: number;
  conflictCount: number;
  error: string | null;
  createdAt: Date;
  applyStartedAt: Date | null;
  appliedAt: Date | null;
}

export interface ImportJob extends ImportJobStatus {
  agenciesText: string;
  mailboxesText: string;
}

/**
 * Every column but the files, which are megabytes at province scale: a progress poll (every
 * 250 ms from the bench and the console) read both files each time (docs/performance.md).
 */
const STATUS_COLUMNS = [
  'id',
  'province',
  'digest',
  'state',
  'mailboxes_format',
  'agency_count',
  'mailbox_count',
  'legacy_count',
  'conflict_count',
  'error',
  'created_at',
  'apply_started_at',
  'applied_at',
] as const;

function toJob(row: Selectable<ImportJobsTable>): ImportJob {
  return { ...toStatus(row), agenciesText: row.agencies_text, mailboxesText: row.mailboxes_text };
}

function toStatus(row: Pick<Selectable<ImportJobsTable>, (typeof STATUS_COLUMNS)[number]>): ImportJobStatus {
  return {
    id: row.id,
    province: row.province,
    digest: row.digest,
    state: row.state,
    mailboxesFormat: row.mailboxes_format,
    agencyCount: row.agency_count,
    mailboxCount: row.mailbox_count,
    legacyCount: row.legacy_count,
    conflictCount: row.conflict_count,
    error: row.error,
    createdAt: new Date(row.created_at),
    applyStartedAt: row.apply_started_at ? new Date(row.apply_started_at) : null,
    appliedAt: row.applied_at ? new Date(row.applied_at) : null,
  };
}

export async function insertImportJob(
  db: Db,
  job: Omit<ImportJob, 'applyStartedAt' | 'appliedAt' | 'error'>,
) {
  await db
    .insertInto('import_jobs')
    .values({
      id: job.id,
      province: job.province,
      digest: job.digest,
      state: job.state,
      agencies_text: job.agenciesText,
      mailboxes_text: job.mailboxesText,
      mailboxes_format: job.mailboxesFormat,
      agency_count: job.agencyCount,
      mailbox_count: job.mailboxCount,
      legacy_count: job.legacyCount,
      conflict_count: job.conflictCount,
      created_at: job.createdAt,
    })
    .execute();
}

export async function findImportJob(db: Db, id: string): Promise<ImportJob | null> {
  const row = await db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toJob(row) : null;
}

/** The job without its files (its progress). */
export async function findImportJobStatus(db: Db, id: string): Promise<ImportJobStatus | null> {
  const row = await db
    .selectFrom('import_jobs')
    .select(STATUS_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toStatus(row) : null;
}

/** The latest job of these very files that was applied or is being applied (a run to continue). */
export async function findApplyingJobByDigest(
  db: Db,
  province: string,
  digest: string,
): Promise<ImportJobStatus | null> {
  const row = await db
    .selectFrom('import_jobs')
    .select(STATUS_COLUMNS)
    .where('province', '=', province)
    .where('digest', '=', digest)
    .where('state', 'in', ['applying', 'applied', 'failed'])
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toStatus(row) : null;
}

export async function listImportJobIds(db: Db, state: ImportJobState): Promise<string[]> {
  const rows = await db.selectFrom('import_jobs').select('id').where('state', '=', state).execute();
  return rows.map((r) => r.id);
}

export async function updateImportJob(
  db: Db,
  id: string,
  change: { state: ImportJobState; error?: string | null; applyStartedAt?: Date; appliedAt?: Date },
): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      state: change.state,
      ...(change.error !== undefined ? { error: change.error } : {}),
      ...(change.applyStartedAt ? { apply_started_at: change.applyStartedAt } : {}),
      ...(change.appliedAt ? { applied_at: change.appliedAt } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export interface ProvinceAgencyRow {
  id: string;
  abbreviation: string;
  name: string;
  unitType: string;
  parentId: string | null;
  officialLocalPart: string | null;
}

/** Every live agency of the province with the local part of its live agency mailbox. */
export async function listProvinceAgencies(db: Db, province: string): Promise<ProvinceAgencyRow[]> {
  const { rows } = await sql<{
    id: string;
    abbreviation: string;
    name: string;
    unit_type: string;
    parent_id: string | null;
    local_part: string | null;
  }>`
    SELECT a.id, a.abbreviation, a.name, a.unit_type, a.parent_id, m.local_part
      FROM agencies a
      LEFT JOIN mailboxes m ON m.id = a.official_mailbox_id AND m.state <> 'deleted'
     WHERE a.province = ${province} AND a.dissolved_at IS NULL`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    abbreviation: r.abbreviation,
    name: r.name,
    unitType: r.unit_type,
    parentId: r.parent_id,
    officialLocalPart: r.local_part,
  }));
}

/** What earlier imports of the province created, by key: abbreviation → agency id, address → mailbox id. */
export async function listImportedKeys(
  db: Db,
  province: string,
): Promise<{ agencies: Map<string, string>; mailboxes: Map<string, string> }> {
  const rows = await db
    .selectFrom('import_rows')
    .select(['kind', 'key', 'entity_id'])
    .where('province', '=', province)
    .execute();
  const agencies = new Map<string, string>();
  const mailboxes = new Map<string, string>();
  for (const r of rows) (r.kind === 'agency' ? agencies : mailboxes).set(r.key, r.entity_id);
  return { agencies, mailboxes };
}

/**
 * Local parts taken in these domains by anything an import did not create: live mailboxes and
 * their aliases in force, reservations other than the role addresses (an existing system may well
 * hold `info@`; an operator's or a group's reservation stands), retired addresses within the hold.
 */
export async function listTakenLocalPartsForImport(
  db: Db,
  province: string,
  domains: readonly string[],
  now: Date,
): Promise<Set<string>> {
  if (domains.length === 0) return new Set();
  const list = [...domains];
  const { rows } = await sql<{ local_part: string }>`
    WITH imported AS (SELECT entity_id FROM import_rows WHERE province = ${province} AND kind = 'mailbox')
    SELECT local_part FROM mailboxes
     WHERE domain = ANY(${list}::text[]) AND state <> 'deleted' AND id NOT IN (SELECT entity_id FROM imported)
    UNION SELECT local_part FROM aliases
     WHERE domain = ANY(${list}::text[]) AND (expires_at IS NULL OR expires_at > ${now})
       AND mailbox_id NOT IN (SELECT entity_id FROM imported)
    UNION SELECT local_part FROM reserved_addresses WHERE domain = ANY(${list}::text[]) AND reason <> ${ROLE_ADDRESS_REASON}
    UNION SELECT local_part FROM retired_addresses WHERE domain = ANY(${list}::text[]) AND hold_until > ${now}`.execute(
    db,
  );
  return new Set(rows.map((r) => r.local_part));
}

export interface NewAgencyRow {
  id: string;
  province: string;
  domain: string;
  name: string;
  foldedName: string;
  abbreviation: string;
  unitType: string;
  parentId: string | null;
  unitCode: string | null;
}

export async function insertImportedAgencies(
  db: Db,
  agencies: readonly NewAgencyRow[],
  at: Date,
  actor: string,
) {
  if (agencies.length === 0) return;
  await db
    .insertInto('agencies')
    .values(
      agencies.map((a) => ({
        id: a.id,
        province: a.province,
        domain: a.domain,
        name: a.name,
        folded_name: a.foldedName,
        abbreviation: a.abbreviation,
        unit_type: a.unitType,
        parent_id: a.parentId,
        unit_code: a.unitCode,
        valid_from: at,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
  await db
    .insertInto('agency_versions')
    .values(
      agencies.map((a) => ({
        agency_id: a.id,
        name: a.name,
        abbreviation: a.abbreviation,
        parent_id: a.parentId,
        valid_from: at,
        reason: 'imported',
        actor,
      })),
    )
    .execute();
}

export interface NewPersonRow {
  id: string;
  province: string;
  familyName: string;
  middleName: string;
  givenName: string;
  foldedName: string;
  position: string | null;
  department: string | null;
  agencyId: string;
}

export interface NewMailboxRow {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  province: string;
  type: 'personal' | 'agency';
  agencyId: string;
  personId: string | null;
  quotaBytes: number;
  legacy: boolean;
}

export interface NewAliasRow {
  id: string;
  address: string;
  localPart: string;
  domain: string;
  mailboxId: string;
}

export interface NewCommandRow {
  commandId: string;
  mailboxId: string;
  action: string;
  target: 'mailbox' | 'alias';
}

/** One batch of imported mailboxes (state provisioning, generation 1), in a few statements. */
export async function insertImportedMailboxes(
  db: Db,
  batch: {
    people: readonly NewPersonRow[];
    mailboxes: readonly NewMailboxRow[];
    aliases: readonly NewAliasRow[];
    commands: readonly NewCommandRow[];
    history: readonly { mailboxId: string; details: Record<string, unknown> }[];
    officials: readonly { agencyId: string; mailboxId: string }[];
  },
  at: Date,
  actor: string,
): Promise<void> {
  if (batch.people.length > 0) {
    await db
      .insertInto('people')
      .values(
        batch.people.map((p) => ({
          id: p.id,
          province: p.province,
          family_name: p.familyName,
          middle_name: p.middleName,
          given_name: p.givenName,
          folded_name: p.foldedName,
          person_key: null,
          position: p.position,
          department: p.department,
          agency_id: p.agencyId,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  }
  if (batch.mailboxes.length > 0) {
    await db
      .insertInto('mailboxes')
      .values(
        batch.mailboxes.map((m) => ({
          id: m.id,
          address: m.address,
          local_part: m.localPart,
          domain: m.domain,
          province: m.province,
          type: m.type,
          state: 'provisioning' as const,
          agency_id: m.agencyId,
          person_id: m.personId,
          quota_bytes: m.quotaBytes,
          generation: 1,
          legacy: m.legacy,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  }
  if (batch.aliases.length > 0) {
    await db
      .insertInto('aliases')
      .values(
        batch.aliases.map((a) => ({
          id: a.id,
          address: a.address,
          local_part: a.localPart,
          domain: a.domain,
          mailbox_id: a.mailboxId,
          kind: 'alias' as const,
          generation: 1,
          created_at: at,
        })),
      )
      .execute();
  }
  if (batch.history.length > 0) {
    await db
      .insertInto('mailbox_history')
      .values(
        batch.history.map((h) => ({
          mailbox_id: h.mailboxId,
          at,
          change: 'imported',
          reason: 'imported from the province’s existing mail system',
          request_id: null,
          item_id: null,
          actor,
          details: JSON.stringify(h.details),
        })),
      )
      .execute();
  }
  if (batch.commands.length > 0) {
    await db
      .insertInto('provisioning_commands')
      .values(
        batch.commands.map((c) => ({
          command_id: c.commandId,
          mailbox_id: c.mailboxId,
          generation: 1,
          action: c.action,
          request_id: null,
          item_id: null,
          target: c.target,
          issued_at: at,
        })),
      )
      .execute();
  }
  for (const o of batch.officials) {
    await db
      .updateTable('agencies')
      .set({ official_mailbox_id: o.mailboxId, updated_at: at })
      .where('id', '=', o.agencyId)
      .execute();
  }
}

export async function insertImportRows(
  db: Db,
  rows: readonly {
    province: string;
    kind: 'agency' | 'mailbox';
    key: string;
    jobId: string;
    entityId: string;
    targetState?: string | null;
  }[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('import_rows')
    .values(
      rows.map((r) => ({
        province: r.province,
        kind: r.kind,
        key: r.key,
        job_id: r.jobId,
        entity_id: r.entityId,
        target_state: r.targetState ?? null,
        at,
      })),
    )
    .execute();
}

/** Imported agencies whose state has not gone to directory.v1 yet (marked as they are returned). */
export async function takeUnpublishedImportedAgencies(db: Db, jobId: string): Promise<string[]> {
  const rows = await db
    .updateTable('import_rows')
    .set({ published: true })
    .where('job_id', '=', jobId)
    .where('kind', '=', 'agency')
    .where('published', '=', false)
    .returning('entity_id')
    .execute();
  return rows.map((r) => r.entity_id);
}

/** The state an imported mailbox must reach once the mail server has it (suspended, locked), if not active. */
export async function findImportTargetStates(
  db: Db,
  mailboxIds: readonly string[],
): Promise<Map<string, string>> {
  if (mailboxIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('import_rows')
    .select(['entity_id', 'target_state'])
    .where('entity_id', 'in', [...mailboxIds])
    .where('kind', '=', 'mailbox')
    .where('target_state', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.entity_id, r.target_state as string]));
}

export interface ImportProgressCounts {
  agenciesWritten: number;
  mailboxesWritten: number;
  mailboxesConfirmed: number;
  mailboxesFailed: number;
}

/** How far a job is: rows written by it, and its mailboxes the mail server has confirmed. */
export async function countImportProgress(db: Db, jobId: string): Promise<ImportProgressCounts> {
  const { rows } = await sql<{ agencies: string; written: string; confirmed: string; failed: string }>`
    SELECT
      count(*) FILTER (WHERE r.kind = 'agency') AS agencies,
      count(*) FILTER (WHERE r.kind = 'mailbox') AS written,
      count(*) FILTER (WHERE r.kind = 'mailbox' AND m.state IS NOT NULL AND m.state <> 'provisioning') AS confirmed,
      count(*) FILTER (WHERE r.kind = 'mailbox' AND m.state = 'provisioning' AND EXISTS (
        SELECT 1 FROM provisioning_commands c
         WHERE c.mailbox_id = m.id AND c.action = 'create' AND c.outcome = 'failed')) AS failed
      FROM import_rows r LEFT JOIN mailboxes m ON r.kind = 'mailbox' AND m.id = r.entity_id
     WHERE r.job_id = ${jobId}`.execute(db);
  const r = rows[0];
  return {
    agenciesWritten: Number(r?.agencies ?? 0),
    mailboxesWritten: Number(r?.written ?? 0),
    mailboxesConfirmed: Number(r?.confirmed ?? 0),
    mailboxesFailed: Number(r?.failed ?? 0),
  };
}

/** Whether a mailbox was imported with an address off the province's rule. */
export async function isLegacyMailbox(db: Db, mailboxId: string): Promise<boolean> {
  const row = await db
    .selectFrom('mailboxes')
    .select('legacy')
    .where('id', '=', mailboxId)
    .executeTakeFirst();
  return row?.legacy ?? false;
}
