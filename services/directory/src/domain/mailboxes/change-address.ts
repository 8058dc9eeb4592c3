// Changes the address of an existing mailbox (transfer, agency rename, conversion to the current
// rule): the mailbox moves to the new address under a new generation, the old address stays an
// alias for the transition period (then is held back like a retired one), the history records
// why, and a `rename` command tells the mail server (it moves the maildir and keeps the alias).
import { findPolicy } from '@hopthu/naming';
import { insertRetiredAddress, upsertAlias } from '../../db/address-repository.ts';
import { insertHistory } from '../../db/history-repository.ts';
import { type Mailbox, readdressMailbox } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { issueCommand, publishMailboxState } from './mailbox-events.ts';

export type AddressChangeReason = 'transfer' | 'agency_renamed' | 'converted_to_rule' | 'reorganisation';

const DAY_MS = 24 * 3600 * 1000;

export async function changeMailboxAddress(
  db: Db,
  newId: () => string,
  args: {
    mailbox: Mailbox;
    newLocal: string;
    /** A transfer also moves the mailbox to its new agency. */
    agencyId?: string | undefined;
    /**
     * A merger of provinces moves the mailbox to the new province's primary domain (default: the
     * mailbox's own domain). The old address stays an alias in the old domain.
     */
    newDomain?: string | undefined;
    province?: string | undefined;
    why: AddressChangeReason;
    renameAliasDays: number;
    retiredHoldDays: number;
    details?: Record<string, unknown>;
    ctx: ChangeContext;
  },
): Promise<Mailbox | null> {
  const { mailbox: before, ctx } = args;
  const domain = args.newDomain ?? before.domain;
  const address = `${args.newLocal}@${domain}`;
  const after = await readdressMailbox(
    db,
    before.id,
    {
      address,
      localPart: args.newLocal,
      agencyId: args.agencyId,
      ...(domain !== before.domain ? { domain, province: args.province } : {}),
    },
    ctx.at,
  );
  if (!after) return null;
  const aliasUntil = new Date(ctx.at.getTime() + args.renameAliasDays * DAY_MS);
  await upsertAlias(
    db,
    {
      address: before.address,
      localPart: before.localPart,
      domain: before.domain,
      mailboxId: before.id,
      kind: 'transition',
      expiresAt: aliasUntil,
    },
    ctx.at,
  );
  // After the transition the old address is not reissued before the usual hold has passed.
  await insertRetiredAddress(db, {
    address: before.address,
    localPart: before.localPart,
    domain: before.domain,
    mailboxId: before.id,
    retiredAt: ctx.at,
    // The province's hold (retention.retiredAddressDays of its policy file); RETIRED_HOLD_DAYS only
    // for a province without a policy.
    holdUntil: new Date(
      aliasUntil.getTime() +
        (findPolicy(before.province)?.retention.retiredAddressDays ?? args.retiredHoldDays) * DAY_MS,
    ),
  });
  await insertHistory(db, {
    mailboxId: before.id,
    at: ctx.at,
    change: 'address_changed',
    reason: ctx.reason,
    requestId: ctx.requestId,
    itemId: ctx.itemId,
    actor: ctx.actor,
    details: {
      why: args.why,
      from: before.address,
      to: after.address,
      aliasUntil: aliasUntil.toISOString(),
      generation: after.generation,
      ...(args.agencyId && args.agencyId !== before.agencyId
        ? { fromAgencyId: before.agencyId, toAgencyId: args.agencyId }
        : {}),
      ...(args.details ?? {}),
    },
  });
  await issueCommand(
    db,
    newId,
    // the command names the mailbox where the mail server has it now: old address, old domain
    { ...after, address: before.address, localPart: before.localPart, domain: before.domain },
    { action: 'rename', newAddress: after.address, aliasExpiresAt: aliasUntil.toISOString() },
    ctx,
  );
  await publishMailboxState(db, before.id, ctx);
  return after;
}
