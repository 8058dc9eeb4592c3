// Addresses follow the agency tree after a rename or a move: each unit's official mailbox is
// re-derived by the unit rule (a name chosen outside the rule is kept), and where the personal rule
// carries the agency part (every province but Khánh Hòa) its people's addresses move with it, name
// part and number kept (tvanh1.stttt → tvanh1.snv). Each move keeps the old address as a transition
// alias and sends a `rename` command (change-address.ts). Runs in the caller's transaction.
import { isValidLocalPart, type ProvincePolicy } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import { findTakenLocalParts } from '../../db/address-repository.ts';
import { type Agency, findAgencyLineage } from '../../db/agency-repository.ts';
import {
  findLiveAgencyMailbox,
  listLiveMailboxesOfAgencies,
  type Mailbox,
} from '../../db/mailbox-repository.ts';
import { findPersonById } from '../../db/person-repository.ts';
import type { ChangeContext, ChangeDeps, Db } from '../deps.ts';
import { changeMailboxAddress } from '../mailboxes/change-address.ts';
import { agencyPartForPerson, personalNamingInput, unitNamingInput } from '../mailboxes/naming-input.ts';
import { pickAddress, ruleCandidates } from '../mailboxes/pick-address.ts';

/** A unit as its addresses were derived before the change. */
export interface UnitBefore {
  agency: Agency;
  official: Mailbox | null;
  /** The official mailbox's address is the rule's own (not a name chosen outside it). */
  conforming: boolean;
  personalPart: string;
  depth: number;
}

export interface AddressMove {
  mailboxId: string;
  from: string;
  to: string;
}

/** What the moves need: the province, who and why, the chosen name of the changed unit. */
export interface Readdressing {
  policy: ProvincePolicy;
  ctx: ChangeContext;
  details: Record<string, unknown>;
  /** The unit whose own mailbox may take a chosen name, and that name. */
  chosen: { agencyId: string; mailboxName: string | undefined };
}

type Moves = Omit<ChangeDeps, 'db'>;

/** The units (the agency and everything below it), parents first, with what their addresses were. */
export async function snapshotUnits(
  db: Db,
  policy: ProvincePolicy,
  ids: readonly string[],
): Promise<UnitBefore[]> {
  const units: UnitBefore[] = [];
  for (const id of ids) {
    const lineage = await findAgencyLineage(db, id);
    const self = lineage[0] as Agency;
    const official = await findLiveAgencyMailbox(db, id);
    units.push({
      agency: self,
      official,
      conforming: official !== null && followsUnitRule(policy, lineage, official.localPart),
      personalPart: agencyPartForPerson(self, official?.localPart ?? null),
      depth: lineage.length,
    });
  }
  return units.sort((a, b) => a.depth - b.depth);
}

/** Moves every unit's addresses to what the tree now derives; the moves made, in order. */
export async function readdressUnits(
  db: Db,
  deps: Moves,
  units: readonly UnitBefore[],
  how: Readdressing,
): Promise<AddressMove[]> {
  const moved: AddressMove[] = [];
  for (const unit of units) {
    const lineage = await findAgencyLineage(db, unit.agency.id);
    const officialLocal = await readdressOfficial(db, deps, unit, lineage, how, moved);
    await readdressPeople(db, deps, unit, lineage[0] as Agency, officialLocal, how, moved);
  }
  return moved;
}

function followsUnitRule(policy: ProvincePolicy, lineage: Agency[], localPart: string): boolean {
  try {
    return ruleCandidates(policy, unitNamingInput(lineage)).includes(localPart);
  } catch {
    return false;
  }
}

/** The unit's own mailbox to the rule's address (or the chosen name); its local part after. */
async function readdressOfficial(
  db: Db,
  deps: Moves,
  unit: UnitBefore,
  lineage: Agency[],
  how: Readdressing,
  moved: AddressMove[],
): Promise<string | null> {
  const official = unit.official;
  if (!official) return null;
  const chosen = unit.agency.id === how.chosen.agencyId ? how.chosen.mailboxName : undefined;
  if (!unit.conforming && !chosen) return official.localPart;
  const target = ruleCandidates(how.policy, unitNamingInput(lineage, chosen))[0];
  if (!target || target === official.localPart) return official.localPart;
  const { domain } = how.policy;
  const taken = await findTakenLocalParts(db, domain, [target], how.ctx.at, {
    exceptAgencyId: unit.agency.id,
  });
  if (taken.has(target)) {
    throw new AppError('conflict', {
      vi: `Địa chỉ mới của hộp thư cơ quan ${target}@${domain} đã được dùng; hãy chọn mailboxName`,
      en: `The agency mailbox's new address ${target}@${domain} is taken; give mailboxName`,
    });
  }
  await move(db, deps, official, target, how, moved);
  return target;
}

/** The unit's people, where the personal rule carries the agency part. */
async function readdressPeople(
  db: Db,
  deps: Moves,
  unit: UnitBefore,
  self: Agency,
  officialLocal: string | null,
  how: Readdressing,
  moved: AddressMove[],
): Promise<void> {
  const personalPart = agencyPartForPerson(self, officialLocal);
  if (!how.policy.personal.agencyPart || personalPart === unit.personalPart) return;
  const people = (await listLiveMailboxesOfAgencies(db, [self.id])).filter((m) => m.type === 'personal');
  const suffix = `.${unit.personalPart}`;
  for (const mailbox of people) {
    if (!mailbox.localPart.endsWith(suffix)) continue; // an address made outside the rule stays
    const local = await personalTarget(
      db,
      mailbox,
      `${mailbox.localPart.slice(0, -suffix.length)}.${personalPart}`,
      personalPart,
      how,
    );
    if (local !== null) await move(db, deps, mailbox, local, how, moved);
  }
}

/** The name part kept with the new agency part; else what the rule picks for the person now. */
async function personalTarget(
  db: Db,
  mailbox: Mailbox,
  kept: string,
  personalPart: string,
  how: Readdressing,
): Promise<string | null> {
  const { policy, ctx } = how;
  if (isValidLocalPart(kept) && !(await findTakenLocalParts(db, policy.domain, [kept], ctx.at)).has(kept)) {
    return kept;
  }
  const person = mailbox.personId ? await findPersonById(db, mailbox.personId) : null;
  if (!person) return null;
  const picked = await pickAddress(db, {
    policy,
    input: personalNamingInput(person, personalPart),
    at: ctx.at,
  });
  if (picked.outcome === 'local') return picked.local;
  if (picked.outcome === 'operator') return picked.candidates[0]?.split('@')[0] ?? null;
  return null;
}

async function move(
  db: Db,
  deps: Moves,
  mailbox: Mailbox,
  newLocal: string,
  how: Readdressing,
  moved: AddressMove[],
): Promise<void> {
  const after = await changeMailboxAddress(
    { ...deps, db },
    {
      mailbox,
      newLocal,
      why: 'agency_renamed',
      details: how.details,
      ctx: how.ctx,
    },
  );
  if (!after) throw new Error(`address ${newLocal} taken concurrently`);
  moved.push({ mailboxId: after.id, from: mailbox.address, to: after.address });
}
