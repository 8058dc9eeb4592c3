// The result event of a command, written to the outbox in the caller's transaction (deps.db): one
// (outboxProvisioningResult) or those of a run of commands in one statement (outboxProvisioningResults).
import type { Clock, NewId } from '@hopthu/shared/clock';
import {
  buildEvent,
  type Envelope,
  type ProvisioningCommand,
  type ProvisioningResult,
  Topics,
} from '@hopthu/shared/events';
import { insertOutboxMessage, insertOutboxMessages } from '@hopthu/shared/outbox';
import type { QueryExecutorProvider } from 'kysely';

export const EVENT_SOURCE = 'urn:hopthu:provisioner';

export interface ResultInput {
  command: ProvisioningCommand;
  outcome: ProvisioningResult['outcome'];
  attempts: number;
  error?: string;
  correlationId?: string | undefined;
}

function resultEvent(
  deps: { clock: Clock; newId: NewId },
  input: ResultInput,
): Envelope<'vn.gov.hopthu.provisioning.result.v1'> {
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
  return buildEvent('vn.gov.hopthu.provisioning.result.v1', data, {
    source: EVENT_SOURCE,
    subject: command.mailboxId,
    correlationId: input.correlationId,
    time: deps.clock.now(),
    id: deps.newId(),
  });
}

export async function outboxProvisioningResult(
  deps: { db: QueryExecutorProvider; clock: Clock; newId: NewId },
  input: ResultInput,
): Promise<string> {
  const event = resultEvent(deps, input);
  await insertOutboxMessage(deps.db, {
    topic: Topics.provisioningResults,
    key: input.command.mailboxId,
    event,
  });
  return event.id;
}

/** The result events of many commands in one statement, in the given order, each keyed by its mailbox. */
export async function outboxProvisioningResults(
  deps: { db: QueryExecutorProvider; clock: Clock; newId: NewId },
  inputs: readonly ResultInput[],
): Promise<void> {
  await insertOutboxMessages(
    deps.db,
    inputs.map((input) => ({
      topic: Topics.provisioningResults,
      key: input.command.mailboxId,
      event: resultEvent(deps, input),
    })),
  );
}
