// A message the provisioner gave up on: keep it (dead_letters), publish the original message to the
// dead-letter topic with the error and attempts in headers, and, when it was a valid command,
// answer it with a `failed` result and a readable reason so its request item ends failed. All in
// one transaction through the outbox; a message already dead-lettered is not answered twice.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { type ProvisioningCommand, Topics } from '@hopthu/shared/events';
import type { PoisonInfo } from '@hopthu/shared/inbox';
import type { Logger } from '@hopthu/shared/logger';
import { insertRawOutboxMessage } from '@hopthu/shared/outbox';
import type { Kysely } from 'kysely';
import { upsertAppliedCommand } from '../../db/applied-command-repository.ts';
import { insertDeadLetter } from '../../db/dead-letter-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import { outboxProvisioningResult } from '../commands/provisioning-result.ts';

export interface DeadLetterDeps {
  clock: Clock;
  newId: NewId;
  logger: Logger;
}

/** The reason shown on the request item: the permanent error as is, anything else with its attempts. */
export function readableReason(error: Error, attempts: number): string {
  if (error.name === 'PermanentError') return error.message;
  if (error.name === 'InvalidEventError')
    return `Lệnh cấp phát không hợp lệ / invalid provisioning command: ${error.message}`;
  return `Máy chủ thư báo lỗi sau ${attempts} lần thử / the mail server failed after ${attempts} attempts: ${error.message}`;
}

export async function deadLetterMessage(
  deps: DeadLetterDeps & { db: Kysely<ProvisionerDb> },
  info: PoisonInfo,
): Promise<'dead_lettered' | 'already_dead_lettered'> {
  const { message, event } = info;
  const command =
    event?.type === 'vn.gov.hopthu.provisioning.command.v1' ? (event.data as ProvisioningCommand) : null;
  const reason = readableReason(info.error, info.attempts);
  const raw = message.value?.toString('utf8') ?? null;
  let payload: unknown = raw;
  try {
    payload = raw === null ? null : JSON.parse(raw);
  } catch {
    // not JSON: republished as a JSON string
  }

  return deps.db.transaction().execute(async (trx) => {
    const inserted = await insertDeadLetter(trx, {
      id: deps.newId(),
      sourceKey: event
        ? `event:${event.id}`
        : `message:${message.topic}/${message.partition}/${message.offset}`,
      eventId: event?.id ?? null,
      commandId: command?.commandId ?? null,
      mailboxId: command?.mailboxId ?? null,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      messageKey: message.key,
      payload: raw,
      headers: message.headers,
      error: reason,
      attempts: info.attempts,
    });
    if (!inserted) return 'already_dead_lettered' as const;

    await insertRawOutboxMessage(trx, {
      id: deps.newId(),
      topic: Topics.provisioningDeadLetter,
      key: message.key ?? command?.mailboxId ?? 'unknown',
      payload,
      headers: {
        ...message.headers,
        'x-dead-letter-error': reason.slice(0, 2000),
        'x-dead-letter-attempts': String(info.attempts),
        'x-dead-letter-consumer': 'provisioner',
        'x-original-topic': message.topic,
        'x-original-partition': String(message.partition),
        'x-original-offset': message.offset,
      },
    });

    if (command && event) {
      await upsertAppliedCommand(trx, {
        commandId: command.commandId,
        mailboxId: command.mailboxId,
        generation: command.generation,
        action: command.action,
        address: command.address,
        outcome: 'failed',
        attempts: info.attempts,
        error: reason,
        eventId: event.id,
        appliedAt: deps.clock.now(),
      });
      await outboxProvisioningResult(
        { ...deps, db: trx },
        {
          command,
          outcome: 'failed',
          attempts: info.attempts,
          error: reason,
          correlationId: event.correlationid,
        },
      );
    }
    deps.logger.warn(
      {
        topic: message.topic,
        offset: message.offset,
        eventId: event?.id,
        commandId: command?.commandId,
        reason,
      },
      'message dead-lettered',
    );
    return 'dead_lettered' as const;
  });
}
