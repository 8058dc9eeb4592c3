// Applies one provisioning command to the mail server and records it, inside the inbox
// transaction of the provisioner database: the applied-command row and the result event commit
// together. The mail-server write happens before that commit, in another database; it is safe
// because the adapter is idempotent by generation (a crash before our commit only means the
// redelivered command finds its change already there).
import type { Clock, NewId } from '@hopthu/shared/clock';
import type { Envelope, ProvisioningResult } from '@hopthu/shared/events';
import { PermanentError } from '@hopthu/shared/inbox';
import type { Logger } from '@hopthu/shared/logger';
import type { Kysely } from 'kysely';
import type { MailServerAdapter } from '../mail-server-adapter.ts';
import {
  findAppliedCommand,
  findLastAppliedGeneration,
  upsertAppliedCommand,
} from '../../db/applied-command-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import { decideGeneration } from './generation.ts';
import { outboxProvisioningResult } from './provisioning-result.ts';
import { answeredOutcome, runOnMailServer } from './run-on-mail-server.ts';
import { refusePurgedRestore } from './refuse-purged-restore.ts';
import { findCommandProblem, formatProblem } from './validate-command.ts';

export interface ApplyCommandDeps {
  adapter: MailServerAdapter;
  clock: Clock;
  newId: NewId;
  /** Full days deleted mail is kept for a domain of no province (VMAIL_RETENTION_DAYS): a restore's purge check. */
  retentionDays: number;
}

/** What a command's use case is given: the inbox transaction as `db`, the mail server, a logger. */
export interface ApplyCommandInTransaction extends ApplyCommandDeps {
  db: Kysely<ProvisionerDb>;
  logger: Logger;
}

export type ApplyOutcome = ProvisioningResult['outcome'] | 'duplicate';

export async function applyProvisioningCommand(
  deps: ApplyCommandInTransaction,
  input: { event: Envelope<'vn.gov.hopthu.provisioning.command.v1'>; attempt: number },
): Promise<ApplyOutcome> {
  const { db: trx } = deps;
  const { event, attempt } = input;
  const command = event.data;
  const log = deps.logger.child({
    commandId: command.commandId,
    mailboxId: command.mailboxId,
    action: command.action,
    generation: command.generation,
  });

  // the same command under another event id (a re-publish): answered once already
  const previous = await findAppliedCommand(trx, command.commandId);
  if (previous && previous.outcome !== 'failed') {
    log.info({ outcome: previous.outcome }, 'command already handled; no new result');
    return 'duplicate';
  }

  const problem = findCommandProblem(command);
  if (problem) throw new PermanentError(formatProblem(problem));

  // our own log outlives a deleted vmail row: an old command replayed after a delete stays stale
  const last = await findLastAppliedGeneration(trx, command.mailboxId);
  let outcome: 'applied' | 'skipped';
  let notes: string[];
  if (decideGeneration(last, command.generation) !== 'apply') {
    outcome = 'skipped';
    notes = [`generation ${command.generation} is not newer than applied ${last}`];
  } else {
    // a restore whose retained mail was purged meanwhile fails rather than come back empty
    await refusePurgedRestore(
      { db: trx, adapter: deps.adapter, now: deps.clock.now(), retentionDays: deps.retentionDays },
      command,
    );
    const done = await runOnMailServer(deps.adapter, command);
    // our log has no newer generation, yet the server holds exactly this one: an earlier attempt of
    // this command (cut short by a crash or a failed follow-up such as a kick) made the change
    outcome = answeredOutcome(done);
    notes = done.current ? [...done.notes, 'finished by a retry'] : done.notes;
  }

  await upsertAppliedCommand(trx, {
    commandId: command.commandId,
    mailboxId: command.mailboxId,
    generation: command.generation,
    action: command.action,
    address: command.address,
    outcome,
    attempts: attempt,
    error: null,
    eventId: event.id,
    appliedAt: deps.clock.now(),
  });
  await outboxProvisioningResult(deps, {
    command,
    outcome,
    attempts: attempt,
    // what the item's result also says (a restore's aliases not brought back): the item's reason
    ...(command.resultNote ? { error: command.resultNote } : {}),
    correlationId: event.correlationid,
  });
  log.info({ outcome, notes, attempts: attempt }, 'provisioning command handled');
  return outcome;
}
