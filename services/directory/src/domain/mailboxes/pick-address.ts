// Picks an address for a mailbox: a new one (claimMailbox) or an existing one whose address must
// change (transfer, agency rename, conversion to the current rule): the first free candidate of the
// province's rule, an operator's decision where the province leaves collisions to one, or the
// local part an operator decided.
import {
  chooseAddress,
  generateCandidates,
  isNamingError,
  isValidLocalPart,
  type NamingInput,
  type ProvincePolicy,
} from '@hopthu/naming';
import { findTakenLocalParts } from '../../db/address-repository.ts';
import type { Db } from '../deps.ts';

export type PickOutcome =
  | { outcome: 'local'; local: string }
  | { outcome: 'operator'; candidates: string[] }
  | { outcome: 'error'; code: 'naming' | 'taken' | 'invalid_address'; message: { vi: string; en: string } };

const CANDIDATES_CHECKED = 200;

export async function pickAddress(
  db: Db,
  args: {
    policy: ProvincePolicy;
    input: NamingInput;
    forcedLocal?: string | undefined;
    at: Date;
    /** For an agency's own mailbox: its own name is not taken for it. */
    ownAgencyId?: string | undefined;
    /** Local parts to pass over although the database finds them free (lost to a concurrent insert). */
    excluded?: ReadonlySet<string>;
  },
): Promise<PickOutcome> {
  const { policy, at } = args;
  if (args.forcedLocal !== undefined) {
    const local = args.forcedLocal;
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
    const taken = await findTakenLocalParts(db, policy.domain, [local], at, {
      exceptAgencyId: args.ownAgencyId,
    });
    if (taken.has(local)) return takenError(`${local}@${policy.domain}`);
    return { outcome: 'local', local };
  }
  let candidates: string[];
  try {
    candidates = ruleCandidates(policy, args.input);
  } catch (error) {
    if (isNamingError(error)) return { outcome: 'error', code: 'naming', message: error.messages };
    throw error;
  }
  const taken = await findTakenLocalParts(db, policy.domain, candidates, at, {
    exceptAgencyId: args.ownAgencyId,
  });
  const choice = chooseAddress(policy, args.input, (l) => taken.has(l) || !!args.excluded?.has(l));
  if (choice.outcome === 'error') return { outcome: 'error', code: 'naming', message: choice.error.message };
  if (choice.outcome === 'operator') {
    return { outcome: 'operator', candidates: choice.candidates.map((c) => `${c}@${policy.domain}`) };
  }
  return { outcome: 'local', local: choice.local };
}

/** The rule's first candidates for the input, best first (throws NamingError on bad input). */
export function ruleCandidates(policy: ProvincePolicy, input: NamingInput): string[] {
  const result: string[] = [];
  for (const value of generateCandidates(policy, input)) {
    result.push(value);
    if (result.length >= CANDIDATES_CHECKED) break;
  }
  return result;
}

export function takenError(address: string): Extract<PickOutcome, { outcome: 'error' }> {
  return {
    outcome: 'error',
    code: 'taken',
    message: { vi: `Địa chỉ ${address} đã được sử dụng`, en: `The address ${address} is already in use` },
  };
}
