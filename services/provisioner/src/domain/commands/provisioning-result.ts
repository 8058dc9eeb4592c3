// The result event of a command, written to the outbox in the caller's transaction (deps.db).
import type { Clock, NewId } from '@hopthu/shared/clock';
import { buildEvent, type ProvisioningCommand, type ProvisioningResult, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import type { QueryExecutorProvider } from 'kysely';

export const EVENT_SOURCE = 'urn:hopthu:provisioner';

export async function outboxProvisioningResult(
  deps: { db: QueryExecutorProvider; clock: Clock; newId: NewId },
  input: {
    command: ProvisioningCommand;
    outcome: ProvisioningResult['outcome'];
    attempts: number;
    error?: string;
    correlationId?: string | undefined;
  },
): Promise<string> {
  const { command, outcome } = input;
  const data: ProvisioningResult = {
    commandId: command.commandId,
    mailboxId: command.mailboxId,
    generation: command.generation,
    action: command.action,
    address: command.address,
    requestId: command.requestId,
    itemId: command.itemId,
    outcome,
    attempts: input.attempts,
    ...(input.error !== undefined ? { error: input.error } : {}),
  };
  const event = buildEvent('vn.gov.hopthu.provisioning.result.v1', data, {
    source: EVENT_SOURCE,
    subject: command.mailboxId,
    correlationId: input.correlationId,
    time: deps.clock.now(),
    id: deps.newId(),
  });
  await insertOutboxMessage(deps.db, { topic: Topics.provisioningResults, key: command.mailboxId, event });
  return event.id;
}
