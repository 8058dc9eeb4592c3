// Thin Kafka entry points: results of provisioning, and the directory's agency/mailbox state
// (the replica that authorisation reads).
import { type MessageBus, startInboxConsumer, Topics } from '@hopthu/shared';
import type { Logger } from '@hopthu/shared';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { recordResult } from '../domain/results/record-result.ts';

export function startResultsConsumer(deps: {
  db: Kysely<Database>;
  bus: MessageBus;
  logger: Logger;
  publicUrl: string;
}) {
  return startInboxConsumer({
    bus: deps.bus,
    db: deps.db,
    consumer: 'requests-results',
    topics: [Topics.provisioningResults],
    logger: deps.logger,
    handle: async (event, trx) => {
      if (event.type === 'vn.gov.hopthu.provisioning.result.v1')
        await recordResult(trx, deps.publicUrl, event.data, event.correlationid);
    },
  });
}

export function startDirectoryConsumer(deps: { db: Kysely<Database>; bus: MessageBus; logger: Logger }) {
  return startInboxConsumer({
    bus: deps.bus,
    db: deps.db,
    consumer: 'requests-directory',
    topics: [Topics.directory],
    logger: deps.logger,
    handle: async (event, trx) => {
      if (event.type === 'vn.gov.hopthu.directory.agency.v1') {
        const a = event.data;
        const row = {
          province: a.province,
          domain: a.domain,
          name: a.name,
          abbreviation: a.abbreviation,
          parent_id: a.parentId,
          ancestor_ids: a.ancestorIds.includes(a.agencyId) ? a.ancestorIds : [a.agencyId, ...a.ancestorIds],
          official_mailbox: a.officialMailbox,
          updated_at: new Date(),
        };
        await trx
          .insertInto('agencies')
          .values({ agency_id: a.agencyId, ...row })
          .onConflict((oc) => oc.column('agency_id').doUpdateSet(row))
          .execute();
      } else if (event.type === 'vn.gov.hopthu.directory.mailbox.v1') {
        const m = event.data;
        const row = {
          address: m.address,
          agency_id: m.agencyId,
          type: m.type,
          state: m.state,
          generation: m.generation,
        };
        await trx
          .insertInto('mailboxes')
          .values({ mailbox_id: m.mailboxId, ...row })
          .onConflict((oc) =>
            oc.column('mailbox_id').doUpdateSet(row).where('mailboxes.generation', '<=', m.generation),
          )
          .execute();
      }
    },
  });
}
