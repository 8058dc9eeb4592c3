// The other direction of replay-dead-letter.ts: an operator replays the parked copy of a command
// (POST /admin/parked-events/:id/replay, handled again in place by the commands consumer) instead
// of its dead letter. The inbox parked the message before the provisioner dead-lettered it, so the
// dead letter of the same message (topic, partition, offset) is closed in the replay's transaction,
// with the fields a dead-letter replay writes (replayed_at, replay_event_id: here the event that
// was handled), and neither list keeps it open.
import type { Clock } from '@hopthu/shared/clock';
import type { Logger } from '@hopthu/shared/logger';
import type { ParkedReplay } from '@hopthu/shared/parked-events';
import type { Kysely } from 'kysely';
import { markDeadLetterOfMessageReplayed } from '../../db/dead-letter-repository.ts';
import type { ProvisionerDb } from '../../db/schema.ts';

export async function closeDeadLetterOfReplay(
  deps: { db: Kysely<ProvisionerDb>; clock: Clock; logger: Logger },
  replay: ParkedReplay,
): Promise<string | null> {
  const closed = await markDeadLetterOfMessageReplayed(deps.db, replay, {
    eventId: replay.eventId,
    at: deps.clock.now(),
  });
  if (closed) {
    deps.logger.info(
      { deadLetterId: closed, parkedEventId: replay.parkedEventId, replayedBy: replay.replayedBy },
      'dead letter closed by the replay of its parked copy',
    );
  }
  return closed;
}
