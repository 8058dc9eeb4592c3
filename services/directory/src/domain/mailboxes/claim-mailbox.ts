// Claims an address for a new mailbox: ask the naming policy for the first free candidate (free of
// live mailboxes, aliases, reserved and recently retired addresses), then insert. The unique index
// is the final judge: losing a race to a concurrent insert excludes that candidate and tries again.
import {
  chooseAddress,
  generateCandidates,
  isNamingError,
  isValidLocalPart,
  type NamingInput,
  type ProvincePolicy,
} from '@hopthu/naming';
import { findTakenLocalParts } from '../../db/address-repository.ts';
import { insertMailboxIfFree, type Mailbox } from '../../db/mailbox-repository.ts';
import type { Db } from '../deps.ts';

export type ClaimOutcome =
  | { outcome: 'created'; mailbox: Mailbox }
  | { outcome: 'operator'; candidates: string[] }
  | { outcome: 'error'; code: 'naming' | 'taken' | 'invalid_address'; message: { vi: string; en: string } }
  | { outcome: 'holder_has_mailbox' };

const CANDIDATES_CHECKED = 200;
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
    let local: string;
    if (args.forcedLocal !== undefined) {
      local = args.forcedLocal;
      if (!isValidLocalPart(local) || policy.reserved.includes(local)) {
        return {
          outcome: 'error',
          code: 'invalid_address',
          message: {
            vi: `"${local}" không phải tên hộp thư hợp lệ hoặc là địa chỉ dành riêng`,
            en: `"${local}" is not a valid mailbox name or is reserved`,
          },
        };
      }
      const taken = await findTakenLocalParts(db, policy.domain, [local], at, ownName);
      if (taken.has(local)) return takenOutcome(`${local}@${policy.domain}`);
    } else {
      let candidates: string[];
      try {
        candidates = take(generateCandidates(policy, args.input), CANDIDATES_CHECKED);
      } catch (error) {
        if (isNamingError(error)) return { outcome: 'error', code: 'naming', message: error.messages };
        throw error;
      }
      const taken = await findTakenLocalParts(db, policy.domain, candidates, at, ownName);
      const choice = chooseAddress(policy, args.input, (l) => taken.has(l) || excluded.has(l));
      if (choice.outcome === 'error')
        return { outcome: 'error', code: 'naming', message: choice.error.message };
      if (choice.outcome === 'operator') {
        return { outcome: 'operator', candidates: choice.candidates.map((c) => `${c}@${policy.domain}`) };
      }
      local = choice.local;
    }
    const mailbox: Omit<Mailbox, 'createdAt' | 'updatedAt'> = {
      ...args.mailbox,
      address: `${local}@${policy.domain}`,
      localPart: local,
      domain: policy.domain,
      state: 'provisioning',
      generation: 1,
    };
    if (await insertMailboxIfFree(db, mailbox, at)) {
      return { outcome: 'created', mailbox: { ...mailbox, createdAt: at, updatedAt: at } };
    }
    // Lost a race for the address, or the holder already has its one mailbox.
    const nowTaken = await findTakenLocalParts(db, policy.domain, [local], at, ownName);
    if (!nowTaken.has(local)) return { outcome: 'holder_has_mailbox' };
    if (args.forcedLocal !== undefined) return takenOutcome(mailbox.address);
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

function takenOutcome(address: string): ClaimOutcome {
  return {
    outcome: 'error',
    code: 'taken',
    message: { vi: `Địa chỉ ${address} đã được sử dụng`, en: `The address ${address} is already in use` },
  };
}

function take(generator: Iterable<string>, count: number): string[] {
  const result: string[] = [];
  for (const value of generator) {
    result.push(value);
    if (result.length >= count) break;
  }
  return result;
}
