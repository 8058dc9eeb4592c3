// Changes the address of an existing mailbox (transfer, agency rename, conversion to the current
// rule): the mailbox moves to the new address under a new generation, the old address stays an
// alias for the transition period (then is held back like a retired one), the history records
// why, and a `rename` command tells the mail server (it moves the maildir and keeps the alias).
// Other mailboxes' forwards to the old address are rewritten to the new one (retarget-forwards.ts).
// Many mailboxes at once (a reorganisation's batch) go set-wise, one statement per table; one
// mailbox is a batch of one.
import { upsertAliases } from '../../db/address-repository.ts';
import { type Mailbox, readdressMailboxes } from '../../db/mailbox-repository.ts';
import { retargetForwards } from '../forwards/retarget-forwards.ts';
import type { ChangeContext, ChangeDeps } from '../deps.ts';
import { holdRetiredAddresses, transitionAliasUntil } from './address-holds.ts';
import { recordMailboxChanges } from './record-mailbox-change.ts';

export type AddressChangeReason = 'transfer' | 'agency_renamed' | 'converted_to_rule' | 'reorganisation';

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
  ctx: ChangeContext;
}

export async function changeMailboxAddress(
  deps: ChangeDeps,
  args: AddressChange & AddressChangeCommon,
): Promise<Mailbox | null> {
  return (await changeMailboxAddresses(deps, [args], args))[0] ?? null;
}

/**
 * changeMailboxAddress for many mailboxes (distinct, locked by the caller), in one statement per
 * table. Answers, in order, each mailbox after the change, or null where a live mailbox holds the
 * new address (as the statement started: the caller may retry that one alone).
 */
export async function changeMailboxAddresses(
  deps: ChangeDeps,
  changes: readonly AddressChange[],
  common: AddressChangeCommon,
): Promise<(Mailbox | null)[]> {
  const { ctx } = common;
  const { db } = deps;
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
  const aliasUntil = transitionAliasUntil(deps, ctx.at);
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
  await holdRetiredAddresses(
    deps,
    done.map(({ before }) => ({ mailbox: before, from: aliasUntil })),
    ctx.at,
  );
  await recordMailboxChanges(
    deps,
    done.map(({ change, before, after }) => ({
      mailbox: after,
      history: {
        change: 'address_changed',
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
      },
      // the command names the mailbox where the mail server has it now: old address, old domain
      commandAddress: { address: before.address, domain: before.domain },
      command: { action: 'rename', newAddress: after.address, aliasExpiresAt: aliasUntil.toISOString() },
    })),
    ctx,
  );
  // forwards elsewhere to an old address follow the mailbox, after its own rename command
  await retargetForwards(
    deps,
    done.map(({ before, after }) => ({ mailboxId: before.id, from: before.address, to: after.address })),
    ctx,
  );
  return changes.map((c) => updated.get(c.mailbox.id) ?? null);
}
