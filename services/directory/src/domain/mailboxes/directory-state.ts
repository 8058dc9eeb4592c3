// The current state of a mailbox or an agency as the rest of the system sees it
// (hopthu.directory.v1, compacted, so each event carries the whole state): built from the
// directory's tables and outboxed in the caller's transaction.
import { type AgencyState, type MailboxState, Topics } from '@hopthu/shared/events';
import { insertOutboxMessages } from '@hopthu/shared/outbox';
import { findAgencyLineage } from '../../db/agency-repository.ts';
import { findMailboxById, mailboxStateParts } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { displayName } from '../directory/text.ts';
import { eventFor, outboxEvent } from './directory-event.ts';

/** A mailbox's state at `at` (the aliases whose end has not come by then). */
export async function buildMailboxState(db: Db, mailboxId: string, at: Date): Promise<MailboxState> {
  const state = (await buildMailboxStates(db, [mailboxId], at))[0];
  if (!state) throw new Error(`mailbox ${mailboxId} not found`);
  return state;
}

/** The states of many mailboxes in one query (mailboxStateParts), in order. */
export async function buildMailboxStates(
  db: Db,
  mailboxIds: readonly string[],
  at: Date,
): Promise<MailboxState[]> {
  const parts = await mailboxStateParts(db, mailboxIds, at);
  return mailboxIds.map((id) => {
    const found = parts.get(id);
    if (!found) throw new Error(`mailbox ${id} not found`);
    const { mailbox, person } = found;
    const state: MailboxState = {
      mailboxId: mailbox.id,
      address: mailbox.address,
      domain: mailbox.domain,
      type: mailbox.type,
      state: mailbox.state,
      agencyId: mailbox.agencyId,
      displayName: person ? displayName(person) : (found.agencyName ?? mailbox.address),
      aliases: found.aliases,
      forwardTo: found.forwardTo,
      quotaBytes: mailbox.quotaBytes,
      generation: mailbox.generation,
    };
    if (person?.position) state.position = person.position;
    if (person?.department) state.department = person.department;
    return state;
  });
}

export async function publishMailboxState(db: Db, mailboxId: string, ctx: ChangeContext): Promise<void> {
  await publishMailboxStates(db, [mailboxId], ctx);
}

/** publishMailboxState for many mailboxes: their states built set-wise, one outbox statement. */
export async function publishMailboxStates(
  db: Db,
  mailboxIds: readonly string[],
  ctx: ChangeContext,
): Promise<void> {
  if (mailboxIds.length === 0) return;
  const states = await buildMailboxStates(db, mailboxIds, ctx.at);
  await insertOutboxMessages(
    db,
    states.map((data) => ({
      topic: Topics.directory,
      key: data.mailboxId,
      event: eventFor(data.mailboxId, 'vn.gov.hopthu.directory.mailbox.v1', data, ctx),
    })),
  );
}

export async function buildAgencyState(db: Db, agencyId: string): Promise<AgencyState> {
  const lineage = await findAgencyLineage(db, agencyId);
  const agency = lineage[0];
  if (!agency) throw new Error(`agency ${agencyId} not found`);
  const official = agency.officialMailboxId ? await findMailboxById(db, agency.officialMailboxId) : null;
  return {
    agencyId: agency.id,
    province: agency.province,
    domain: agency.domain,
    name: agency.name,
    abbreviation: agency.abbreviation,
    parentId: agency.parentId,
    unitType: agency.unitType,
    officialMailbox: official && official.state !== 'deleted' ? official.address : null,
    ancestorIds: lineage.map((a) => a.id),
    dissolvedAt: agency.dissolvedAt?.toISOString() ?? null,
  };
}

export async function publishAgencyState(db: Db, agencyId: string, ctx: ChangeContext): Promise<void> {
  const data = await buildAgencyState(db, agencyId);
  await outboxEvent(db, Topics.directory, agencyId, 'vn.gov.hopthu.directory.agency.v1', data, ctx);
}
