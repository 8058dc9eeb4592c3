// Applies a bulk provisioning command (an import's batch) inside one inbox transaction: each
// command exactly as if it came alone (validation, the generation rule, the adapter call, the
// applied-command row), then one bulk result with every outcome in order. A command that can never
// succeed is answered `failed` in the bulk result instead of poisoning its whole batch; an
// unreachable mail server still fails the batch, which is retried in place (idempotent by
// generation, so commands applied before the failure are answered `applied` on the retry).
// Set-based: the applied-command log is read in two queries and written in one statement for the
// whole bulk, and its creates go to the mail server in one call when the adapter can
// (createMailboxes); an invalid one among them sends the batch back one by one, so only it fails.
import type { Envelope, ProvisioningResult } from '@hopthu/shared/events';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { PermanentError } from '@hopthu/shared/inbox';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import {
  findAppliedCommands,
  findLastAppliedGenerations,
  upsertAppliedCommands,
} from '../../db/applied-command-repository.ts';
import type { ApplyCommandDeps, ApplyCommandInTransaction } from './apply-provisioning-command.ts';
import { decideGeneration } from './generation.ts';
import { EVENT_SOURCE } from './provisioning-result.ts';
import { answeredOutcome, createAllOnMailServer, runOnMailServer } from './run-on-mail-server.ts';
import { findCommandProblem, formatProblem } from './validate-command.ts';

type Command = Envelope<'vn.gov.hopthu.provisioning.bulk-command.v1'>['data']['commands'][number];

export async function applyBulkCommand(
  deps: ApplyCommandInTransaction,
  input: { event: Envelope<'vn.gov.hopthu.provisioning.bulk-command.v1'>; attempt: number },
): Promise<ProvisioningResult[]> {
  const { db: trx } = deps;
  const { event, attempt } = input;
  const commands = event.data.commands;
  const answer = (
    command: Command,
    outcome: ProvisioningResult['outcome'],
    error?: string,
  ): ProvisioningResult => ({
    commandId: command.commandId,
    mailboxId: command.mailboxId,
    generation: command.generation,
    action: command.action,
    address: command.address,
    requestId: command.requestId,
    itemId: command.itemId,
    outcome,
    attempts: attempt,
    ...(error !== undefined ? { error } : {}),
  });
  const previous = await findAppliedCommands(
    trx,
    commands.map((c) => c.commandId),
  );
  // our own log outlives a deleted vmail row: an old command replayed after a delete stays stale
  const last = await findLastAppliedGenerations(
    trx,
    commands.map((c) => c.mailboxId),
  );
  const results: (ProvisioningResult | undefined)[] = commands.map((command) => {
    const before = previous.get(command.commandId);
    if (before && before.outcome !== 'failed') return answer(command, before.outcome);
    const problem = findCommandProblem(command);
    return problem ? answer(command, 'failed', formatProblem(problem)) : undefined;
  });

  const creates = await createAtOnce(deps, commands, results, last);
  for (const [i, outcome] of creates) results[i] = answer(commands[i] as Command, outcome);

  for (const [i, command] of commands.entries()) {
    if (results[i]) continue;
    if (decideGeneration(last.get(command.mailboxId), command.generation) !== 'apply') {
      results[i] = answer(command, 'skipped');
    } else {
      try {
        results[i] = answer(command, answeredOutcome(await runOnMailServer(deps.adapter, command)));
      } catch (error) {
        if (!(error instanceof PermanentError)) throw error;
        results[i] = answer(command, 'failed', error.message);
      }
    }
    // a later command of the same mailbox in this bulk is judged after this one, as if it came alone
    const outcome = results[i]?.outcome;
    if (outcome !== 'failed')
      last.set(command.mailboxId, Math.max(last.get(command.mailboxId) ?? 0, command.generation));
  }

  const answered = results as ProvisioningResult[];
  const at = deps.clock.now();
  const rows = new Map(
    answered.map((result) => [
      result.commandId,
      {
        commandId: result.commandId,
        mailboxId: result.mailboxId,
        generation: result.generation,
        action: result.action,
        address: result.address,
        outcome: result.outcome,
        attempts: attempt,
        error: result.error ?? null,
        eventId: event.id,
        appliedAt: at,
      },
    ]),
  );
  await upsertAppliedCommands(trx, [...rows.values()]);
  const counts: Record<string, number> = {};
  for (const result of answered) counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
  await insertOutboxMessage(trx, {
    topic: Topics.provisioningResults,
    key: event.data.batchId,
    event: buildEvent(
      'vn.gov.hopthu.provisioning.bulk-result.v1',
      { batchId: event.data.batchId, results: answered },
      {
        source: EVENT_SOURCE,
        subject: event.data.batchId,
        correlationId: event.correlationid,
        time: deps.clock.now(),
        id: deps.newId(),
      },
    ),
  });
  deps.logger.info(
    { batchId: event.data.batchId, commands: answered.length, ...counts },
    'bulk command handled',
  );
  return answered;
}

/**
 * The bulk's creates still to do, in one adapter call when the adapter has createMailboxes and no
 * mailbox has two commands in the bulk. Answers their outcomes by index; none when it cannot (or
 * one create is invalid: a PermanentError), so the caller goes one by one.
 */
async function createAtOnce(
  deps: ApplyCommandDeps,
  commands: readonly Command[],
  results: readonly (ProvisioningResult | undefined)[],
  last: ReadonlyMap<string, number>,
): Promise<Map<number, ProvisioningResult['outcome']>> {
  const out = new Map<number, ProvisioningResult['outcome']>();
  if (new Set(commands.map((c) => c.mailboxId)).size !== commands.length) return out;
  const todo = [...commands.entries()].filter(
    ([i, c]) =>
      !results[i] &&
      c.action === 'create' &&
      decideGeneration(last.get(c.mailboxId), c.generation) === 'apply',
  );
  const outcomes = await createAllOnMailServer(
    deps.adapter,
    todo.map(([, c]) => c),
  );
  if (!outcomes) return out;
  for (const [n, [i]] of todo.entries()) {
    const done = outcomes[n];
    if (done) out.set(i, answeredOutcome(done));
  }
  return out;
}
