// The result event of a command, written to the outbox in the caller's transaction.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { buildEvent, type ProvisioningCommand, type ProvisioningResult, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { QueryExecutorProvider } from 'kysely';

export const EVENT_SOURCE = 'urn:hopthu:provisioner';

export async function outboxProvisioningResult(
  db: QueryExecutorProvider,
  command: ProvisioningCommand,
  outcome: { outcome: ProvisioningResult['outcome']; attempts: number; error?: string },
  ctx: { clock: Clock; newId: NewId; correlationId?: string | undefined },
): Promise<string> {
  const data: ProvisioningResult = {
    commandId: command.commandId,
    mailboxId: command.mailboxId,
    generation: command.generation,
    action: command.action,
    address: command.address,
    requestId: command.requestId,
    itemId: command.itemId,
    outcome: outcome.outcome,
    attempts: outcome.attempts,
    ...(outcome.error !== undefined ? { error: outcome.error } : {}),
  };
  const event = buildEvent('vn.gov.hopthu.provisioning.result.v1', data, {
    source: EVENT_SOURCE,
    subject: command.mailboxId,
    correlationId: ctx.correlationId,
    time: ctx.clock.now(),
    id: ctx.newId(),
  });
  await insertOutboxMessage(db, { topic: Topics.provisioningResults, key: command.mailboxId, event });
  return event.id;
}
