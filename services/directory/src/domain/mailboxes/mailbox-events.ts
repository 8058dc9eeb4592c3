// Everything the directory tells the rest of the system goes through here, into the outbox of the
// caller's transaction: the current state of a mailbox or agency (hopthu.directory.v1, compacted,
// so each event carries the whole state), provisioning commands, and results for items the
// directory answers itself (update without a mail-server change, or items it cannot carry out).
import { getPolicy } from '@hopthu/naming';
import {
  type AgencyState,
  buildEvent,
  type EventData,
  type EventType,
  type ItemApproved,
  type MailboxState,
  type ProvisioningAction,
  type ProvisioningCommand,
  type Topic,
  Topics,
} from '@hopthu/shared/events';
import { insertOutboxMessage, insertOutboxMessages } from '@hopthu/shared/outbox';
import { findAgenciesByIds, findAgencyLineage } from '../../db/agency-repository.ts';
import { insertIssuedCommands } from '../../db/command-repository.ts';
import {
  findMailboxById,
  findMailboxesByIds,
  listAliasAddressesOf,
  type Mailbox,
} from '../../db/mailbox-repository.ts';
import { findPeopleByIds } from '../../db/person-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { EVENT_SOURCE } from '../deps.ts';
import { displayName } from '../directory/text.ts';
import { actionForOperation } from './naming-input.ts';

export async function buildMailboxState(db: Db, mailboxId: string): Promise<MailboxState> {
  const state = (await buildMailboxStates(db, [mailboxId]))[0];
  if (!state) throw new Error(`mailbox ${mailboxId} not found`);
  return state;
}

/** The states of many mailboxes in four queries (mailboxes, agencies, people, aliases), in order. */
export async function buildMailboxStates(db: Db, mailboxIds: readonly string[]): Promise<MailboxState[]> {
  const mailboxes = await findMailboxesByIds(db, mailboxIds);
  const found = [...mailboxes.values()];
  const agencies = await findAgenciesByIds(
    db,
    found.map((m) => m.agencyId),
  );
  const people = await findPeopleByIds(
    db,
    found.flatMap((m) => (m.personId ? [m.personId] : [])),
  );
  const aliases = await listAliasAddressesOf(
    db,
    found.map((m) => m.id),
  );
  return mailboxIds.map((id) => {
    const mailbox = mailboxes.get(id);
    if (!mailbox) throw new Error(`mailbox ${id} not found`);
    const agency = agencies.get(mailbox.agencyId);
    const person = mailbox.personId ? people.get(mailbox.personId) : undefined;
    const state: MailboxState = {
      mailboxId: mailbox.id,
      address: mailbox.address,
      domain: mailbox.domain,
      type: mailbox.type,
      state: mailbox.state,
      agencyId: mailbox.agencyId,
      displayName: person ? displayName(person) : (agency?.name ?? mailbox.address),
      aliases: aliases.get(mailbox.id) ?? [],
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
  const states = await buildMailboxStates(db, mailboxIds);
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
  };
}

export async function publishAgencyState(db: Db, agencyId: string, ctx: ChangeContext): Promise<void> {
  const data = await buildAgencyState(db, agencyId);
  await outboxEvent(db, Topics.directory, agencyId, 'vn.gov.hopthu.directory.agency.v1', data, ctx);
}

/** Records and outboxes one provisioning command for the mailbox's (already bumped) generation. */
export async function issueCommand(
  db: Db,
  newId: () => string,
  mailbox: Mailbox,
  command: MailboxCommand,
  ctx: ChangeContext,
): Promise<string> {
  const [commandId] = await issueCommands(db, newId, [{ mailbox, command }], ctx);
  return commandId as string;
}

type MailboxCommand = Pick<
  ProvisioningCommand,
  'action' | 'passwordHash' | 'passwordChangeRequired' | 'quotaBytes' | 'newAddress' | 'aliasExpiresAt'
>;

/** issueCommand for many mailboxes in one insert each of the commands and their outbox rows. */
export async function issueCommands(
  db: Db,
  newId: () => string,
  items: readonly {
    mailbox: Pick<Mailbox, 'id' | 'generation' | 'address' | 'domain'>;
    command: MailboxCommand;
  }[],
  ctx: ChangeContext,
): Promise<string[]> {
  return recordCommands(
    db,
    newId,
    items.map(({ mailbox, command }) => ({
      command: {
        id: mailbox.id,
        generation: mailbox.generation,
        action: command.action,
        address: mailbox.address,
        domain: mailbox.domain,
      },
      options: {
        passwordHash: command.passwordHash,
        passwordChangeRequired: command.passwordChangeRequired,
        quotaBytes: command.quotaBytes,
        newAddress: command.newAddress,
        aliasExpiresAt: command.aliasExpiresAt,
      },
    })),
    ctx,
  );
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
  await outboxEvent(
    db,
    Topics.provisioningResults,
    item.itemId,
    'vn.gov.hopthu.provisioning.result.v1',
    data,
    ctx,
  );
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
  command: { id: string; action: 'set_alias' | 'remove_alias' } & Pick<
    ProvisioningCommand,
    'generation' | 'address' | 'domain' | 'aliasTargets' | 'allowedSenders' | 'aliasExpiresAt'
  >,
  ctx: ChangeContext,
): Promise<string> {
  return recordCommand(
    db,
    newId,
    command,
    {
      aliasTargets: command.aliasTargets,
      allowedSenders: command.allowedSenders,
      aliasExpiresAt: command.aliasExpiresAt,
    },
    ctx,
    target,
  );
}

/**
 * Records a command (provisioning_commands, for matching its result) and outboxes it in the same
 * transaction. `options` that are undefined are left out of the event, in the order given.
 */
export async function recordCommand(
  db: Db,
  newId: () => string,
  command: CommandTarget,
  options: CommandOptions,
  ctx: ChangeContext,
  target?: 'alias' | 'group' | 'domain',
): Promise<string> {
  const [commandId] = await recordCommands(db, newId, [{ command, options }], ctx, target);
  return commandId as string;
}

type CommandTarget = {
  id: string;
  generation: number;
  action: ProvisioningAction;
  address: string;
  domain: string;
};
type CommandOptions = Partial<Omit<ProvisioningCommand, keyof BaseCommandData>>;

/** recordCommand for many commands: one insert of the issued commands, one of their outbox rows. */
export async function recordCommands(
  db: Db,
  newId: () => string,
  commands: readonly { command: CommandTarget; options: CommandOptions }[],
  ctx: ChangeContext,
  target?: 'alias' | 'group' | 'domain',
): Promise<string[]> {
  const issued = commands.map(({ command, options }) => {
    const data: ProvisioningCommand = {
      commandId: newId(),
      mailboxId: command.id,
      generation: command.generation,
      action: command.action,
      address: command.address,
      domain: command.domain,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
      ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    };
    return data;
  });
  await insertIssuedCommands(
    db,
    issued.map((data) => ({
      commandId: data.commandId,
      mailboxId: data.mailboxId,
      generation: data.generation,
      action: data.action,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
      ...(target ? { target } : {}),
    })),
    ctx.at,
  );
  await insertOutboxMessages(
    db,
    issued.map((data) => ({
      topic: Topics.provisioningCommands,
      key: data.mailboxId,
      event: eventFor(data.mailboxId, 'vn.gov.hopthu.provisioning.command.v1', data, ctx),
    })),
  );
  return issued.map((data) => data.commandId);
}

type BaseCommandData = Pick<
  ProvisioningCommand,
  'commandId' | 'mailboxId' | 'generation' | 'action' | 'address' | 'domain' | 'requestId' | 'itemId'
>;

/** Outboxes one event keyed and subjected by `key`, at the change's time and correlation id. */
async function outboxEvent<T extends EventType>(
  db: Db,
  topic: Topic,
  key: string,
  type: T,
  data: EventData<T>,
  ctx: ChangeContext,
): Promise<void> {
  await insertOutboxMessage(db, { topic, key, event: eventFor(key, type, data, ctx) });
}

function eventFor<T extends EventType>(key: string, type: T, data: EventData<T>, ctx: ChangeContext) {
  return buildEvent(type, data, {
    source: EVENT_SOURCE,
    subject: key,
    correlationId: ctx.correlationId,
    time: ctx.at,
  });
}
