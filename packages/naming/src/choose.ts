// Choosing an address: walk the candidates in order and take the first that is free of mailboxes,
// aliases, reserved and recently retired addresses (the caller's isTaken, plus the policy's
// reserved list). Where the province leaves collisions to an operator, or for a unit whose name is
// taken, the answer is a decision with free numbered candidates instead.
import { NamingError, type NamingErrorDetail } from './errors.ts';
import { foldAddressPart } from './name-parts.ts';
import { generatePersonalCandidates, type PersonalInput } from './personal.ts';
import type { ProvincePolicy } from './policies/policy-types.ts';
import { generateUnitCandidates, type UnitInput } from './unit.ts';

export type NamingInput = ({ kind: 'personal' } & PersonalInput) | ({ kind: 'unit' } & UnitInput);

/** Is this local part (lowercase, no domain) already used, reserved or recently retired? */
export type IsTaken = (local: string) => boolean;

export type AddressChoice =
  | { outcome: 'assigned'; local: string; address: string }
  | { outcome: 'operator'; decision: 'operator'; candidates: string[] }
  | { outcome: 'error'; error: NamingErrorDetail };

/** How many candidates are tried before giving up with `no_free_candidate`. */
export const MAX_ATTEMPTS = 10_000;
/** How many free candidates a unit decision proposes where the policy does not say. */
const DEFAULT_PROPOSALS = 3;

const nothingTaken: IsTaken = () => false;

/** Every candidate local part for the input, best first (lazy). Throws NamingError on bad input. */
export function generateCandidates(policy: ProvincePolicy, input: NamingInput): Generator<string> {
  return input.kind === 'personal'
    ? generatePersonalCandidates(policy, input)
    : generateUnitCandidates(policy, input);
}

/**
 * The address for one person or unit. Deterministic: the same policy, input and taken set give the
 * same answer. Never throws for bad input; it returns `{ outcome: 'error' }` instead.
 */
export function chooseAddress(
  policy: ProvincePolicy,
  input: NamingInput,
  isTaken: IsTaken = nothingTaken,
): AddressChoice {
  try {
    const blocked = (local: string): boolean => policy.reserved.includes(local) || isTaken(local);
    const candidates = generateCandidates(policy, input);
    const operatorDecides = input.kind === 'unit' || policy.collision.kind === 'operator';
    if (!operatorDecides) {
      let attempts = 0;
      for (const local of candidates) {
        if (!blocked(local)) return assigned(policy, local);
        if (++attempts >= MAX_ATTEMPTS) break;
      }
      return noFreeCandidate(policy);
    }
    const first = candidates.next();
    if (first.done) return noFreeCandidate(policy);
    if (!blocked(first.value)) return assigned(policy, first.value);
    const wanted = policy.collision.kind === 'operator' ? policy.collision.proposalCount : DEFAULT_PROPOSALS;
    const proposals: string[] = [];
    let attempts = 1;
    for (const local of candidates) {
      if (!blocked(local)) proposals.push(local);
      if (proposals.length >= wanted || ++attempts >= MAX_ATTEMPTS) break;
    }
    if (proposals.length === 0) return noFreeCandidate(policy);
    return { outcome: 'operator', decision: 'operator', candidates: proposals };
  } catch (error) {
    if (error instanceof NamingError) return { outcome: 'error', error: error.toDetail() };
    throw error;
  }
}

/**
 * Addresses for the items of one request, in the order given. An address assigned to an earlier
 * item counts as taken for the later ones. Where the policy gives rank priority (Kiên Giang), people
 * are served by `person.rank` (1 first; no rank last; ties in request order), so the higher-ranked
 * person gets the plain form; an existing holder (isTaken) is never displaced.
 */
export function chooseAddresses(
  policy: ProvincePolicy,
  inputs: readonly NamingInput[],
  isTaken: IsTaken = nothingTaken,
): AddressChoice[] {
  const order = servingOrder(policy, inputs);
  const assignedHere = new Set<string>();
  const results: AddressChoice[] = new Array(inputs.length);
  for (const index of order) {
    const choice = chooseAddress(
      policy,
      inputs[index] as NamingInput,
      (l) => assignedHere.has(l) || isTaken(l),
    );
    if (choice.outcome === 'assigned') assignedHere.add(choice.local);
    results[index] = choice;
  }
  return results;
}

/**
 * Indices of the inputs in the order they are served. With rank priority, the slots that personal
 * items occupy are refilled in rank order; units keep their places.
 */
export function servingOrder(policy: ProvincePolicy, inputs: readonly NamingInput[]): number[] {
  const order = inputs.map((_, index) => index);
  if (policy.collision.kind !== 'numeric' || !policy.collision.rankPriority) return order;
  const personalSlots = order.filter((index) => inputs[index]?.kind === 'personal');
  const byRank = [...personalSlots].sort((a, b) => rankOf(inputs[a]) - rankOf(inputs[b]) || a - b);
  personalSlots.forEach((slot, i) => {
    order[slot] = byRank[i] as number;
  });
  return order;
}

function rankOf(input: NamingInput | undefined): number {
  const rank = input?.kind === 'personal' ? input.person.rank : undefined;
  return typeof rank === 'number' && Number.isFinite(rank) ? rank : Number.POSITIVE_INFINITY;
}

function assigned(policy: ProvincePolicy, local: string): AddressChoice {
  return { outcome: 'assigned', local, address: `${local}@${policy.domain}` };
}

function noFreeCandidate(policy: ProvincePolicy): AddressChoice {
  return {
    outcome: 'error',
    error: new NamingError('no_free_candidate', null, {
      vi: `Không còn tên hộp thư trống theo quy tắc của ${policy.name}; cần cán bộ vận hành đặt tên.`,
      en: `No free mailbox name is left under ${policy.name}'s rule; an operator must choose one.`,
    }).toDetail(),
  };
}

/**
 * A province's group (distribution) addresses, e.g. Đắk Nông Điều 5 khoản 1 điểm e:
 * `internal@daknong.gov.vn` for the province, `internal.<agency>@…` for one agency. Null where the
 * province defines none. Throws NamingError for an agency that is not a valid abbreviation.
 */
export function groupAddress(
  policy: ProvincePolicy,
  agency?: string,
): { local: string; address: string } | null {
  const rule = policy.groupAddresses;
  if (rule === null) return null;
  const local =
    agency === undefined ? rule.province : `${rule.agencyPrefix}.${foldAddressPart(agency, 'agency')}`;
  return { local, address: `${local}@${policy.domain}` };
}
