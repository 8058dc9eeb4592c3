// Replays a dead-lettered command: re-publishes its data to the commands topic under a new event
// id (through the outbox), so the provisioner's inbox takes it as new. The command keeps its id and
// generation, so replaying something that meanwhile went through changes nothing.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import { buildEvent, parseEvent, Topics } from '@hopthu/shared/events';
import { insertOutboxMessage } from '@hopthu/shared/outbox';
import { markParkedMessageRepublished } from '@hopthu/shared/parked-events';
import type { Kysely } from 'kysely';
import { findDeadLetter, markDeadLetterReplayed } from '../../db/dead-letter-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';
import { EVENT_SOURCE } from '../commands/provisioning-result.ts';

export async function replayDeadLetter(
  deps: { db: Kysely<ProvisionerDb>; clock: Clock; newId: NewId },
  input: { id: string },
): Promise<{ id: string; replayEventId: string; commandId: string }> {
  return deps.db.transaction().execute(async (trx) => {
    const dl = await findDeadLetter(trx, input.id, { forUpdate: true });
    if (!dl) throw new AppError('not_found', { vi: 'Không tìm thấy thư lỗi', en: 'Dead letter not found' });
    let original: ReturnType<typeof parseEvent> | null = null;
    try {
      original = parseEvent(dl.payload);
    } catch {
      // not a valid event: cannot be replayed
    }
    if (original?.type !== 'vn.gov.hopthu.provisioning.command.v1') {
      throw new AppError('conflict', {
        vi: 'Thư lỗi này không phải lệnh cấp phát hợp lệ nên không thể gửi lại',
        en: 'This dead letter is not a valid provisioning command and cannot be replayed',
      });
    }
    const event = buildEvent('vn.gov.hopthu.provisioning.command.v1', original.data, {
      source: EVENT_SOURCE,
      subject: original.data.mailboxId,
      correlationId: original.correlationid,
      time: deps.clock.now(),
      id: deps.newId(),
    });
    await insertOutboxMessage(trx, {
      topic: Topics.provisioningCommands,
      key: original.data.mailboxId,
      event,
      headers: { 'x-replay-of': dl.id },
    });
    await markDeadLetterReplayed(trx, dl.id, { eventId: event.id, at: deps.clock.now() });
    // the inbox parked the same message before dead-lettering it: one replay closes both
    await markParkedMessageRepublished(trx, dl, { replayedBy: `dead-letter:${dl.id}`, at: deps.clock.now() });
    return { id: dl.id, replayEventId: event.id, commandId: original.data.commandId };
  });
}
