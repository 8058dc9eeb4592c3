// Changes the address of an existing mailbox (transfer, agency rename, conversion to the current
// rule): the mailbox moves to the new address under a new generation, the old address stays an
// alias for the transition period (then is held back like a retired one), the history records
// why, and a `rename` command tells the mail server (it moves the maildir and keeps the alias).
// Many mailboxes at once (a reorganisation's batch) go set-wise, one statement per table; one
// mailbox is a batch of one.
import { findPolicy } from '@hopthu/naming';
import { insertRetiredAddresses, upsertAliases } from '../../db/address-repository.ts';
import { insertHistories } from '../../db/history-repository.ts';
import { type Mailbox, readdressMailboxes } from '../../db/mailbox-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { issueCommands } from './provisioning-commands.ts';
import { publishMailboxStates } from './directory-state.ts';

export type AddressChangeReason = 'transfer' | 'agency_renamed' | 'converted_to_rule' | 'reorganisation';

const DAY_MS = 24 * 3600 * 1000;

export interface AddressChange {
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
  details?: Record<string, unknown>;
}

export interface AddressChangeCommon {
  why: AddressChangeReason;
  renameAliasDays: number;
  retiredHoldDays: number;
  ctx: ChangeContext;
}

export async function changeMailboxAddress(
  db: Db,
  newId: () => string,
  args: AddressChange & AddressChangeCommon,
): Promise<Mailbox | null> {
  return (await changeMailboxAddresses(db, newId, [args], args))[0] ?? null;
}

/**
 * changeMailboxAddress for many mailboxes (distinct, locked by the caller), in one statement per
 * table. Answers, in order, each mailbox after the change, or null where a live mailbox holds the
 * new address (as the statement started: the caller may retry that one alone).
 */
export async function changeMailboxAddresses(
  db: Db,
  newId: () => string,
  changes: readonly AddressChange[],
  common: AddressChangeCommon,
): Promise<(Mailbox | null)[]> {
  const { ctx } = common;
  const updated = await readdressMailboxes(
    db,
    changes.map((c) => {
      const domain = c.newDomain ?? c.mailbox.domain;
      return {
        id: c.mailbox.id,
        address: `${c.newLocal}@${domain}`,
        localPart: c.newLocal,
        agencyId: c.agencyId,
        ...(domain !== c.mailbox.domain ? { domain, province: c.province } : {}),
      };
    }),
    ctx.at,
  );
  const done = changes.flatMap((c) => {
    const after = updated.get(c.mailbox.id);
    return after ? [{ change: c, before: c.mailbox, after }] : [];
  });
  const aliasUntil = new Date(ctx.at.getTime() + common.renameAliasDays * DAY_MS);
  await upsertAliases(
    db,
    done.map(({ before }) => ({
      address: before.address,
      localPart: before.localPart,
      domain: before.domain,
      mailboxId: before.id,
      kind: 'transition' as const,
      expiresAt: aliasUntil,
    })),
    ctx.at,
  );
  // After the transition the old address is not reissued before the usual hold has passed.
  await insertRetiredAddresses(
    db,
    done.map(({ before }) => ({
      address: before.address,
      localPart: before.localPart,
      domain: before.domain,
      mailboxId: before.id,
      retiredAt: ctx.at,
      // The province's hold (retention.retiredAddressDays of its policy file); RETIRED_HOLD_DAYS only
      // for a province without a policy.
      holdUntil: new Date(
        aliasUntil.getTime() +
          (findPolicy(before.province)?.retention.retiredAddressDays ?? common.retiredHoldDays) * DAY_MS,
      ),
    })),
  );
  await insertHistories(
    db,
    done.map(({ change, before, after }) => ({
      mailboxId: before.id,
      at: ctx.at,
      change: 'address_changed',
      reason: ctx.reason,
      requestId: ctx.requestId,
      itemId: ctx.itemId,
      actor: ctx.actor,
      details: {
        why: common.why,
        from: before.address,
        to: after.address,
        aliasUntil: aliasUntil.toISOString(),
        generation: after.generation,
        ...(change.agencyId && change.agencyId !== before.agencyId
          ? { fromAgencyId: before.agencyId, toAgencyId: change.agencyId }
          : {}),
        ...(change.details ?? {}),
      },
    })),
  );
  await issueCommands(
    db,
    newId,
    done.map(({ before, after }) => ({
      // the command names the mailbox where the mail server has it now: old address, old domain
      mailbox: { ...after, address: before.address, domain: before.domain },
      command: { action: 'rename', newAddress: after.address, aliasExpiresAt: aliasUntil.toISOString() },
    })),
    ctx,
  );
  await publishMailboxStates(
    db,
    done.map(({ before }) => before.id),
    ctx,
  );
  return changes.map((c) => updated.get(c.mailbox.id) ?? null);
}
