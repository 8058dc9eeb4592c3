// Applies a run of create commands (create-runs.ts: distinct mailboxes, command ids and addresses)
// set-wise, inside the inbox's batch transaction of the provisioner database, with exactly the
// effects applyProvisioningCommand has for each in turn: a command already answered (the same
// command id under another event id) gets no new result; an invalid one fails the run; a
// generation not newer than our log's is `skipped`; the rest are created on the mail server, then
// recorded. The statements are per run, not per command: the applied-command log read in two
// queries, the mailboxes written in one vmail transaction (createMailboxes: one multi-row insert),
// the applied-command rows in one upsert and one result event per command in one outbox insert.
//
// Transaction boundaries are those of one command: the vmail transaction commits first, our log
// and the results commit with the batch after it (a crash between them: the redelivered commands
// find their rows at their own generation and are answered `applied`, "finished by a retry"). The
// first IMAP login works as soon as the result is published, since the row is committed before it.
//
// Anything that can never succeed (an invalid command, a create the mail server refuses) throws
// PermanentError and so fails the whole batch transaction: the inbox then handles the batch's
// events one at a time, each through applyProvisioningCommand, so that command alone dead-letters
// and the others are applied (those the set-wise write already made are found there and answered
// `applied`). A transient error does the same, and is retried in place one message at a time.
import type { Envelope, ProvisioningCommand } from '@hopthu/shared/events';
import { PermanentError } from '@hopthu/shared/inbox';
import type { Logger } from '@hopthu/shared/logger';
import {
  findAppliedCommands,
  findLastAppliedGenerations,
  upsertAppliedCommands,
} from '../../db/applied-command-repository.ts';
import type { AdapterOutcome } from '../mail-server-adapter.ts';
import type { ApplyCommandInTransaction, ApplyOutcome } from './apply-provisioning-command.ts';
import { decideGeneration } from './generation.ts';
import { outboxProvisioningResults } from './provisioning-result.ts';
import { answeredOutcome, createAllOnMailServer, runOnMailServer } from './run-on-mail-server.ts';
import { findCommandProblem, formatProblem } from './validate-command.ts';

export interface CreateInRun {
  event: Envelope<'vn.gov.hopthu.provisioning.command.v1'>;
  attempt: number;
  logger: Logger;
}

export async function applyCreateCommands(
  deps: ApplyCommandInTransaction,
  input: { commands: readonly CreateInRun[] },
): Promise<ApplyOutcome[]> {
  const { db: trx } = deps;
  const all = input.commands;
  for (const { event } of all) {
    if (event.data.action !== 'create') throw new Error(`not a create: ${event.data.action}`);
  }
  const previous = await findAppliedCommands(
    trx,
    all.map((c) => c.event.data.commandId),
  );
  const outcomes: ApplyOutcome[] = all.map(() => 'duplicate');
  const fresh: number[] = [];
  for (const [i, { event, logger }] of all.entries()) {
    const before = previous.get(event.data.commandId);
    if (before && before.outcome !== 'failed') {
      logger.info(
        { commandId: event.data.commandId, mailboxId: event.data.mailboxId, outcome: before.outcome },
        'command already handled; no new result',
      );
      continue;
    }
    const problem = findCommandProblem(event.data);
    if (problem) throw new PermanentError(formatProblem(problem));
    fresh.push(i);
  }
  if (fresh.length === 0) return outcomes;

  // our own log outlives a deleted vmail row: an old command replayed after a delete stays stale
  const last = await findLastAppliedGenerations(
    trx,
    fresh.map((i) => (all[i] as CreateInRun).event.data.mailboxId),
  );
  const notes = new Map<number, string[]>();
  const toCreate: number[] = [];
  for (const i of fresh) {
    const command = (all[i] as CreateInRun).event.data;
    const stored = last.get(command.mailboxId);
    if (decideGeneration(stored, command.generation) === 'apply') {
      toCreate.push(i);
    } else {
      outcomes[i] = 'skipped';
      notes.set(i, [`generation ${command.generation} is not newer than applied ${stored}`]);
    }
  }
  const commandAt = (i: number): ProvisioningCommand => (all[i] as CreateInRun).event.data;
  const done: AdapterOutcome[] =
    (await createAllOnMailServer(deps.adapter, toCreate.map(commandAt))) ??
    (await oneByOne(deps, toCreate.map(commandAt)));
  for (const [n, i] of toCreate.entries()) {
    const answer = done[n] as AdapterOutcome;
    outcomes[i] = answeredOutcome(answer);
    notes.set(i, answer.current ? [...answer.notes, 'finished by a retry'] : answer.notes);
  }

  const at = deps.clock.now();
  await upsertAppliedCommands(
    trx,
    fresh.map((i) => {
      const { event, attempt } = all[i] as CreateInRun;
      return {
        commandId: event.data.commandId,
        mailboxId: event.data.mailboxId,
        generation: event.data.generation,
        action: event.data.action,
        address: event.data.address,
        outcome: outcomes[i] as 'applied' | 'skipped',
        attempts: attempt,
        error: null,
        eventId: event.id,
        appliedAt: at,
      };
    }),
  );
  await outboxProvisioningResults(
    deps,
    fresh.map((i) => {
      const { event, attempt } = all[i] as CreateInRun;
      return {
        command: event.data,
        outcome: outcomes[i] as 'applied' | 'skipped',
        attempts: attempt,
        correlationId: event.correlationid,
      };
    }),
  );
  for (const i of fresh) {
    const { event, attempt, logger } = all[i] as CreateInRun;
    logger.info(
      {
        commandId: event.data.commandId,
        mailboxId: event.data.mailboxId,
        action: event.data.action,
        generation: event.data.generation,
        outcome: outcomes[i],
        notes: notes.get(i),
        attempts: attempt,
        setWise: fresh.length,
      },
      'provisioning command handled',
    );
  }
  return outcomes;
}

/** What an adapter without createMailboxes (or a run of one) gets: each create in turn. */
async function oneByOne(
  deps: ApplyCommandInTransaction,
  commands: readonly ProvisioningCommand[],
): Promise<AdapterOutcome[]> {
  const out: AdapterOutcome[] = [];
  for (const command of commands) out.push(await runOnMailServer(deps.adapter, command));
  return out;
}
