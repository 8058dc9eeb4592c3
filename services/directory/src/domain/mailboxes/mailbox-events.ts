// Everything the directory tells the rest of the system goes through here, into the outbox of the
// caller's transaction: the current state of a mailbox or agency (hopthu.directory.v1, compacted,
// so each event carries the whole state), provisioning commands, and results for items the
// directory answers itself (update without a mail-server change, or items it cannot carry out).
import { getPolicy } from '@hopthu/naming';
import {
  type AgencyState,
  buildEvent,
  type ItemApproved,
  insertOutboxMessage,
  type MailboxState,
  type ProvisioningAction,
  Topics,
} from '@hopthu/shared';
import { findAgencyById, findAgencyLineage } from '../../db/agency-repository.ts';
import { insertIssuedCommand } from '../../db/command-repository.ts';
import { findMailboxById, listAliasAddresses, type Mailbox } from '../../db/mailbox-repository.ts';
import { findPersonById } from '../../db/person-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';
import { displayName } from '../directory/text.ts';
import { actionForOperation } from './naming-input.ts';

export async function buildMailboxState(db: Db, mailboxId: string): Promise<MailboxState> {
  const mailbox = await findMailboxById(db, mailboxId);
  if (!mailbox) throw new Error(`mailbox ${mailboxId} not found`);
  const agency = await findAgencyById(db, mailbox.agencyId);
  const person = mailbox.personId ? await findPersonById(db, mailbox.personId) : null;
  const state: MailboxState = {
    mailboxId: mailbox.id,
    address: mailbox.address,
    domain: mailbox.domain,
    type: mailbox.type,
    state: mailbox.state,
    agencyId: mailbox.agencyId,
    displayName: person ? displayName(person) : (agency?.name ?? mailbox.address),
    aliases: await listAliasAddresses(db, mailbox.id),
    quotaBytes: mailbox.quotaBytes,
    generation: mailbox.generation,
  };
  if (person?.position) state.position = person.position;
  if (person?.department) state.department = person.department;
  return state;
}

export async function publishMailboxState(db: Db, mailboxId: string, ctx: ChangeContext): Promise<void> {
  const data = await buildMailboxState(db, mailboxId);
  await insertOutboxMessage(db, {
    topic: Topics.directory,
    key: mailboxId,
    event: buildEvent('vn.gov.hopthu.directory.mailbox.v1', data, {
      source: EVENT_SOURCE,
      subject: mailboxId,
      correlationId: ctx.correlationId,
      time: ctx.at,
    }),
  });
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
  };
}

export async function publishAgencyState(db: Db, agencyId: string, ctx: ChangeContext): Promise<void> {
  const data = await buildAgencyState(db, agencyId);
  await insertOutboxMessage(db, {
    topic: Topics.directory,
    key: agencyId,
    event: buildEvent('vn.gov.hopthu.directory.agency.v1', data, {
      source: EVENT_SOURCE,
      subject: agencyId,
      correlationId: ctx.correlationId,
      time: ctx.at,
    }),
  });
}

/** Records and outboxes one provisioning command for the mailbox's (already bumped) generation. */
export async function issueCommand(
  db: Db,
  newId: () => string,
  mailbox: Mailbox,
  command: {
    action: ProvisioningAction;
    passwordHash?: string | undefined;
    quotaBytes?: number | undefined;
    newAddress?: string | undefined;
    aliasExpiresAt?: string | undefined;
  },
  ctx: ChangeContext,
): Promise<string> {
  const commandId = newId();
  await insertIssuedCommand(
    db,
    {
      commandId,
      mailboxId: mailbox.id,
      generation: mailbox.generation,
      action: command.action,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
    },
    ctx.at,
  );
  const data = {
    commandId,
    mailboxId: mailbox.id,
    generation: mailbox.generation,
    action: command.action,
    address: mailbox.address,
    domain: mailbox.domain,
    requestId: ctx.requestId,
    itemId: ctx.itemId,
    ...(command.passwordHash !== undefined ? { passwordHash: command.passwordHash } : {}),
    ...(command.quotaBytes !== undefined ? { quotaBytes: command.quotaBytes } : {}),
    ...(command.newAddress !== undefined ? { newAddress: command.newAddress } : {}),
    ...(command.aliasExpiresAt !== undefined ? { aliasExpiresAt: command.aliasExpiresAt } : {}),
  };
  await insertOutboxMessage(db, {
    topic: Topics.provisioningCommands,
    key: mailbox.id,
    event: buildEvent('vn.gov.hopthu.provisioning.command.v1', data, {
      source: EVENT_SOURCE,
      subject: mailbox.id,
      correlationId: ctx.correlationId,
      time: ctx.at,
    }),
  });
  return commandId;
}

/**
 * Answers an item the directory settles itself, on hopthu.provisioning.results.v1 keyed by item id:
 * `failed` with a reason (Vietnamese / English) for items it cannot turn into commands, `applied`
 * for directory-only updates. The requests service reads these like the provisioner's results.
 */
export async function publishItemResult(
  db: Db,
  newId: () => string,
  item: ItemApproved,
  result: { outcome: 'failed' | 'applied'; reason?: { vi: string; en: string }; mailbox?: Mailbox | null },
  ctx: ChangeContext,
): Promise<void> {
  const data = {
    commandId: newId(),
    mailboxId: result.mailbox?.id ?? '',
    generation: result.mailbox?.generation ?? 0,
    action: actionForOperation(item.operation),
    address: result.mailbox?.address ?? item.address ?? '',
    requestId: item.requestId,
    itemId: item.itemId,
    outcome: result.outcome,
    ...(result.reason ? { error: `${result.reason.vi} / ${result.reason.en}` } : {}),
    attempts: 1,
  };
  await insertOutboxMessage(db, {
    topic: Topics.provisioningResults,
    key: item.itemId,
    event: buildEvent('vn.gov.hopthu.provisioning.result.v1', data, {
      source: EVENT_SOURCE,
      subject: item.itemId,
      correlationId: ctx.correlationId,
      time: ctx.at,
    }),
  });
}

export function quotaFor(province: string, type: 'personal' | 'agency'): number {
  const policy = getPolicy(province);
  return type === 'agency' ? policy.agencyQuotaBytes : policy.personalQuotaBytes;
}

/**
 * Records and outboxes a set_alias / remove_alias command for an alias or group address. The
 * command's `mailboxId` is the alias's or group's own id and `generation` its own counter, so the
 * provisioner orders these independently of any mailbox.
 */
export async function issueAddressCommand(
  db: Db,
  newId: () => string,
  target: 'alias' | 'group',
  command: {
    id: string;
    generation: number;
    action: 'set_alias' | 'remove_alias';
    address: string;
    domain: string;
    aliasTargets?: string[] | undefined;
    allowedSenders?: string[] | undefined;
    aliasExpiresAt?: string | undefined;
  },
  ctx: ChangeContext,
): Promise<string> {
  const commandId = newId();
  await insertIssuedCommand(
    db,
    {
      commandId,
      mailboxId: command.id,
      generation: command.generation,
      action: command.action,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
      target,
    },
    ctx.at,
  );
  const data = {
    commandId,
    mailboxId: command.id,
    generation: command.generation,
    action: command.action,
    address: command.address,
    domain: command.domain,
    requestId: ctx.requestId,
    itemId: ctx.itemId,
    ...(command.aliasTargets !== undefined ? { aliasTargets: command.aliasTargets } : {}),
    ...(command.allowedSenders !== undefined ? { allowedSenders: command.allowedSenders } : {}),
    ...(command.aliasExpiresAt !== undefined ? { aliasExpiresAt: command.aliasExpiresAt } : {}),
  };
  await insertOutboxMessage(db, {
    topic: Topics.provisioningCommands,
    key: command.id,
    event: buildEvent('vn.gov.hopthu.provisioning.command.v1', data, {
      source: EVENT_SOURCE,
      subject: command.id,
      correlationId: ctx.correlationId,
      time: ctx.at,
    }),
  });
  return commandId;
}
