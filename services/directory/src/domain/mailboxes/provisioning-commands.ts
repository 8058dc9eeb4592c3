// Provisioning commands for the mail server (hopthu.provisioning.commands.v1): each is recorded in
// provisioning_commands (to match its result) and outboxed in the caller's transaction, for a
// mailbox under its (already bumped) generation, or for an alias, a group or a domain.
import { type ProvisioningAction, type ProvisioningCommand, Topics } from '@hopthu/shared/events';
import { insertOutboxMessages } from '@hopthu/shared/outbox';
import { insertIssuedCommands } from '../../db/command-repository.ts';
import type { Mailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { eventFor } from './directory-event.ts';

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

export type MailboxCommand = Pick<
  ProvisioningCommand,
  | 'action'
  | 'passwordHash'
  | 'passwordChangeRequired'
  | 'quotaBytes'
  | 'newAddress'
  | 'aliasExpiresAt'
  | 'resultNote'
  | 'forwardTo'
>;

/** issueCommand for many mailboxes in one insert each of the commands and their outbox rows. */
export async function issueCommands(
  db: Db,
  newId: () => string,
  items: readonly {
    mailbox: Pick<Mailbox, 'id' | 'generation' | 'address' | 'domain'>;
    command: MailboxCommand;
    /** The command's own context where not `ctx` (a batch of items, each its request and item). */
    ctx?: ChangeContext;
  }[],
  ctx: ChangeContext,
): Promise<string[]> {
  return recordCommands(
    db,
    newId,
    items.map(({ mailbox, command, ctx: own }) => ({
      ...(own ? { ctx: own } : {}),
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
        resultNote: command.resultNote,
        forwardTo: command.forwardTo,
      },
    })),
    ctx,
  );
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
  command: AddressCommand,
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

/** A set_alias / remove_alias command for an alias or a group, under its own id and generation. */
export type AddressCommand = { id: string; action: 'set_alias' | 'remove_alias' } & Pick<
  ProvisioningCommand,
  'generation' | 'address' | 'domain' | 'aliasTargets' | 'allowedSenders' | 'aliasExpiresAt'
>;

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
  commands: readonly { command: CommandTarget; options: CommandOptions; ctx?: ChangeContext }[],
  ctx: ChangeContext,
  target?: 'alias' | 'group' | 'domain',
): Promise<string[]> {
  const issued = commands.map(({ command, options, ctx: own }) => {
    const context = own ?? ctx;
    const data: ProvisioningCommand = {
      commandId: newId(),
      mailboxId: command.id,
      generation: command.generation,
      action: command.action,
      address: command.address,
      domain: command.domain,
      requestId: context.requestId,
      itemId: context.itemId,
      ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    };
    return { data, context };
  });
  await insertIssuedCommands(
    db,
    issued.map(({ data, context }) => ({
      commandId: data.commandId,
      mailboxId: data.mailboxId,
      generation: data.generation,
      action: data.action,
      requestId: context.requestId,
      itemId: context.itemId,
      ...(target ? { target } : {}),
      ...(context !== ctx ? { issuedAt: context.at } : {}),
    })),
    ctx.at,
  );
  await insertOutboxMessages(
    db,
    issued.map(({ data, context }) => ({
      topic: Topics.provisioningCommands,
      key: data.mailboxId,
      event: eventFor(data.mailboxId, 'vn.gov.hopthu.provisioning.command.v1', data, context),
    })),
  );
  return issued.map(({ data }) => data.commandId);
}

type BaseCommandData = Pick<
  ProvisioningCommand,
  'commandId' | 'mailboxId' | 'generation' | 'action' | 'address' | 'domain' | 'requestId' | 'itemId'
>;
