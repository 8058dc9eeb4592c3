// Applies a bulk provisioning command (an import's batch) inside one inbox transaction: each
// command exactly as if it came alone (validation, the generation rule, the adapter call, the
// applied-command row), then one bulk result with every outcome in order. A command that can never
// succeed is answered `failed` in the bulk result instead of poisoning its whole batch; an
// unreachable mail server still fails the batch, which is retried in place (idempotent by
// generation, so commands applied before the failure are answered `applied` on the retry).
import type { Envelope, ProvisioningResult } from '@hopthu/shared/events';
import { buildEvent, Topics } from '@hopthu/shared/events';
import { PermanentError } from '@hopthu/shared/inbox';
import type { Logger } from '@hopthu/shared/logger';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { Kysely } from 'kysely';
import {
  findAppliedCommand,
  findLastAppliedGeneration,
  upsertAppliedCommand,
} from '../../db/applied-command-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import type { ApplyCommandDeps } from './apply-provisioning-command.ts';
import { decideGeneration } from './generation.ts';
import { EVENT_SOURCE } from './provisioning-result.ts';
import { runOnMailServer } from './run-on-mail-server.ts';
import { findCommandProblem, formatProblem } from './validate-command.ts';

export async function applyBulkCommand(
  trx: Kysely<ProvisionerDb>,
  event: Envelope<'vn.gov.hopthu.provisioning.bulk-command.v1'>,
  deps: ApplyCommandDeps,
  ctx: { attempt: number; logger: Logger },
): Promise<ProvisioningResult[]> {
  const results: ProvisioningResult[] = [];
  const counts: Record<string, number> = {};
  for (const command of event.data.commands) {
    const answer = (outcome: ProvisioningResult['outcome'], error?: string): ProvisioningResult => ({
      commandId: command.commandId,
      mailboxId: command.mailboxId,
      generation: command.generation,
      action: command.action,
      address: command.address,
      requestId: command.requestId,
      itemId: command.itemId,
      outcome,
      attempts: ctx.attempt,
      ...(error !== undefined ? { error } : {}),
    });
    let result: ProvisioningResult;
    const previous = await findAppliedCommand(trx, command.commandId);
    const problem = findCommandProblem(command);
    if (previous && previous.outcome !== 'failed') {
      result = answer(previous.outcome);
    } else if (problem) {
      result = answer('failed', formatProblem(problem));
    } else {
      const last = await findLastAppliedGeneration(trx, command.mailboxId);
      if (decideGeneration(last, command.generation) !== 'apply') {
        result = answer('skipped');
      } else {
        try {
          const done = await runOnMailServer(deps.adapter, command);
          result = answer(done.outcome === 'skipped' && done.current ? 'applied' : done.outcome);
        } catch (error) {
          if (!(error instanceof PermanentError)) throw error;
          result = answer('failed', error.message);
        }
      }
    }
    await upsertAppliedCommand(trx, {
      commandId: command.commandId,
      mailboxId: command.mailboxId,
      generation: command.generation,
      action: command.action,
      address: command.address,
      outcome: result.outcome,
      attempts: ctx.attempt,
      error: result.error ?? null,
      eventId: event.id,
      appliedAt: deps.clock.now(),
    });
    counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
    results.push(result);
  }
  await insertOutboxMessage(trx, {
    topic: Topics.provisioningResults,
    key: event.data.batchId,
    event: buildEvent(
      'vn.gov.hopthu.provisioning.bulk-result.v1',
      { batchId: event.data.batchId, results },
      {
        source: EVENT_SOURCE,
        subject: event.data.batchId,
        correlationId: event.correlationid,
        time: deps.clock.now(),
        id: deps.newId(),
      },
    ),
  });
  ctx.logger.info(
    { batchId: event.data.batchId, commands: results.length, ...counts },
    'bulk command handled',
  );
  return results;
}
