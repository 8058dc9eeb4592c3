// On the real stack: a create command the mail server refuses for a while (a vmail trigger stands
// for any cause that is neither transient nor a bad command) is retried, then both parked by the
// inbox (parked_events) and dead-lettered by the provisioner (dead_letters, a failed result).
// Once the cause is gone, the operator replays the parked copy in place through
// POST /admin/parked-events/:id/replay: the mailbox is created and logs in, and the dead letter of
// the same message is closed by that replay (replayedAt, replayEventId: the event handled), so
// neither list keeps it open and nobody replays it a second time from the dead letters.
import { randomBytes } from 'node:crypto';
import type { ParkedEvent } from '@hopthu/shared/parked-events';
import { waitFor } from '@hopthu/shared/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  admin,
  buildCommand,
  canLogin,
  commandEvent,
  hashPassword,
  newPassword,
  queryVmail,
  uniqueAddress,
  useProvisioner,
} from './helpers.ts';

const t = useProvisioner();
const api = admin();
const trigger = `kt_refuse_${randomBytes(6).toString('hex')}`;

afterAll(async () => {
  await queryVmail(`DROP TRIGGER IF EXISTS ${trigger} ON mailbox`);
  await queryVmail(`DROP FUNCTION IF EXISTS ${trigger}()`);
});

interface DeadLetterView {
  id: string;
  commandId: string;
  topic: string;
  partition: number;
  offset: string;
  replayedAt: string | null;
  replayEventId: string | null;
}

describe('a parked provisioning command replayed in place', () => {
  it('when the operator replays the parked copy of a dead-lettered command, then the mailbox is created and its dead letter is closed too', async () => {
    const address = uniqueAddress('parked-replay');
    const password = newPassword();
    // the cause: vmail refuses this one address (and nobody else's)
    await queryVmail(`
      CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.username = '${address}' THEN RAISE EXCEPTION 'vmail refuses ${address}'; END IF; RETURN NEW; END $$`);
    await queryVmail(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON mailbox FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
    );

    const create = buildCommand({ address, passwordHash: await hashPassword(password) });
    const event = await t.bus.publish(commandEvent(create));
    const failed = await t.bus.waitForResult(create.mailboxId, 1, 120_000);
    expect(failed).toMatchObject({ outcome: 'failed', commandId: create.commandId });
    expect(failed.error).toContain(`vmail refuses ${address}`);

    const letters = await api<{ deadLetters: DeadLetterView[] }>(
      'GET',
      `/admin/dead-letters?commandId=${create.commandId}`,
    );
    expect(letters.body.deadLetters).toHaveLength(1);
    const letter = letters.body.deadLetters[0]!;
    expect(letter.replayedAt).toBeNull();
    const parked = await waitFor(
      async () =>
        (
          await api<{ parkedEvents: ParkedEvent[] }>('GET', '/admin/parked-events?state=open&limit=500')
        ).body.parkedEvents.find((p) => p.eventId === event.id),
      { what: 'the parked copy of the command' },
    );
    expect(parked).toMatchObject({ topic: letter.topic, partition: letter.partition, offset: letter.offset });
    expect(await canLogin(address, password)).toBe(false);

    // fixed: the operator replays the parked copy, which handles the command in place
    await queryVmail(`DROP TRIGGER ${trigger} ON mailbox`);
    const replay = await api<{ outcome: string; replayedBy: string }>(
      'POST',
      `/admin/parked-events/${parked.id}/replay`,
      { operator: 'kt.tamgiu' },
    );
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(replay.body).toMatchObject({ outcome: 'handled', replayedBy: 'kt.tamgiu' });
    const applied = await t.bus.waitForResult(create.mailboxId, 2);
    expect(applied).toMatchObject({ outcome: 'applied', commandId: create.commandId });
    expect(await canLogin(address, password)).toBe(true);

    // the dead letter of the same message is closed by that replay, not left open for a second one
    const after = await api<DeadLetterView>('GET', `/admin/dead-letters/${letter.id}`);
    expect(after.body.replayedAt).not.toBeNull();
    expect(after.body.replayEventId).toBe(event.id);
    const open = await api<{ deadLetters: DeadLetterView[] }>(
      'GET',
      `/admin/dead-letters?commandId=${create.commandId}&replayed=false`,
    );
    expect(open.body.deadLetters).toEqual([]);
  }, 180_000);
});
