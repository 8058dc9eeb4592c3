// The outbox relay's claim on the real PostgreSQL (packages/shared/src/outbox.ts): the advisory
// lock and the claim are one statement, and only the relay's own transaction commits without
// waiting for the WAL flush. A producer that records what it is given stands in for Kafka.
import { randomUUID } from 'node:crypto';
import type { BusProducer, OutgoingMessage } from '@hopthu/shared/kafka';
import { insertRawOutboxMessage, relayOutboxBatch } from '@hopthu/shared/outbox';
import { createScratchDatabase, repoRoot } from '@hopthu/shared/testing';
import { sql } from 'kysely';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// the requests service's schema carries the shared outbox table like every service's
const scratch = await createScratchDatabase<never>({
  service: 'requests',
  migrationsPath: path.join(repoRoot, 'services/requests/migrations'),
  max: 4,
});
afterAll(() => scratch.drop());

/** Records what it is given (and, when given, into `all` too, as the broker would see it), after up to `delayMs`. */
function recordingProducer(delayMs = 0, all?: OutgoingMessage[]): BusProducer & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  return {
    sent,
    async send(messages) {
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * delayMs));
      sent.push(...messages);
      all?.push(...messages);
    },
    async disconnect() {},
  };
}

describe('the outbox relay on PostgreSQL', () => {
  it('when two relays look at once, then each row is published once, in outbox order, and all are marked', async () => {
    const ids = Array.from({ length: 60 }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      await insertRawOutboxMessage(scratch.db, {
        id,
        topic: 'hopthu.requests.v1',
        key: `request-${i % 5}`,
        payload: { i },
      });
    }
    const broker: OutgoingMessage[] = [];
    const a = recordingProducer(10, broker);
    const b = recordingProducer(10, broker);
    // small batches, both relays asking again and again, so their looks overlap
    const drain = async (producer: BusProducer) => {
      for (let looks = 0; looks < 200; looks++) {
        await relayOutboxBatch(scratch.db as never, producer, 7);
        const left = await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL`.execute(scratch.db);
        if (left.rows[0]!.n === 0) return;
      }
    };
    await Promise.all([drain(a), drain(b)]);

    // one relay at a time: the broker got every row once, in outbox order, though both relays published
    const published = broker.map((m) => (JSON.parse(m.value) as { i: number }).i);
    expect(published).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    const unmarked = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM outbox WHERE id = ANY(${ids}::uuid[]) AND processed_at IS NULL`.execute(
      scratch.db,
    );
    expect(unmarked.rows[0]!.n).toBe(0);
  });

  it('when the relay has published, then the connection it used commits with the WAL flush again (the setting was its transaction’s only)', async () => {
    const single = await createScratchDatabase<never>({
      service: 'requests',
      migrationsPath: path.join(repoRoot, 'services/requests/migrations'),
      max: 1,
    });
    try {
      await insertRawOutboxMessage(single.db, {
        id: randomUUID(),
        topic: 'hopthu.requests.v1',
        key: 'request-x',
        payload: { x: 1 },
      });
      const producer = recordingProducer();
      expect(await relayOutboxBatch(single.db as never, producer)).toBe(1);
      expect(producer.sent).toHaveLength(1);
      // one pooled connection: the relay's, now serving the next use case
      const { rows } = await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(single.db);
      expect(rows[0]!.synchronous_commit).toBe('on');
    } finally {
      await single.drop();
    }
  });
});
