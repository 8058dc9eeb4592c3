// The dry run of a reorganisation, pure: from a snapshot of the agency tree and mailboxes of the
// provinces involved and the plan, the tree after it and every mailbox whose address changes, old →
// new by the target province's rule. Collisions are resolved by that rule (numbers, letters…), or
// become conflicts where the rule leaves them to an operator (then `addressChoices` in the plan
// decides). Nothing here reads or writes anything: the same snapshot and plan give the same answer.
//
// Address rule for a mailbox whose agency's place in the tree changed (province, parent, name,
// abbreviation) or whose holder moved to another agency: its current local part is kept when it is
// already one of the target rule's candidates and free (only the domain may change: a merged
// province's mailboxes move to the new primary domain); otherwise the rule's first free candidate.
import {
  chooseAddress,
  generateCandidates,
  isNamingError,
  type NamingInput,
  planPersonalAddress,
  planUnitAddress,
  type ProvincePolicy,
  type UnitDescription,
  type UnitType,
} from '@hopthu/naming';
import type { ReorganisationPlan } from './reorganisation-plan.ts';

export interface SnapshotAgency {
  id: string;
  province: string;
  name: string;
  abbreviation: string;
  unitType: string;
  parentId: string | null;
  unitCode: string | null;
  officialMailboxId: string | null;
  dissolved: boolean;
  dissolvedInto: string | null;
  formerProvince: string | null;
  /** Earlier abbreviations (agency versions), so a plan still finds a renamed agency. */
  formerAbbreviations: readonly string[];
}

export interface SnapshotMailbox {
  id: string;
  localPart: string;
  domain: string;
  type: 'personal' | 'agency';
  agencyId: string;
  personId: string | null;
  displayName: string;
}

export interface SnapshotPerson {
  familyName: string;
  middleName: string;
  givenName: string;
}

export interface ReorganisationSnapshot {
  agencies: readonly SnapshotAgency[];
  /** Live mailboxes of the agencies above. */
  mailboxes: readonly SnapshotMailbox[];
  people: ReadonlyMap<string, SnapshotPerson>;
  /** Per target province: local part → how many holders in any of its domains (after the plan's domain moves). */
  taken: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Domains of each province now, primary first. */
  domains: ReadonlyMap<string, readonly string[]>;
  policy: (province: string) => ProvincePolicy | null;
}

export type ChangeKind = 'readdress' | 'move' | 'retire' | 'alias';

export interface ComputedChange {
  mailboxId: string;
  kind: ChangeKind;
  /** The agency after the plan (for retire/alias: the merged agency itself). */
  agencyId: string;
  fromAgencyId: string;
  from: string;
  /** The new address; for `alias` the address that stays (an alias of the target); for `retire` the old one. */
  to: string;
  /** `alias`: the agency whose own mailbox the old address forwards to. */
  aliasTargetAgencyId: string | null;
  province: string;
  displayName: string;
}

export interface Conflict {
  kind:
    | 'unknown_province'
    | 'unknown_agency'
    | 'abbreviation_taken'
    | 'operator_choice'
    | 'no_address'
    | 'unit_not_planned'
    | 'people_in_dissolved_unit'
    | 'not_a_district'
    | 'cross_province_merge';
  ref?: string;
  address?: string;
  candidates?: string[];
  message: { vi: string; en: string };
}

export interface AgencyAfter {
  agencyId: string;
  province: string;
  domain: string;
  name: string;
  abbreviation: string;
  parentId: string | null;
  unitCode: string | null;
  formerProvince: string | null;
  dissolved: boolean;
  dissolvedInto: string | null;
  /** What differs from before, for the history and the summary. */
  changed: string[];
}

export interface ReorganisationResult {
  changes: ComputedChange[];
  conflicts: Conflict[];
  /** Agencies whose row changes, parents first. */
  agencies: AgencyAfter[];
  /** Domains that become alias domains of another province. */
  domainMoves: { domain: string; fromProvince: string; intoProvince: string; primaryDomain: string }[];
  perAgency: { agencyId: string; name: string; abbreviation: string; province: string; changed: number }[];
  mailboxesChanged: number;
  agenciesChanged: number;
}

interface Working extends SnapshotAgency {
  originalProvince: string;
  underProvince: boolean;
}

const CANDIDATES_SCANNED = 200;

export function computeReorganisation(
  snapshot: ReorganisationSnapshot,
  plan: ReorganisationPlan,
): ReorganisationResult {
  const conflicts: Conflict[] = [];
  const before = new Map(snapshot.agencies.map((a) => [a.id, a]));
  const work = new Map<string, Working>(
    snapshot.agencies.map((a) => [a.id, { ...a, originalProvince: a.province, underProvince: false }]),
  );
  const provinceMap = new Map<string, string>(); // merged province → the one it joined
  const mailboxFate = new Map<string, { action: 'retire' } | { action: 'alias'; into: string }>(); // agency id → its mailbox
  const domainMoves: ReorganisationResult['domainMoves'] = [];

  const finalProvince = (p: string): string => {
    let at = p;
    for (let i = 0; i < 10 && provinceMap.has(at); i++) at = provinceMap.get(at) as string;
    return at;
  };
  const resolve = (ref: string, where: string): Working | null => {
    const [province, abbreviation] = ref.split('/') as [string, string];
    const matches = [...work.values()].filter(
      (a) =>
        (a.originalProvince === province || a.formerProvince === province || a.province === province) &&
        (a.abbreviation === abbreviation || a.formerAbbreviations.includes(abbreviation)),
    );
    const found = matches.find((a) => a.abbreviation === abbreviation) ?? matches[0];
    if (!found) {
      conflicts.push({
        kind: 'unknown_agency',
        ref,
        message: { vi: `${where}: không có cơ quan ${ref}`, en: `${where}: no agency ${ref}` },
      });
      return null;
    }
    return found;
  };
  const children = (id: string) => [...work.values()].filter((a) => a.parentId === id && !a.dissolved);
  const mergeInto = (x: Working, y: Working, fate: 'alias' | 'retire', where: string) => {
    if (x.dissolved) return; // already merged (the plan is being run again)
    if (finalProvince(x.province) !== finalProvince(y.province)) {
      conflicts.push({
        kind: 'cross_province_merge',
        ref: `${x.province}/${x.abbreviation}`,
        message: {
          vi: `${where}: ${x.name} và ${y.name} thuộc hai tỉnh khác nhau (hợp nhất tỉnh trước)`,
          en: `${where}: ${x.name} and ${y.name} are in different provinces (merge the provinces first)`,
        },
      });
      return;
    }
    x.dissolved = true;
    x.dissolvedInto = y.id;
    for (const child of children(x.id)) child.parentId = y.id;
    mailboxFate.set(x.id, fate === 'alias' ? { action: 'alias', into: y.id } : { action: 'retire' });
  };

  plan.operations.forEach((op, index) => {
    const where = `/operations/${index}`;
    switch (op.op) {
      case 'merge_province': {
        for (const p of [op.from, op.into]) {
          if (!snapshot.policy(p)) {
            conflicts.push({
              kind: 'unknown_province',
              ref: p,
              message: { vi: `${where}: không có tỉnh ${p}`, en: `${where}: no province ${p}` },
            });
          }
        }
        if (!snapshot.policy(op.from) || !snapshot.policy(op.into)) return;
        provinceMap.set(op.from, op.into);
        for (const a of work.values()) {
          if (a.province === op.from && !a.dissolved) {
            a.province = op.into;
            a.formerProvince = op.from;
          }
        }
        const primary =
          snapshot.domains.get(op.into)?.[0] ?? (snapshot.policy(op.into) as ProvincePolicy).domain;
        for (const domain of snapshot.domains.get(op.from) ?? []) {
          domainMoves.push({ domain, fromProvince: op.from, intoProvince: op.into, primaryDomain: primary });
        }
        return;
      }
      case 'merge_agency': {
        const x = resolve(op.agency, `${where}/agency`);
        const y = resolve(op.into, `${where}/into`);
        if (x && y) mergeInto(x, y, op.agencyMailbox, where);
        return;
      }
      case 'dissolve_district': {
        const d = resolve(op.district, `${where}/district`);
        if (!d) return;
        if (d.dissolved) return;
        if (d.unitType !== 'district' && d.unitType !== 'city') {
          conflicts.push({
            kind: 'not_a_district',
            ref: op.district,
            message: {
              vi: `${where}: ${d.name} không phải cấp huyện`,
              en: `${where}: ${d.name} is not a district`,
            },
          });
          return;
        }
        const planned = new Set<string>();
        op.units.forEach((u, i) => {
          const unit = resolve(u.unit, `${where}/units/${i}/unit`);
          if (!unit) return;
          planned.add(unit.id);
          if (u.action === 'merge') {
            const into = resolve(u.into, `${where}/units/${i}/into`);
            if (into) mergeInto(unit, into, u.agencyMailbox, `${where}/units/${i}`);
          } else if (!unit.dissolved) {
            unit.dissolved = true;
            mailboxFate.set(unit.id, { action: 'retire' });
          }
        });
        for (const child of children(d.id)) {
          if (planned.has(child.id)) continue;
          if (child.unitType === 'commune' || child.unitType === 'ward') {
            child.parentId = d.parentId;
            child.underProvince = d.parentId === null;
          } else {
            conflicts.push({
              kind: 'unit_not_planned',
              ref: `${child.province}/${child.abbreviation}`,
              message: {
                vi: `${where}: đơn vị ${child.name} của ${d.name} chưa có trong kế hoạch (sáp nhập hay giải thể)`,
                en: `${where}: ${d.name}'s unit ${child.name} is not in the plan (merge or dissolve it)`,
              },
            });
          }
        }
        d.dissolved = true;
        const fate = op.districtMailbox;
        if (fate.action === 'alias') {
          const into = resolve(fate.into, `${where}/districtMailbox/into`);
          if (into) {
            d.dissolvedInto = into.id;
            mailboxFate.set(d.id, { action: 'alias', into: into.id });
          }
        } else mailboxFate.set(d.id, { action: 'retire' });
        return;
      }
      case 'rename_unit': {
        const u = resolve(op.unit, `${where}/unit`);
        if (!u) return;
        if (op.name !== undefined) u.name = op.name.normalize('NFC');
        if (op.abbreviation !== undefined) u.abbreviation = op.abbreviation;
        if (op.unitCode !== undefined) u.unitCode = op.unitCode;
        return;
      }
    }
  });

  // dissolved agencies stay where they were (their rows are history; their names stay held there)
  for (const a of work.values()) {
    if (a.dissolved && !(before.get(a.id) as SnapshotAgency).dissolved) {
      a.province = a.originalProvince;
      a.formerProvince = (before.get(a.id) as SnapshotAgency).formerProvince;
      a.parentId = (before.get(a.id) as SnapshotAgency).parentId;
    }
    a.province = a.dissolved ? a.province : finalProvince(a.province);
  }

  // (province, abbreviation) stays unique
  const byName = new Map<string, Working[]>();
  for (const a of work.values()) {
    const key = `${a.province}/${a.abbreviation}`;
    byName.set(key, [...(byName.get(key) ?? []), a]);
  }
  for (const [key, list] of byName) {
    if (list.length > 1) {
      conflicts.push({
        kind: 'abbreviation_taken',
        ref: key,
        message: {
          vi: `Tên viết tắt ${key} trùng giữa ${list.map((a) => a.name).join(', ')}: sáp nhập hoặc đổi tên (rename_unit)`,
          en: `The abbreviation ${key} is used by ${list.map((a) => a.name).join(', ')}: merge or rename one (rename_unit)`,
        },
      });
    }
  }

  const primaryOf = (province: string): string =>
    snapshot.domains.get(province)?.[0] ?? snapshot.policy(province)?.domain ?? '';
  const lineage = (id: string, map: ReadonlyMap<string, { parentId: string | null }>): string[] => {
    const out: string[] = [];
    let at: string | null = id;
    for (let i = 0; at !== null && i < 20; i++) {
      out.push(at);
      at = map.get(at)?.parentId ?? null;
    }
    return out;
  };
  const describe = (a: Pick<SnapshotAgency, 'name' | 'abbreviation' | 'unitType' | 'province'>) =>
    `${a.province}|${a.name}|${a.abbreviation}|${a.unitType}`;
  const placeBefore = (id: string) =>
    lineage(id, before)
      .map((x) => describe(before.get(x) as SnapshotAgency))
      .join('>');
  const placeAfter = (id: string) =>
    lineage(id, work)
      .map((x) => describe(work.get(x) as Working))
      .join('>');

  // agencies whose row changes
  const agencies: AgencyAfter[] = [];
  for (const a of work.values()) {
    const b = before.get(a.id) as SnapshotAgency;
    const changed: string[] = [];
    if (a.province !== b.province) changed.push('province');
    if (a.parentId !== b.parentId) changed.push('parent');
    if (a.name !== b.name) changed.push('name');
    if (a.abbreviation !== b.abbreviation) changed.push('abbreviation');
    if (a.unitCode !== b.unitCode) changed.push('unitCode');
    if (a.dissolved !== b.dissolved) changed.push('dissolved');
    if (changed.length === 0) continue;
    agencies.push({
      agencyId: a.id,
      province: a.province,
      domain: a.dissolved ? '' : primaryOf(a.province),
      name: a.name,
      abbreviation: a.abbreviation,
      parentId: a.parentId,
      unitCode: a.unitCode,
      formerProvince: a.formerProvince,
      dissolved: a.dissolved,
      dissolvedInto: a.dissolvedInto,
      changed,
    });
  }
  const depth = (id: string) => lineage(id, work).length;
  agencies.sort((x, y) => depth(x.agencyId) - depth(y.agencyId) || x.agencyId.localeCompare(y.agencyId));

  // taken local parts per final province, as counts; agencies' own names held for them
  const taken = new Map<string, Map<string, number>>();
  const takenIn = (province: string) => {
    let t = taken.get(province);
    if (!t) {
      t = new Map(snapshot.taken.get(province) ?? []);
      taken.set(province, t);
    }
    return t;
  };
  const namesHeld = new Map<string, Map<string, Set<string>>>(); // province → abbreviation → agency ids
  for (const a of work.values()) {
    const p = finalProvince(a.province);
    const m = namesHeld.get(p) ?? new Map<string, Set<string>>();
    namesHeld.set(p, m);
    m.set(a.abbreviation, (m.get(a.abbreviation) ?? new Set()).add(a.id));
  }
  const isTakenFor = (province: string, self: SnapshotMailbox, ownAgency: string | null) => {
    const t = takenIn(province);
    const names = namesHeld.get(province);
    const selfHere =
      (snapshot.domains.get(province) ?? []).includes(self.domain) ||
      domainMoves.some((m) => m.domain === self.domain && m.intoProvince === province);
    return (local: string): boolean => {
      const count = (t.get(local) ?? 0) - (selfHere && local === self.localPart ? 1 : 0);
      if (count > 0) return true;
      const holders = names?.get(local);
      if (!holders) return false;
      for (const id of holders) if (id !== ownAgency) return true;
      return false;
    };
  };
  const claim = (province: string, local: string) => {
    const t = takenIn(province);
    t.set(local, (t.get(local) ?? 0) + 1);
  };

  const changes: ComputedChange[] = [];
  const mailboxesById = new Map(snapshot.mailboxes.map((m) => [m.id, m]));
  const officialLocalAfter = new Map<string, string>(); // agency → its mailbox's local part after
  const choices = plan.addressChoices ?? {};

  const pick = (
    policy: ProvincePolicy,
    province: string,
    mailbox: SnapshotMailbox,
    input: NamingInput,
    ownAgency: string | null,
  ): string | null => {
    const from = `${mailbox.localPart}@${mailbox.domain}`;
    const isTaken = isTakenFor(province, mailbox, ownAgency);
    const chosen = choices[from];
    if (chosen !== undefined) {
      if (!isTaken(chosen)) return chosen;
      conflicts.push({
        kind: 'no_address',
        address: from,
        message: {
          vi: `${from}: địa chỉ đã chọn ${chosen} đã có người dùng`,
          en: `${from}: the chosen ${chosen} is taken`,
        },
      });
      return null;
    }
    try {
      let scanned = 0;
      // only a local part shaped like the rule's (name part … tail) can be one of its candidates:
      // checking that first spares scanning 200 candidates for every mailbox of another rule
      if (!shapedLikeRule(policy, input, mailbox.localPart)) throw new SkipScan();
      for (const candidate of generateCandidates(policy, input)) {
        if (candidate === mailbox.localPart) {
          if (!isTaken(candidate)) return candidate;
          break;
        }
        if (++scanned >= CANDIDATES_SCANNED) break;
      }
    } catch (error) {
      if (!isNamingError(error) && !(error instanceof SkipScan)) throw error;
    }
    const choice = chooseAddress(policy, input, isTaken);
    if (choice.outcome === 'assigned') return choice.local;
    if (choice.outcome === 'operator') {
      conflicts.push({
        kind: 'operator_choice',
        address: from,
        candidates: choice.candidates.map((c) => `${c}@${primaryOf(province)}`),
        message: {
          vi: `${from}: quy định của tỉnh để cán bộ vận hành chọn địa chỉ (addressChoices)`,
          en: `${from}: the province's rule leaves the address to an operator (addressChoices)`,
        },
      });
      return null;
    }
    conflicts.push({
      kind: 'no_address',
      address: from,
      message: { vi: `${from}: ${choice.error.message.vi}`, en: `${from}: ${choice.error.message.en}` },
    });
    return null;
  };

  const record = (
    m: SnapshotMailbox,
    change: Omit<ComputedChange, 'mailboxId' | 'from' | 'displayName' | 'fromAgencyId'>,
  ) => {
    changes.push({
      mailboxId: m.id,
      from: `${m.localPart}@${m.domain}`,
      fromAgencyId: m.agencyId,
      displayName: m.displayName,
      ...change,
    });
  };

  // agency mailboxes, parents first (a unit's address contains its parent's)
  const ordered = [...work.values()].sort((x, y) => depth(x.id) - depth(y.id) || x.id.localeCompare(y.id));
  for (const a of ordered) {
    const official = a.officialMailboxId ? mailboxesById.get(a.officialMailboxId) : undefined;
    const fate = mailboxFate.get(a.id);
    if (fate) {
      if (official) {
        record(official, {
          kind: fate.action,
          agencyId: a.id,
          to: `${official.localPart}@${official.domain}`,
          aliasTargetAgencyId: fate.action === 'alias' ? fate.into : null,
          province: a.province,
        });
      }
      continue;
    }
    if (a.dissolved || !official) {
      if (official) officialLocalAfter.set(a.id, official.localPart);
      continue;
    }
    const province = a.province;
    const primary = primaryOf(province);
    if (placeBefore(a.id) === placeAfter(a.id) && official.domain === primary) {
      officialLocalAfter.set(a.id, official.localPart);
      continue;
    }
    const policy = snapshot.policy(province);
    if (!policy) continue;
    const input = unitInput(work, a.id);
    const local = pick(policy, province, official, input, a.id);
    if (local === null) continue;
    officialLocalAfter.set(a.id, local);
    if (local !== official.localPart || official.domain !== primary) {
      if (local !== official.localPart) claim(province, local);
      record(official, {
        kind: 'readdress',
        agencyId: a.id,
        to: `${local}@${primary}`,
        aliasTargetAgencyId: null,
        province,
      });
    }
  }

  // personal mailboxes: where their agency went, by its rule
  const survivor = (agencyId: string): Working | null => {
    let at = work.get(agencyId) ?? null;
    for (let i = 0; at?.dissolved && i < 20; i++)
      at = at.dissolvedInto ? (work.get(at.dissolvedInto) ?? null) : null;
    return at && !at.dissolved ? at : null;
  };
  const personal = snapshot.mailboxes
    .filter((m) => m.type === 'personal')
    .sort((x, y) => x.agencyId.localeCompare(y.agencyId) || x.id.localeCompare(y.id));
  for (const m of personal) {
    const own = work.get(m.agencyId);
    if (!own) continue;
    const target = survivor(m.agencyId);
    if (!target) {
      conflicts.push({
        kind: 'people_in_dissolved_unit',
        address: `${m.localPart}@${m.domain}`,
        message: {
          vi: `${m.localPart}@${m.domain}: đơn vị ${own.name} bị giải thể mà người dùng chưa được chuyển (dùng merge)`,
          en: `${m.localPart}@${m.domain}: ${own.name} is dissolved with people still in it (merge it instead)`,
        },
      });
      continue;
    }
    const province = target.province;
    const primary = primaryOf(province);
    const officialBefore = own.officialMailboxId
      ? mailboxesById.get(own.officialMailboxId)?.localPart
      : undefined;
    const agencyPartBefore = officialBefore ?? (before.get(own.id) as SnapshotAgency).abbreviation;
    const agencyPartAfter = officialLocalAfter.get(target.id) ?? target.abbreviation;
    const moved = target.id !== m.agencyId;
    if (
      !moved &&
      agencyPartBefore === agencyPartAfter &&
      m.domain === primary &&
      placeBefore(own.id) === placeAfter(own.id)
    ) {
      continue;
    }
    const policy = snapshot.policy(province);
    const person = m.personId ? snapshot.people.get(m.personId) : undefined;
    if (!policy || !person) continue;
    const input: NamingInput = {
      kind: 'personal',
      person: { familyName: person.familyName, middleName: person.middleName, givenName: person.givenName },
      agency: agencyPartAfter,
    };
    const local = pick(policy, province, m, input, null);
    if (local === null) continue;
    if (local === m.localPart && m.domain === primary) {
      if (moved)
        record(m, {
          kind: 'move',
          agencyId: target.id,
          to: `${local}@${primary}`,
          aliasTargetAgencyId: null,
          province,
        });
      continue;
    }
    if (local !== m.localPart) claim(province, local);
    record(m, {
      kind: 'readdress',
      agencyId: target.id,
      to: `${local}@${primary}`,
      aliasTargetAgencyId: null,
      province,
    });
  }

  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.agencyId, (counts.get(c.agencyId) ?? 0) + 1);
  const perAgency = [...counts.entries()]
    .map(([agencyId, changed]) => {
      const a = work.get(agencyId) as Working;
      return { agencyId, name: a.name, abbreviation: a.abbreviation, province: a.province, changed };
    })
    .sort((x, y) => x.province.localeCompare(y.province) || x.abbreviation.localeCompare(y.abbreviation));

  return {
    changes,
    conflicts,
    agencies,
    domainMoves,
    perAgency,
    mailboxesChanged: changes.filter((c) => c.kind === 'readdress').length,
    agenciesChanged: new Set([...agencies.map((a) => a.agencyId), ...changes.map((c) => c.agencyId)]).size,
  };
}

function unitInput(work: ReadonlyMap<string, Working>, id: string): NamingInput {
  const chain: Working[] = [];
  let at: string | null = id;
  for (let i = 0; at !== null && i < 20; i++) {
    const a = work.get(at);
    if (!a) break;
    chain.push(a);
    at = a.parentId;
  }
  let parent: UnitDescription | null = null;
  for (const a of [...chain].reverse()) {
    const unit: UnitDescription = {
      name: a.name,
      type: a.unitType as UnitType,
      abbreviation: a.abbreviation,
      parent,
    };
    if (a.underProvince || (parent === null && (a.unitType === 'commune' || a.unitType === 'ward')))
      unit.underProvince = true;
    parent = unit;
  }
  const unit = parent as UnitDescription;
  return { kind: 'unit', unit, parent: unit.parent ?? null };
}

class SkipScan extends Error {}

function shapedLikeRule(policy: ProvincePolicy, input: NamingInput, local: string): boolean {
  if (input.kind === 'personal') {
    const plan = planPersonalAddress(policy, input);
    return local.startsWith(plan.namePart) && local.endsWith(plan.tail);
  }
  const plan = planUnitAddress(policy, input);
  return local.endsWith(plan.tail) && plan.heads.some((head) => local.startsWith(head));
}
