// Delivers a batch of events to the directory's requests consumer as the inbox does for a batch
// from one partition (packages/shared/src/inbox.ts): one transaction, one multi-row insert of the
// inbox rows, then the fresh events through `handleMany` (mode `many`) or `handle` one after the
// other (mode `each`, what the consumer did before handleMany). For the component test and the
// in-process bench (bench/apply-items.ts), which compare the two; with the requests' events they
// feed it (requestEvents) and agency ids alike on two scratch databases (counterIds).
import { randomUUID } from 'node:crypto';
import { type AnyEnvelope, buildEvent, type EventPerson, type ItemApproved } from '@hopthu/shared/events';
import type { HandlerContext } from '@hopthu/shared/inbox';
import type { Logger } from '@hopthu/shared/logger';
import { type Kysely, sql } from 'kysely';
import type { requestsHandlers } from '../src/consumers/requests-consumer.ts';
import type { DirectoryDatabase } from '../src/db/schema.ts';

export type DeliveryMode = 'each' | 'many';

export async function deliverBatch(
  db: Kysely<DirectoryDatabase>,
  handlers: ReturnType<typeof requestsHandlers>,
  events: readonly AnyEnvelope[],
  mode: DeliveryMode,
  logger: Logger,
  consumer = 'directory',
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ event_id: string }>`
      INSERT INTO inbox (consumer, event_id, topic, event_type)
      SELECT ${consumer}, e.id, 'hopthu.requests.v1', e.type
      FROM unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => e.type)}::text[]) AS e(id, type)
      ON CONFLICT DO NOTHING
      RETURNING event_id`.execute(trx);
    const fresh = new Set(rows.map((r) => r.event_id));
    const batch = events
      .filter((event) => fresh.delete(event.id))
      .map((event, i): { event: AnyEnvelope; ctx: HandlerContext } => ({
        event,
        ctx: {
          logger: logger.child({ eventId: event.id }),
          message: {
            topic: 'hopthu.requests.v1',
            partition: 0,
            offset: String(i),
            key: event.subject ?? null,
            value: null,
            headers: {},
          },
          attempt: 1,
        },
      }));
    if (mode === 'many') {
      if (batch.length > 0) await handlers.handleMany(batch, trx);
      return;
    }
    for (const { event, ctx } of batch) await handlers.handle(event, trx, ctx);
  });
}

const HASH = '{BLF-CRYPT}$2b$05$abcdefghijklmnopqrstuuS0m3H4shV4lu3F0rT3st1ngOnlyXXXXXX';

/** One request's events: request.submitted, then its approved personal creates in order. */
export function requestEvents(
  agencyId: string,
  province: string,
  persons: readonly EventPerson[],
): AnyEnvelope[] {
  const requestId = randomUUID();
  const meta = { source: 'urn:hopthu:requests', subject: requestId, correlationId: requestId };
  const submitted = buildEvent(
    'vn.gov.hopthu.request.submitted.v1',
    {
      requestId,
      agencyId,
      province,
      receivedAt: new Date().toISOString(),
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      reference: { number: `1/${requestId.slice(0, 6)}`, date: '2026-12-03' },
      itemCount: persons.length,
    },
    meta,
  );
  const items = persons.map((person) => {
    const item: ItemApproved = {
      requestId,
      itemId: randomUUID(),
      agencyId,
      province,
      operation: 'create',
      mailboxType: 'personal',
      person,
      passwordHash: HASH,
      reason: 'Cấp hộp thư cho cán bộ mới',
      approvedBy: 'policy:auto',
    };
    return buildEvent('vn.gov.hopthu.request.item.approved.v1', item, meta);
  });
  return [submitted, ...items];
}

/** Ids from a counter: the agencies get the same ids on both scratch databases. */
export function counterIds(prefix: number) {
  let n = 0;
  return () =>
    `00000000-0000-4000-8${prefix.toString(16).padStart(3, '0')}-${(n++).toString(16).padStart(12, '0')}`;
}
