// The import of a province's existing mail system, plan and apply (issue 11 part 3). Plan: the
// files read and judged against the directory as it is, nothing written. Apply: refused while the
// plan has conflicts; otherwise a job (keyed by the files' digest, so the same files continue the
// same job) writes agencies, then mailboxes in batches, each batch in one transaction with its
// per-row keys and one bulk provisioning command in the outbox. The provisioner writes vmail with
// the imported hash as given ({SCHEME}…, so Dovecot checks the old password) and answers in one
// bulk result; the results consumer activates the mailboxes and publishes their state on
// directory.v1. A crash between batches loses nothing: the next run plans the rows already
// written as done and goes on from there; a run of the same files after the end writes nothing.
import { createHash } from 'node:crypto';
import { getPolicy, isNamingError, listPolicies, type ProvincePolicy } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import { buildEvent, type ProvisioningCommand, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import {
  countImportProgress,
  findApplyingJobByDigest,
  findImportJob,
  findImportJobStatus,
  type ImportJob,
  insertImportedAgencies,
  insertImportedMailboxes,
  insertImportJob,
  insertImportRows,
  listImportedKeys,
  listImportJobIds,
  listProvinceAgencies,
  listTakenLocalPartsForImport,
  type NewAliasRow,
  type NewCommandRow,
  type NewMailboxRow,
  type NewPersonRow,
  takeUnpublishedImportedAgencies,
  updateImportJob,
} from '../../db/import-repository.ts';
import type { ChangeContext, DirectoryDeps } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';
import { listRecentImportJobIds } from '../../db/import-job-list-repository.ts';
import { foldedPersonName, foldForSearch } from '../directory/text.ts';
import { listProvinceDomains } from '../domains/province-domains.ts';
import { publishAgencyState } from '../mailboxes/directory-state.ts';
import { randomPasswordHash } from '../mailboxes/password-hash.ts';
import { type MailboxesFormat, parseAgenciesCsv, parseMailboxesFile } from './import-files.ts';
import { type ImportPlan, type PlannedMailbox, planImport } from './plan-import.ts';

export const IMPORT_ACTOR = 'import';
/**
 * Mailboxes per transaction and per bulk command. The directory records a bulk result inside one
 * Kafka message's handling: at 250 a loaded machine took longer than the consumer session (10 s)
 * and the group rebalanced in a loop; 100 keeps each well under it.
 */
export const DEFAULT_IMPORT_BATCH = 100;

export interface ImportFiles {
  province: string;
  agencies: string;
  mailboxes: string;
  mailboxesFormat?: MailboxesFormat | 'auto' | undefined;
}

export interface ImportSummary {
  jobId: string | null;
  province: string;
  format: MailboxesFormat;
  agencies: number;
  mailboxes: number;
  legacy: number;
  /** Rows an earlier run already imported. */
  alreadyImported: number;
  /** Mailboxes with no password_hash (a new password is issued). */
  withoutPassword: number;
  conflicts: ImportPlan['conflicts'];
  applied: boolean;
  state: ImportJob['state'] | 'plan';
}

/**
 * The province's domains as the import judges addresses by: the directory's own list (primary and
 * alias domains), or the policy's while the directory has not seeded them.
 */
export async function importDomains(
  deps: Pick<DirectoryDeps, 'db'>,
  policy: ProvincePolicy,
): Promise<string[]> {
  const held = await listProvinceDomains(deps.db, policy.id);
  if (held.domains.length > 0) return held.domains;
  return [policy.domain, ...(policy.aliasDomains ?? [])];
}

function policyOf(province: string): ProvincePolicy {
  try {
    return getPolicy(province);
  } catch (error) {
    if (isNamingError(error)) {
      throw new AppError('validation_failed', error.messages, {
        errors: [{ field: '/province', message: error.messages }],
      });
    }
    throw error;
  }
}

/** Reads and plans the files against the directory now. Writes nothing. */
export async function planImportFiles(
  deps: Pick<DirectoryDeps, 'db' | 'clock'>,
  files: ImportFiles,
): Promise<{ plan: ImportPlan; format: MailboxesFormat; policy: ProvincePolicy; domains: string[] }> {
  const policy = policyOf(files.province);
  const domains = await importDomains(deps, policy);
  const [agencies, imported, taken] = await Promise.all([
    listProvinceAgencies(deps.db, policy.id),
    listImportedKeys(deps.db, policy.id),
    listTakenLocalPartsForImport(deps.db, policy.id, domains, deps.clock.now()),
  ]);
  const mailboxesFile = parseMailboxesFile(files.mailboxes, files.mailboxesFormat ?? 'auto');
  const plan = planImport(
    { agencies: parseAgenciesCsv(files.agencies), mailboxes: mailboxesFile },
    { policy, domains, agencies, imported, taken },
  );
  return { plan, format: mailboxesFile.format, policy, domains };
}

function summarise(
  plan: ImportPlan,
  files: ImportFiles,
  format: MailboxesFormat,
  job: { id: string; state: ImportJob['state'] } | null,
): ImportSummary {
  return {
    jobId: job?.id ?? null,
    province: files.province,
    format,
    agencies: plan.counts.agencies,
    mailboxes: plan.counts.mailboxes,
    legacy: plan.counts.legacy,
    alreadyImported: plan.counts.done,
    withoutPassword: plan.counts.withoutPassword,
    conflicts: plan.conflicts,
    applied: false,
    state: job?.state ?? 'plan',
  };
}

export function importDigest(files: ImportFiles): string {
  return createHash('sha256')
    .update(files.province)
    .update('\0')
    .update(files.agencies)
    .update('\0')
    .update(files.mailboxes)
    .update('\0')
    .update(files.mailboxesFormat ?? 'auto')
    .digest('hex');
}

/**
 * Plan (apply false) or start an apply (apply true): an apply whose plan has conflicts is refused
 * (422 naming each); otherwise the job of these files is continued or created, and `run` is
 * handed its id to apply it (in the background for HTTP, awaited by tests).
 */
export async function submitImport(
  deps: DirectoryDeps,
  files: ImportFiles & { apply: boolean },
): Promise<ImportSummary> {
  const { plan, format, policy } = await planImportFiles(deps, files);
  if (!files.apply) return summarise(plan, files, format, null);
  if (plan.conflicts.length > 0) {
    throw new AppError(
      'validation_failed',
      {
        vi: `Kế hoạch nhập có ${plan.conflicts.length} xung đột; sửa tệp rồi chạy lại`,
        en: `the import plan has ${plan.conflicts.length} conflicts; fix the files and run again`,
      },
      {
        status: 422,
        errors: plan.conflicts.slice(0, 1000).map((c) => ({
          field: `/${c.file}/${c.line}/${c.field}`,
          message: { vi: c.message, en: c.message },
        })),
      },
    );
  }
  const digest = importDigest(files);
  const existing = await findApplyingJobByDigest(deps.db, policy.id, digest);
  let jobId: string;
  if (existing) {
    jobId = existing.id;
    await updateImportJob(deps.db, jobId, { state: 'applying', error: null });
  } else {
    jobId = deps.newId();
    await insertImportJob(deps.db, {
      id: jobId,
      province: policy.id,
      digest,
      state: 'applying',
      agenciesText: files.agencies,
      mailboxesText: files.mailboxes,
      mailboxesFormat: files.mailboxesFormat ?? 'auto',
      agencyCount: plan.agencies.filter((a) => !a.done).length,
      // what this job writes: rows an earlier job imported are not its to count
      mailboxCount: plan.mailboxes.filter((m) => !m.done).length,
      legacyCount: plan.counts.legacy,
      conflictCount: 0,
      createdAt: deps.clock.now(),
    });
  }
  return { ...summarise(plan, files, format, { id: jobId, state: 'applying' }), applied: false };
}

export interface ApplyImportOptions {
  batchSize?: number;
  /** Called after each committed batch (tests stop a run here to prove it resumes). */
  afterBatch?: (written: number) => void | Promise<void>;
  /** True when the service is stopping: the run ends between batches, the job stays `applying`. */
  stopped?: () => boolean;
}

/** Applies a job: writes what is not written yet, batch by batch. Safe to run again at any point. */
export async function applyImportJob(
  deps: DirectoryDeps,
  jobId: string,
  options: ApplyImportOptions = {},
): Promise<void> {
  const job = await findImportJob(deps.db, jobId);
  if (!job) throw new AppError('not_found', { vi: 'Không có lần nhập này', en: 'no such import' });
  const log = deps.logger.child({ importJob: jobId, province: job.province });
  const files: ImportFiles = {
    province: job.province,
    agencies: job.agenciesText,
    mailboxes: job.mailboxesText,
    mailboxesFormat: job.mailboxesFormat as MailboxesFormat | 'auto',
  };
  try {
    const startedAt = deps.clock.now();
    await updateImportJob(deps.db, jobId, { state: 'applying', applyStartedAt: startedAt });
    const { plan, policy } = await planImportFiles(deps, files);
    if (plan.conflicts.length > 0) {
      throw new Error(
        `${plan.conflicts.length} conflicts since the plan (first: ${plan.conflicts[0]?.file} line ${plan.conflicts[0]?.line} ${plan.conflicts[0]?.field}: ${plan.conflicts[0]?.message})`,
      );
    }
    const ctx: ChangeContext = {
      at: startedAt,
      actor: IMPORT_ACTOR,
      correlationId: jobId,
      requestId: null,
      itemId: null,
      reason: 'import',
    };
    const agencyIds = new Map(
      (await listProvinceAgencies(deps.db, policy.id)).map((a) => [a.abbreviation, a.id]),
    );
    const newAgencies = plan.agencies.filter((a) => !a.done);
    if (newAgencies.length > 0) {
      await deps.db.transaction().execute(async (trx) => {
        const rows = newAgencies.map((a) => {
          const id = deps.newId();
          agencyIds.set(a.abbreviation, id);
          return {
            id,
            province: policy.id,
            domain: policy.domain,
            name: a.name,
            foldedName: foldForSearch(a.name),
            abbreviation: a.abbreviation,
            unitType: a.unitType,
            parentId: a.parentAbbreviation ? (agencyIds.get(a.parentAbbreviation) ?? null) : null,
            unitCode: a.unitCode,
          };
        });
        for (let i = 0; i < rows.length; i += 500) {
          await insertImportedAgencies(trx, rows.slice(i, i + 500), ctx.at, IMPORT_ACTOR);
        }
        await insertImportRows(
          trx,
          rows.map((r) => ({
            province: policy.id,
            kind: 'agency',
            key: r.abbreviation,
            jobId,
            entityId: r.id,
          })),
          ctx.at,
        );
      });
      log.info({ agencies: newAgencies.length }, 'import: agencies written');
    }
    const pending = plan.mailboxes.filter((m) => !m.done);
    const size = options.batchSize ?? DEFAULT_IMPORT_BATCH;
    let written = 0;
    for (let i = 0; i < pending.length; i += size) {
      const batch = pending.slice(i, i + size);
      await writeMailboxBatch(deps, { jobId, policy, agencyIds, batch, seq: i / size, ctx });
      written += batch.length;
      await options.afterBatch?.(written);
      if (options.stopped?.()) {
        log.info({ written }, 'import stopped between batches; it continues on the next start or run');
        return;
      }
    }
    await deps.db.transaction().execute(async (trx) => {
      for (const agencyId of await takeUnpublishedImportedAgencies(trx, jobId)) {
        await publishAgencyState(trx, agencyId, ctx);
      }
    });
    await updateImportJob(deps.db, jobId, { state: 'applied', appliedAt: deps.clock.now() });
    log.info(
      { mailboxes: written, seconds: (deps.clock.now().getTime() - startedAt.getTime()) / 1000 },
      'import: written',
    );
  } catch (error) {
    log.error({ err: error }, 'import failed');
    await updateImportJob(deps.db, jobId, {
      state: 'failed',
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
}

async function writeMailboxBatch(
  deps: DirectoryDeps,
  args: {
    jobId: string;
    policy: ProvincePolicy;
    agencyIds: ReadonlyMap<string, string>;
    batch: readonly PlannedMailbox[];
    seq: number;
    ctx: ChangeContext;
  },
): Promise<void> {
  const { policy, ctx } = args;
  const people: NewPersonRow[] = [];
  const mailboxes: NewMailboxRow[] = [];
  const aliases: NewAliasRow[] = [];
  const commandRows: NewCommandRow[] = [];
  const commands: ProvisioningCommand[] = [];
  const history: { mailboxId: string; details: Record<string, unknown> }[] = [];
  const officials: { agencyId: string; mailboxId: string }[] = [];
  const keys: {
    province: string;
    kind: 'mailbox';
    key: string;
    jobId: string;
    entityId: string;
    targetState: string | null;
  }[] = [];
  for (const m of args.batch) {
    const agencyId = args.agencyIds.get(m.agencyAbbreviation);
    if (!agencyId) throw new Error(`agency ${m.agencyAbbreviation} not found for ${m.address}`);
    const mailboxId = deps.newId();
    let personId: string | null = null;
    if (m.person) {
      personId = deps.newId();
      people.push({
        id: personId,
        province: policy.id,
        familyName: m.person.familyName,
        middleName: m.person.middleName,
        givenName: m.person.givenName,
        foldedName: foldedPersonName(m.person),
        position: m.person.position,
        department: m.person.department,
        agencyId,
      });
    } else officials.push({ agencyId, mailboxId });
    mailboxes.push({
      id: mailboxId,
      address: m.address,
      localPart: m.localPart,
      domain: m.domain,
      province: policy.id,
      type: m.type,
      agencyId,
      personId,
      quotaBytes: m.quotaBytes,
      legacy: m.legacy,
    });
    const commandId = deps.newId();
    commandRows.push({ commandId, mailboxId, action: 'create', target: 'mailbox' });
    commands.push({
      commandId,
      mailboxId,
      generation: 1,
      action: 'create',
      address: m.address,
      domain: m.domain,
      requestId: null,
      itemId: null,
      passwordHash: m.passwordHash ?? (await randomPasswordHash()),
      quotaBytes: m.quotaBytes,
    });
    for (const alias of m.aliases) {
      const aliasId = deps.newId();
      const aliasCommandId = deps.newId();
      aliases.push({ id: aliasId, ...alias, mailboxId });
      commandRows.push({
        commandId: aliasCommandId,
        mailboxId: aliasId,
        action: 'set_alias',
        target: 'alias',
      });
      commands.push({
        commandId: aliasCommandId,
        mailboxId: aliasId,
        generation: 1,
        action: 'set_alias',
        address: alias.address,
        domain: alias.domain,
        requestId: null,
        itemId: null,
        aliasTargets: [m.address],
      });
    }
    history.push({
      mailboxId,
      details: {
        address: m.address,
        type: m.type,
        quotaBytes: m.quotaBytes,
        legacy: m.legacy,
        importedState: m.state,
        passwordKept: m.passwordHash !== null,
        aliases: m.aliases.map((a) => a.address),
        importJob: args.jobId,
        line: m.line,
      },
    });
    keys.push({
      province: policy.id,
      kind: 'mailbox',
      key: m.address,
      jobId: args.jobId,
      entityId: mailboxId,
      targetState: m.state === 'active' ? null : m.state,
    });
  }
  const batchId = `import:${args.jobId}:${args.seq}:${deps.newId()}`;
  await deps.db.transaction().execute(async (trx) => {
    await insertImportedMailboxes(
      trx,
      { people, mailboxes, aliases, commands: commandRows, history, officials },
      ctx.at,
      IMPORT_ACTOR,
    );
    await insertImportRows(trx, keys, ctx.at);
    await insertOutboxMessage(trx, {
      topic: Topics.provisioningCommands,
      key: batchId,
      event: buildEvent(
        'vn.gov.hopthu.provisioning.bulk-command.v1',
        { batchId, commands },
        { source: EVENT_SOURCE, subject: batchId, correlationId: ctx.correlationId, time: ctx.at },
      ),
    });
  });
}

export interface ImportProgress {
  jobId: string;
  province: string;
  state: ImportJob['state'];
  agencies: number;
  mailboxes: number;
  legacy: number;
  agenciesWritten: number;
  mailboxesWritten: number;
  /** Mailboxes the mail server has confirmed (they log in from now on). */
  mailboxesConfirmed: number;
  mailboxesFailed: number;
  /** Every mailbox written and answered by the mail server. */
  finished: boolean;
  error: string | null;
  createdAt: string;
  applyStartedAt: string | null;
  appliedAt: string | null;
}

export async function readImportProgress(
  deps: Pick<DirectoryDeps, 'db'>,
  jobId: string,
): Promise<ImportProgress> {
  const job = await findImportJobStatus(deps.db, jobId);
  if (!job) throw new AppError('not_found', { vi: 'Không có lần nhập này', en: 'no such import' });
  const counts = await countImportProgress(deps.db, jobId);
  return {
    jobId: job.id,
    province: job.province,
    state: job.state,
    agencies: job.agencyCount,
    mailboxes: job.mailboxCount,
    legacy: job.legacyCount,
    ...counts,
    finished:
      job.state === 'applied' &&
      counts.mailboxesWritten >= job.mailboxCount &&
      counts.mailboxesConfirmed + counts.mailboxesFailed >= counts.mailboxesWritten,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    applyStartedAt: job.applyStartedAt?.toISOString() ?? null,
    appliedAt: job.appliedAt?.toISOString() ?? null,
  };
}

export interface ImportRunner {
  /** Applies the job in the background (once at a time per job). */
  start(jobId: string): void;
  stop(): Promise<void>;
}

export function createImportRunner(deps: DirectoryDeps, options: ApplyImportOptions = {}): ImportRunner {
  const running = new Map<string, Promise<void>>();
  let stopping = false;
  return {
    start(jobId) {
      if (running.has(jobId) || stopping) return;
      const run = applyImportJob(deps, jobId, { ...options, stopped: () => stopping })
        .catch(() => {
          // logged and recorded on the job by applyImportJob
        })
        .finally(() => running.delete(jobId));
      running.set(jobId, run);
    },
    async stop() {
      stopping = true;
      await Promise.all(running.values());
    },
  };
}

/** At start: every job a crash or a stop left half-written goes on. */
export async function resumeImports(deps: DirectoryDeps, runner: ImportRunner): Promise<string[]> {
  const ids = await listImportJobIds(deps.db, 'applying');
  for (const id of ids) runner.start(id);
  return ids;
}

/** GET /admin/imports: the provinces an import may target and the latest jobs with their progress. */
export async function listImports(
  deps: Pick<DirectoryDeps, 'db'>,
  limit = 20,
): Promise<{ provinces: { id: string; name: string }[]; items: ImportProgress[] }> {
  const ids = await listRecentImportJobIds(deps.db, limit);
  return {
    provinces: listPolicies().map((p) => ({ id: p.id, name: p.name })),
    items: await Promise.all(ids.map((id) => readImportProgress(deps, id))),
  };
}
