// Claims an address for a new mailbox: ask the naming policy for the first free candidate (free of
// live mailboxes, aliases, reserved and recently retired addresses), then insert. The unique index
// is the final judge: losing a race to a concurrent insert excludes that candidate and tries again.
import type { NamingInput, ProvincePolicy } from '@hopthu/naming';
import { findTakenLocalParts } from '../../db/address-repository.ts';
import { insertMailboxIfFree, type Mailbox } from '../../db/mailbox-repository.ts';
import type { Db } from '../deps.ts';
import { type PickOutcome, pickAddress, takenError } from './pick-address.ts';

export type ClaimOutcome =
  | { outcome: 'created'; mailbox: Mailbox }
  | Exclude<PickOutcome, { outcome: 'local' }>
  | { outcome: 'holder_has_mailbox' };

const MAX_RACES = 20;

export async function claimMailbox(
  db: Db,
  args: {
    policy: ProvincePolicy;
    input: NamingInput;
    /** A local part decided by an operator: used as is when free, never replaced by another. */
    forcedLocal?: string | undefined;
    mailbox: Pick<Mailbox, 'id' | 'type' | 'agencyId' | 'personId' | 'province' | 'quotaBytes'>;
    at: Date;
  },
): Promise<ClaimOutcome> {
  const { policy, at } = args;
  const excluded = new Set<string>();
  // An agency's own mailbox may carry the agency's own name.
  const ownName = { exceptAgencyId: args.mailbox.type === 'agency' ? args.mailbox.agencyId : undefined };
  for (let race = 0; race < MAX_RACES; race++) {
    const picked = await pickAddress(db, {
      policy,
      input: args.input,
      forcedLocal: args.forcedLocal,
      at,
      ownAgencyId: ownName.exceptAgencyId,
      excluded,
    });
    if (picked.outcome !== 'local') return picked;
    const local = picked.local;
    const mailbox = newMailbox(args.mailbox, local, policy);
    if (await insertMailboxIfFree(db, mailbox, at)) {
      return { outcome: 'created', mailbox: { ...mailbox, createdAt: at, updatedAt: at } };
    }
    // Lost a race for the address, or the holder already has its one mailbox.
    const nowTaken = await findTakenLocalParts(db, policy.domain, [local], at, ownName);
    if (!nowTaken.has(local)) return { outcome: 'holder_has_mailbox' };
    if (args.forcedLocal !== undefined) return takenError(mailbox.address);
    excluded.add(local);
  }
  return {
    outcome: 'error',
    code: 'taken',
    message: {
      vi: 'Không giành được địa chỉ trống, hãy thử lại',
      en: 'Could not claim a free address; try again',
    },
  };
}

/** A new mailbox at `local` in the province's domain: provisioning, generation 1. */
export function newMailbox(
  mailbox: Pick<Mailbox, 'id' | 'type' | 'agencyId' | 'personId' | 'province' | 'quotaBytes'>,
  local: string,
  policy: Pick<ProvincePolicy, 'domain'>,
): Omit<Mailbox, 'createdAt' | 'updatedAt'> {
  return {
    ...mailbox,
    address: `${local}@${policy.domain}`,
    localPart: local,
    domain: policy.domain,
    state: 'provisioning',
    generation: 1,
  };
}
