// Applies an approved reorganisation in bulk, resumable. Three steps, each safe to run again:
// 1. the tree (one transaction): agencies' names, parents, province, domain, unit codes, dissolved
//    units, and the merged province's domains becoming alias domains of the target (to the mail
//    server as set_alias_domain);
// 2. the mailboxes, in batches of `batchSize` by `workers` in parallel, each batch one transaction
//    that marks its changes done: an address change goes through the same path as a transfer
//    (changeMailboxAddress: new generation, old address a transition alias for RENAME_ALIAS_DAYS and
//    then held back, `rename` command, state published); merged and dissolved units' own mailboxes
//    are retired (the delete path) or their address becomes an alias of the receiving agency's;
// 3. the end (one transaction): agencies' states published, one `reorganised` event per agency
//    (its result mail and each holder's notice), state `applied`.
// A crash anywhere leaves state `applying`; the directory resumes it at start (or on a new apply).
import { buildEvent, Topics } from '@hopthu/shared/events';
import { AppError } from '@hopthu/shared/errors';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import { findTakenLocalParts } from '../../db/address-repository.ts';
import { changeAgencyVersion, findAgencyById, findAgencyForUpdate } from '../../db/agency-repository.ts';
import { findDomainRow, insertDomainHistory, makeAliasDomainOf } from '../../db/domain-repository.ts';
import { findMailboxById, findMailboxesByIds, updateMailbox } from '../../db/mailbox-repository.ts';
import {
  type ChangeRow,
  claimPendingChanges,
  countPendingChanges,
  findAgencyProvince,
  findAgencyProvinces,
  findReorganisation,
  listChanges,
  listUnfinishedApplies,
  markChanges,
  movePeople,
  movePerson,
  type ReorganisationRow,
  updateAgencyPlace,
  updateReorganisation,
  writeMergedMailboxAlias,
} from '../../db/reorganisation-repository.ts';
import type { ChangeContext, Db, DirectoryDeps } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';
import { foldForSearch } from '../directory/text.ts';
import { issueAliasDomainCommand, publishProvinceState } from '../domains/province-domains.ts';
import { setMailboxState } from '../mailboxes/set-mailbox-state.ts';
import {
  type AddressChange,
  changeMailboxAddress,
  changeMailboxAddresses,
} from '../mailboxes/change-address.ts';
import { transitionAliasUntil } from '../mailboxes/address-holds.ts';
import { publishAgencyState } from '../mailboxes/directory-state.ts';
import { recordMailboxChange } from '../mailboxes/record-mailbox-change.ts';
import { APPROVALS_NEEDED } from './approve-reorganisation.ts';
import {
  findReorganisationOr404,
  type ReorganisationStructure,
  reorganisationView,
} from './dry-run-reorganisation.ts';

export interface ApplyOptions {
  batchSize: number;
  workers: number;
  /**
   * At most this many mailboxes a second (one worker, small batches): spares a busy mail server.
   * Not kept: an apply resumed after a restart runs at full speed.
   */
  maxPerSecond?: number | undefined;
}

export interface ReorganisationRunner {
  /** Runs the apply in the background unless it already runs here; resolves when it ends. */
  start(id: string, limits?: { maxPerSecond?: number | undefined }): Promise<void>;
  stop(): Promise<void>;
}

export function createReorganisationRunner(deps: DirectoryDeps, options: ApplyOptions): ReorganisationRunner {
  const running = new Map<string, Promise<void>>();
  let stopping = false;
  return {
    start(id, limits) {
      const current = running.get(id);
      if (current) return current;
      // a deadlock with the request consumers (they lock the same agencies) or a database restart
      // only delays the apply: it is retried here a few times, and resumed at the next start
      const attempt = async () => {
        for (let n = 1; ; n++) {
          try {
            return await runReorganisation(deps, id, { ...options, ...limits, stopped: () => stopping });
          } catch (err) {
            if (stopping || n >= 8) throw err;
            deps.logger.warn(
              { err, reorganisationId: id, attempt: n },
              'reorganisation apply failed; retrying',
            );
            await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * 2 ** n)));
          }
        }
      };
      const run = attempt()
        .catch((err) =>
          deps.logger.error(
            { err, reorganisationId: id },
            'reorganisation apply stopped; it resumes on the next start',
          ),
        )
        .finally(() => running.delete(id));
      running.set(id, run);
      return run;
    },
    async stop() {
      stopping = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}

/** At start: every apply a crash or a stop left unfinished goes on. */
export async function resumeReorganisations(
  deps: DirectoryDeps,
  runner: ReorganisationRunner,
): Promise<number> {
  const ids = await listUnfinishedApplies(deps.db);
  for (const id of ids) {
    deps.logger.info({ reorganisationId: id }, 'resuming reorganisation apply');
    void runner.start(id);
  }
  return ids.length;
}

/** POST /admin/reorganisations/:id/apply: approved → applying, then in the background. */
export async function startApply(
  deps: DirectoryDeps,
  runner: ReorganisationRunner,
  id: string,
  limits: { maxPerSecond?: number | undefined } = {},
) {
  await findReorganisationOr404(deps, id);
  const state = await deps.db.transaction().execute(async (trx) => {
    const row = (await findReorganisation(trx, id, { forUpdate: true })) as ReorganisationRow;
    if (row.state === 'computed') {
      const approvals = await trx
        .selectFrom('reorganisation_approvals')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('reorganisation_id', '=', id)
        .executeTakeFirst();
      throw new AppError('conflict', {
        vi: `Cần ${APPROVALS_NEEDED} cán bộ vận hành khác nhau phê duyệt trước khi thực hiện (mới có ${Number(approvals?.n ?? 0)})`,
        en: `${APPROVALS_NEEDED} different operators must approve before it is applied (${Number(approvals?.n ?? 0)} so far)`,
      });
    }
    if (row.state === 'approved') {
      await updateReorganisation(trx, id, { state: 'applying', applyStartedAt: deps.clock.now() });
      return 'applying';
    }
    return row.state;
  });
  if (state === 'applying') void runner.start(id, limits);
  return reorganisationView(deps, id);
}

export async function runReorganisation(
  deps: DirectoryDeps,
  id: string,
  options: ApplyOptions & { stopped?: () => boolean },
): Promise<void> {
  const row = await findReorganisation(deps.db, id);
  if (row?.state !== 'applying') return;
  const ctx = (at: Date): ChangeContext => ({
    at,
    actor: `reorganisation:${id}`,
    requestId: null,
    itemId: null,
    reason: `${row.title} (${row.effectiveFrom})`,
  });
  if (!row.structureDone) await applyStructure(deps, row, ctx(deps.clock.now()));

  const limit = options.maxPerSecond;
  const batchSize = limit ? Math.max(1, Math.min(options.batchSize, Math.floor(limit))) : options.batchSize;
  const workers = limit ? 1 : Math.max(1, options.workers);
  for (let pass = 0; pass < 5 && (await countPendingChanges(deps.db, id)) > 0; pass++) {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (;;) {
          if (options.stopped?.()) return;
          const started = Date.now();
          const n = await applyBatch(deps, row, batchSize, ctx);
          if (n === 0) return;
          if (limit)
            await new Promise((r) => setTimeout(r, Math.max(0, (n / limit) * 1000 - (Date.now() - started))));
        }
      }),
    );
    if (options.stopped?.()) return;
  }
  await finish(deps, row, ctx(deps.clock.now()));
}

async function applyStructure(
  deps: DirectoryDeps,
  row: ReorganisationRow,
  ctx: ChangeContext,
): Promise<void> {
  const structure = row.structure as ReorganisationStructure;
  const effective = new Date(`${row.effectiveFrom}T00:00:00+07:00`);
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await findReorganisation(trx, row.id, { forUpdate: true });
    if (!fresh || fresh.structureDone) return;
    for (const domainMove of structure.domainMoves) {
      const current = await findDomainRow(trx, domainMove.domain, { forUpdate: true });
      if (!current || (current.province === domainMove.intoProvince && current.kind === 'alias')) continue;
      const moved = await makeAliasDomainOf(trx, domainMove.domain, domainMove.intoProvince, ctx.reason);
      if (!moved) continue;
      for (const [province, change] of [
        [domainMove.fromProvince, 'merged_away'],
        [domainMove.intoProvince, 'merged_in'],
      ] as const) {
        await insertDomainHistory(trx, {
          province,
          domain: domainMove.domain,
          change,
          at: ctx.at,
          actor: ctx.actor,
          reason: ctx.reason,
        });
      }
      await issueAliasDomainCommand(
        trx,
        deps.newId,
        moved,
        { action: 'set_alias_domain', targetDomain: domainMove.primaryDomain },
        ctx,
      );
      await publishProvinceState(trx, domainMove.intoProvince, ctx);
      await publishProvinceState(trx, domainMove.fromProvince, ctx);
    }
    for (const a of structure.agencies) {
      const current = await findAgencyForUpdate(trx, a.agencyId);
      if (!current) continue;
      if (
        current.name !== a.name ||
        current.abbreviation !== a.abbreviation ||
        current.parentId !== a.parentId
      ) {
        await changeAgencyVersion(
          trx,
          a.agencyId,
          {
            name: a.name,
            foldedName: foldForSearch(a.name),
            abbreviation: a.abbreviation,
            parentId: a.parentId,
            validFrom: effective > current.validFrom ? effective : current.validFrom,
            reason: ctx.reason,
            actor: ctx.actor,
          },
          ctx.at,
        );
      }
      await updateAgencyPlace(
        trx,
        a.agencyId,
        {
          province: a.province,
          domain: a.domain || null,
          unitCode: a.unitCode,
          formerProvince: a.formerProvince,
          dissolved: a.dissolved,
          dissolvedInto: a.dissolvedInto,
        },
        ctx.at,
      );
    }
    // people follow their agency's province (their mailboxes are moved in step 2)
    for (const a of structure.agencies) {
      if (a.dissolved) continue;
      await trx
        .updateTable('people')
        .set({ province: a.province })
        .where('agency_id', '=', a.agencyId)
        .execute();
    }
    await updateReorganisation(trx, row.id, { structureDone: true });
  });
}

/** One batch in one transaction; a batch that fails is retried change by change. */
async function applyBatch(
  deps: DirectoryDeps,
  row: ReorganisationRow,
  batchSize: number,
  ctx: (at: Date) => ChangeContext,
): Promise<number> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const claimed = await claimPendingChanges(trx, row.id, batchSize);
      if (claimed.length === 0) return 0;
      const at = deps.clock.now();
      const done = await applyClaimed(deps, trx, claimed, ctx(at));
      await markChanges(trx, row.id, done, at);
      await updateReorganisation(trx, row.id, { appliedDelta: claimed.length });
      return claimed.length;
    });
  } catch (err) {
    deps.logger.warn(
      { err, reorganisationId: row.id },
      'reorganisation batch failed; retrying it change by change',
    );
    return applyOneByOne(deps, row, batchSize, ctx);
  }
}

async function applyOneByOne(
  deps: DirectoryDeps,
  row: ReorganisationRow,
  batchSize: number,
  ctx: (at: Date) => ChangeContext,
): Promise<number> {
  let n = 0;
  for (; n < batchSize; n++) {
    const change = await deps.db
      .transaction()
      .execute(async (trx) => (await claimPendingChanges(trx, row.id, 1))[0]);
    if (!change) break;
    try {
      await deps.db.transaction().execute(async (trx) => {
        const [again] = await claimPendingChanges(trx, row.id, 1);
        if (!again || again.seq !== change.seq) return;
        const at = deps.clock.now();
        await markChanges(trx, row.id, [await applyChange(deps, trx, again, ctx(at), new Map())], at);
        await updateReorganisation(trx, row.id, { appliedDelta: 1 });
      });
    } catch (err) {
      deps.logger.error(
        { err, reorganisationId: row.id, seq: change.seq },
        'reorganisation change failed; skipped',
      );
      await deps.db.transaction().execute(async (trx) => {
        await markChanges(
          trx,
          row.id,
          [{ seq: change.seq, state: 'skipped', note: `error: ${(err as Error).message}` }],
          deps.clock.now(),
        );
        await updateReorganisation(trx, row.id, { appliedDelta: 1 });
      });
    }
  }
  return n;
}

type Done = { seq: number; state: 'applied' | 'skipped'; note: string | null };

/**
 * A batch's changes: its personal re-addressings set-wise (the mailboxes locked in one query,
 * their address changes in one statement per table, the people moved in one), the rest (agency
 * mailboxes, moves, retirements) one by one. A re-addressing the set statement could not make
 * (its new address held as the batch began, e.g. by a mailbox of this batch moving away) is
 * tried again alone.
 */
async function applyClaimed(
  deps: DirectoryDeps,
  trx: Db,
  claimed: readonly ChangeRow[],
  ctx: ChangeContext,
): Promise<Done[]> {
  const mailboxes = await findMailboxesByIds(
    trx,
    claimed.map((c) => c.mailboxId),
    { forUpdate: true },
  );
  const provinces = await findAgencyProvinces(
    trx,
    claimed.map((c) => c.agencyId),
  );
  const taken = await takenTargets(trx, claimed, ctx.at);
  const done: Done[] = [];
  const together: { change: ChangeRow; args: AddressChange }[] = [];
  const seen = new Set<string>();
  for (const change of claimed) {
    const mailbox = mailboxes.get(change.mailboxId);
    const [toLocal, toDomain] = change.toAddress.split('@') as [string, string];
    if (
      change.kind === 'readdress' &&
      mailbox?.type === 'personal' &&
      mailbox.state !== 'deleted' &&
      mailbox.address === change.fromAddress &&
      mailbox.address !== change.toAddress &&
      !taken.has(change.toAddress) &&
      !seen.has(mailbox.id)
    ) {
      seen.add(mailbox.id);
      together.push({
        change,
        args: {
          mailbox,
          newLocal: toLocal,
          agencyId: change.agencyId !== mailbox.agencyId ? change.agencyId : undefined,
          newDomain: toDomain !== mailbox.domain ? toDomain : undefined,
          province: provinces.get(change.agencyId) ?? mailbox.province,
          details: { reorganisationId: change.reorganisationId },
        },
      });
    } else {
      done.push(await applyChange(deps, trx, change, ctx, provinces, taken));
    }
  }
  const after = await changeMailboxAddresses(
    { ...deps, db: trx },
    together.map((t) => t.args),
    { why: 'reorganisation', ctx },
  );
  const moves: { personId: string; agencyId: string; province: string }[] = [];
  for (const [i, { change, args }] of together.entries()) {
    if (!after[i]) {
      done.push(await applyChange(deps, trx, change, ctx, provinces));
      continue;
    }
    if (args.mailbox.personId && change.agencyId !== args.mailbox.agencyId)
      moves.push({
        personId: args.mailbox.personId,
        agencyId: change.agencyId,
        province: args.province ?? '',
      });
    done.push({ seq: change.seq, state: 'applied', note: null });
  }
  await movePeople(trx, moves);
  return done;
}

/**
 * The new local parts of a batch's personal re-addressings that are taken now (one query per
 * domain instead of one per mailbox); agency mailboxes are checked one by one (their own name is
 * not taken for them).
 */
async function takenTargets(trx: Db, changes: readonly ChangeRow[], at: Date): Promise<Set<string>> {
  const byDomain = new Map<string, string[]>();
  for (const c of changes) {
    if (c.kind !== 'readdress') continue;
    const [local, domain] = c.toAddress.split('@') as [string, string];
    if (local === c.fromAddress.split('@')[0]) continue;
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), local]);
  }
  const taken = new Set<string>();
  for (const [domain, locals] of byDomain) {
    for (const local of await findTakenLocalParts(trx, domain, locals, at)) taken.add(`${local}@${domain}`);
  }
  return taken;
}

async function applyChange(
  deps: DirectoryDeps,
  trx: Db,
  change: ChangeRow,
  ctx: ChangeContext,
  provinces: Map<string, string>,
  taken?: ReadonlySet<string>,
): Promise<Done> {
  const done = (state: Done['state'], note: string | null = null): Done => ({ seq: change.seq, state, note });
  const mailbox = await findMailboxById(trx, change.mailboxId, { forUpdate: true });
  if (!mailbox || mailbox.state === 'deleted') {
    return change.kind === 'retire' || change.kind === 'alias'
      ? done('applied', 'already retired')
      : done('skipped', 'mailbox gone');
  }
  const provinceOf = async (agencyId: string) => {
    let p = provinces.get(agencyId);
    if (p === undefined) {
      p = (await findAgencyProvince(trx, agencyId)) ?? mailbox.province;
      provinces.set(agencyId, p);
    }
    return p;
  };
  const details = { reorganisationId: change.reorganisationId };
  switch (change.kind) {
    case 'readdress': {
      if (mailbox.address === change.toAddress) return done('applied', 'already at the new address');
      if (mailbox.address !== change.fromAddress)
        return done('skipped', `address changed since the dry run (${mailbox.address})`);
      const [toLocal, toDomain] = change.toAddress.split('@') as [string, string];
      if (toLocal !== mailbox.localPart) {
        const isTaken =
          mailbox.type === 'personal' && taken
            ? taken.has(change.toAddress)
            : (
                await findTakenLocalParts(trx, toDomain, [toLocal], ctx.at, {
                  exceptAgencyId: mailbox.type === 'agency' ? change.agencyId : undefined,
                })
              ).has(toLocal);
        if (isTaken) return done('skipped', `${change.toAddress} taken since the dry run`);
      }
      const province = await provinceOf(change.agencyId);
      const after = await changeMailboxAddress(
        { ...deps, db: trx },
        {
          mailbox,
          newLocal: toLocal,
          agencyId: change.agencyId !== mailbox.agencyId ? change.agencyId : undefined,
          newDomain: toDomain !== mailbox.domain ? toDomain : undefined,
          province,
          why: 'reorganisation',
          details,
          ctx,
        },
      );
      if (!after) return done('skipped', `${change.toAddress} taken since the dry run`);
      if (mailbox.personId && change.agencyId !== mailbox.agencyId)
        await movePerson(trx, mailbox.personId, change.agencyId, province);
      return done('applied');
    }
    case 'move': {
      if (mailbox.agencyId === change.agencyId) return done('applied', 'already moved');
      const province = await provinceOf(change.agencyId);
      await updateMailbox(trx, mailbox.id, { agencyId: change.agencyId }, ctx.at);
      if (mailbox.personId) await movePerson(trx, mailbox.personId, change.agencyId, province);
      await recordMailboxChange(
        { ...deps, db: trx },
        {
          mailbox,
          history: {
            change: 'moved',
            details: { ...details, fromAgencyId: mailbox.agencyId, toAgencyId: change.agencyId },
          },
        },
        ctx,
      );
      return done('applied');
    }
    case 'retire':
    case 'alias': {
      const deleted = await setMailboxState(
        { ...deps, db: trx },
        {
          before: mailbox,
          target: { action: 'delete', state: 'deleted', change: 'retired_reorganisation' },
          ctx,
          details,
        },
      );
      if (change.kind === 'retire') return done('applied');
      const target = change.aliasTargetAgencyId
        ? await findAgencyById(trx, change.aliasTargetAgencyId)
        : null;
      const targetMailbox = target?.officialMailboxId
        ? await findMailboxById(trx, target.officialMailboxId)
        : null;
      if (!targetMailbox || targetMailbox.state === 'deleted')
        return done('applied', 'retired: the receiving agency has no mailbox to alias to');
      const generation = deleted.generation + 1;
      await writeMergedMailboxAlias(
        trx,
        {
          address: mailbox.address,
          localPart: mailbox.localPart,
          domain: mailbox.domain,
          retiredMailboxId: mailbox.id,
          targetMailboxId: targetMailbox.id,
          generation,
        },
        ctx.at,
      );
      await recordMailboxChange(
        { ...deps, db: trx },
        {
          mailbox: targetMailbox,
          history: {
            change: 'alias_added',
            details: { ...details, alias: mailbox.address, mergedAgencyId: mailbox.agencyId },
          },
          aliasCommand: {
            id: mailbox.id,
            action: 'set_alias',
            generation,
            address: mailbox.address,
            domain: mailbox.domain,
            aliasTargets: [targetMailbox.address],
          },
        },
        ctx,
      );
      return done('applied');
    }
  }
}

async function finish(deps: DirectoryDeps, row: ReorganisationRow, ctx: ChangeContext): Promise<void> {
  const structure = row.structure as ReorganisationStructure;
  await deps.db.transaction().execute(async (trx) => {
    const fresh = await findReorganisation(trx, row.id, { forUpdate: true });
    if (fresh?.state !== 'applying') return;
    const applied = (await listChanges(trx, row.id)).filter(
      (c) => c.state === 'applied' && c.kind === 'readdress',
    );
    const agencyIds = new Set([
      ...structure.agencies.map((a) => a.agencyId),
      ...applied.map((c) => c.agencyId),
    ]);
    for (const agencyId of agencyIds) await publishAgencyState(trx, agencyId, ctx);
    const byAgency = new Map<string, ChangeRow[]>();
    for (const c of applied) byAgency.set(c.agencyId, [...(byAgency.get(c.agencyId) ?? []), c]);
    const aliasUntil = transitionAliasUntil(deps, ctx.at).toISOString();
    for (const [agencyId, changes] of byAgency) {
      const agency = await findAgencyById(trx, agencyId);
      if (!agency) continue;
      const official = agency.officialMailboxId ? await findMailboxById(trx, agency.officialMailboxId) : null;
      const key = `reorganisation:${row.id}:${agencyId}`;
      await insertOutboxMessage(trx, {
        topic: Topics.directory,
        key,
        event: buildEvent(
          'vn.gov.hopthu.directory.reorganised.v1',
          {
            reorganisationId: row.id,
            title: row.title,
            effectiveFrom: row.effectiveFrom,
            agencyId,
            agencyName: agency.name,
            province: agency.province,
            officialMailbox: official && official.state !== 'deleted' ? official.address : null,
            changes: changes.map((c) => ({
              mailboxId: c.mailboxId,
              displayName: c.displayName,
              from: c.fromAddress,
              to: c.toAddress,
              aliasUntil,
            })),
          },
          { source: EVENT_SOURCE, subject: key, time: ctx.at },
        ),
      });
    }
    await updateReorganisation(trx, row.id, { state: 'applied', appliedAt: ctx.at });
  });
  deps.logger.info({ reorganisationId: row.id }, 'reorganisation applied');
}
