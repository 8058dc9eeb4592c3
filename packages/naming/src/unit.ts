// Unit (agency) mailbox names: an agency by its abbreviation (stttt), a district or city by its
// folded full name (yendinh, tpbacninh) or abbreviation (cl), a sub-unit or commune before its
// parent joined by the province's separator (pvhtt.yendinh, pvhtt_cl, tamgiang.yenphong). A name
// chosen by the agency wins over anything derived here.
import { NamingError } from './errors.ts';
import { MAX_LOCAL_PART_LENGTH, foldToAscii, isValidLocalPart } from './fold.ts';
import {
  deriveAbbreviation,
  deriveAbbreviationVariants,
  foldAbbreviation,
  foldFullName,
  withoutProvinceName,
} from './name-parts.ts';
import { UNIT_TYPES, type ProvincePolicy, type UnitType } from './policies/policy-types.ts';

export interface UnitDescription {
  /** Official name: "Phòng Văn hóa và Thông tin", "UBND huyện Yên Phong", "Phường Kinh Bắc". */
  name: string;
  type: UnitType;
  /** The abbreviation the agency chose (tên viết tắt): `pvhtt`. Wins over a derived one. */
  abbreviation?: string | null | undefined;
  /** A complete local part chosen for this unit's own box (`tpbacninh`); wins over every rule. */
  mailboxName?: string | null | undefined;
  /** The unit this one belongs to, when not given beside it. */
  parent?: UnitDescription | null | undefined;
  /**
   * A commune or ward directly under the province, with no district above it (the two-level
   * administration since 1 July 2025, Resolution 202/2025/QH15): its own name part alone
   * (`tamgiang`), the district part dropped. Without it a commune must have its district.
   */
  underProvince?: boolean | undefined;
}

export interface UnitInput {
  unit: UnitDescription;
  /** The unit's parent (a Sở for its phòng, a district for its phòng, xã or phường). */
  parent?: UnitDescription | null | undefined;
}

/** A unit address split where alternatives vary: `head + tail`; numbers go after the head. */
export interface UnitPlan {
  /** The head of the best candidate, then alternative heads derived from the name. */
  heads: string[];
  tail: string;
}

const MAX_DEPTH = 6;

/**
 * A department's name as its abbreviation sees it: without the province's own name ("Sở Thông tin
 * và Truyền thông Kiên Giang" → "Sở Thông tin và Truyền thông"), and with the abbreviation the
 * regulation itself gives for that name (Kiên Giang's `sttt`, Điều 4 khoản 1) unless one is chosen.
 */
function withProvinceRules(policy: ProvincePolicy, unit: UnitDescription): UnitDescription {
  if (typeof unit.name !== 'string' || !TOP_LEVEL_TYPES.includes(unit.type)) return unit;
  const name = withoutProvinceName(unit.name, policy.name);
  const chosen = unit.abbreviation != null && unit.abbreviation.trim() !== '';
  const known = chosen ? undefined : knownAbbreviation(policy, name);
  return { ...unit, name, ...(known ? { abbreviation: known } : {}) };
}

function knownAbbreviation(policy: ProvincePolicy, name: string): string | undefined {
  const key = foldToAscii(name.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  for (const [unitName, abbreviation] of Object.entries(policy.units.abbreviations ?? {})) {
    if (
      foldToAscii(unitName.normalize('NFC'))
        .replace(/[^a-z0-9]+/g, ' ')
        .trim() === key
    )
      return abbreviation;
  }
  return undefined;
}
const TOP_LEVEL_TYPES: readonly UnitType[] = ['agency', 'department', 'subunit'];

export function planUnitAddress(policy: ProvincePolicy, input: UnitInput): UnitPlan {
  const parent = input.parent ?? input.unit.parent ?? null;
  return planUnit(policy, input.unit, parent, 'unit', input.parent != null ? 'parent' : 'unit.parent', 0);
}

function planUnit(
  policy: ProvincePolicy,
  given: UnitDescription,
  parent: UnitDescription | null,
  field: string,
  parentField: string,
  depth: number,
): UnitPlan {
  const unit = withProvinceRules(policy, given);
  if (depth > MAX_DEPTH) {
    throw new NamingError('invalid_request', field, {
      vi: `Cây đơn vị sâu quá ${MAX_DEPTH} cấp.`,
      en: `The unit tree is deeper than ${MAX_DEPTH} levels.`,
    });
  }
  checkUnitType(unit.type, `${field}.type`);
  if (unit.mailboxName != null && unit.mailboxName.trim() !== '') {
    const local = foldChosenLocal(unit.mailboxName, `${field}.mailboxName`);
    // A number for a taken chosen name goes after its first level: kinhbac1.tpbacninh.
    const cut = firstSeparatorIndex(local);
    return { heads: [local.slice(0, cut)], tail: local.slice(cut) };
  }
  const rule = policy.units;
  const type = unit.type;
  const isTopLevel = TOP_LEVEL_TYPES.includes(type);

  if (rule.hierarchy === 'flat') {
    const heads = abbreviationHeads(unit, field);
    if (parent != null) {
      // Kiên Giang names every unit flat, so fifteen districts' Phòng Nội vụ would all be `pnv`;
      // offer the parent's abbreviation glued on as the first proposal for the operator.
      const parentHead = planUnit(
        policy,
        parent,
        parent.parent ?? null,
        parentField,
        `${parentField}.parent`,
        depth + 1,
      ).heads[0] as string;
      heads.splice(1, 0, heads[0] + parentHead.replace(/[._]/g, ''));
    }
    return { heads, tail: '' };
  }

  if (type === 'district' || type === 'city') {
    if (rule.districtName === 'full-name') {
      const full = foldFullName(unit.name, type, `${field}.name`);
      return { heads: [type === 'city' ? rule.cityPrefix + full : full], tail: '' };
    }
    const heads = abbreviationHeads(unit, field);
    return {
      heads: type === 'city' && unit.abbreviation == null ? heads.map((h) => rule.cityPrefix + h) : heads,
      tail: '',
    };
  }

  if (isTopLevel && parent == null) return { heads: agencyHeads(rule.agencyPrefix, unit, field), tail: '' };

  if (parent == null && unit.underProvince === true && (type === 'commune' || type === 'ward')) {
    const heads =
      rule.communeName === 'full-name'
        ? [foldFullName(unit.name, type, `${field}.name`)]
        : abbreviationHeads(unit, field);
    return { heads, tail: '' };
  }

  if (parent == null) {
    throw new NamingError('missing_field', parentField, {
      vi: `Hộp thư của ${type === 'ward' ? 'phường' : 'xã'} ở ${policy.name} có tên huyện phía sau (${rule.article}); cần trường parent.`,
      en: `A ${type} mailbox in ${policy.name} includes its district (${rule.article}); give "parent".`,
    });
  }
  const parentPlan = planUnit(
    policy,
    parent,
    parent.parent ?? null,
    parentField,
    `${parentField}.parent`,
    depth + 1,
  );
  const parentLocal = (parentPlan.heads[0] as string) + parentPlan.tail;
  let heads: string[];
  let parentPart: string;
  if (type === 'commune' || type === 'ward') {
    heads =
      rule.communeName === 'full-name'
        ? [foldFullName(unit.name, type, `${field}.name`)]
        : abbreviationHeads(unit, field);
    // Bắc Ninh Điều 3 khoản 1 điểm c: a commune sits under the district's own box name (tpbacninh).
    parentPart = parentLocal;
  } else {
    heads = abbreviationHeads(unit, field);
    // Bắc Ninh Điều 3 khoản 1 điểm d: a sub-unit sits under the parent's abbreviation (pnv.bn).
    parentPart =
      parent.abbreviation != null && parent.abbreviation.trim() !== ''
        ? foldAbbreviation(parent.abbreviation, `${parentField}.abbreviation`)
        : parentLocal;
  }
  return { heads, tail: policy.separator + parentPart };
}

// A top-level agency: An Giang's `so<name>@` (units.agencyPrefix) puts the prefix in place of the
// initial of "Sở" when the abbreviation is derived (Sở Tài chính → sotc); a chosen one wins.
function agencyHeads(prefix: string | undefined, unit: UnitDescription, field: string): string[] {
  const heads = abbreviationHeads(unit, field);
  const chosen = unit.abbreviation != null && unit.abbreviation.trim() !== '';
  const isSo = /^so\s/i.test(foldToAscii(unit.name.trim()));
  if (!prefix || chosen || !isSo) return heads;
  return [...new Set(heads.map((head) => (head.startsWith('s') ? prefix + head.slice(1) : head)))];
}

// The unit's chosen abbreviation, or one derived from its name, then the derived alternatives
// (only when they are alternatives to what is used, i.e. the abbreviation was derived or matches).
function abbreviationHeads(unit: UnitDescription, field: string): string[] {
  const derive = (): string => deriveAbbreviation(unit.name, unit.type, `${field}.name`);
  if (unit.abbreviation != null && unit.abbreviation.trim() !== '') {
    const chosen = foldAbbreviation(unit.abbreviation, `${field}.abbreviation`);
    const derived = safely(derive);
    if (derived !== chosen) return [chosen];
    return [
      chosen,
      ...(safely(() => deriveAbbreviationVariants(unit.name, unit.type, `${field}.name`)) ?? []),
    ];
  }
  return [derive(), ...deriveAbbreviationVariants(unit.name, unit.type, `${field}.name`)];
}

function safely<T>(make: () => T): T | undefined {
  try {
    return make();
  } catch {
    return undefined;
  }
}

function checkUnitType(type: unknown, field: string): asserts type is UnitType {
  if (!UNIT_TYPES.includes(type as UnitType)) {
    throw new NamingError('invalid_unit_type', field, {
      vi: `Loại đơn vị "${String(type)}" không hợp lệ; dùng một trong: ${UNIT_TYPES.join(', ')}.`,
      en: `Unit type "${String(type)}" is not valid; use one of: ${UNIT_TYPES.join(', ')}.`,
    });
  }
}

function foldChosenLocal(text: string, field: string): string {
  const folded = typeof text === 'string' ? foldToAscii(text).trim() : '';
  if (!isValidLocalPart(folded)) {
    throw new NamingError('invalid_local_part', field, {
      vi: `${field} "${String(text)}" không phải tên hộp thư hợp lệ: tối đa ${MAX_LOCAL_PART_LENGTH} ký tự a-z, 0-9, ".", "_", "-".`,
      en: `${field} "${String(text)}" is not a valid mailbox name: up to ${MAX_LOCAL_PART_LENGTH} characters of a-z, 0-9, ".", "_", "-".`,
    });
  }
  return folded;
}

function firstSeparatorIndex(local: string): number {
  const index = local.search(/[._]/);
  return index === -1 ? local.length : index;
}

/**
 * Every candidate local part for a unit, best first: the unit's own name, alternatives derived from
 * its name (Sở Ngoại vụ: `sngv` after `snv`), then numbered forms (`pnv1.bn`). Lazy.
 */
export function* generateUnitCandidates(policy: ProvincePolicy, input: UnitInput): Generator<string> {
  const { heads, tail } = planUnitAddress(policy, input);
  const first = (heads[0] as string) + tail;
  if (first.length > MAX_LOCAL_PART_LENGTH) {
    throw new NamingError('local_part_too_long', 'unit', {
      vi: `Tên hộp thư "${first}" dài ${first.length} ký tự, vượt quá ${MAX_LOCAL_PART_LENGTH}; hãy chọn tên viết tắt ngắn hơn.`,
      en: `The mailbox name "${first}" is ${first.length} characters long, over ${MAX_LOCAL_PART_LENGTH}; choose a shorter abbreviation.`,
    });
  }
  const seen = new Set<string>();
  for (const head of heads) {
    const local = head + tail;
    if (local.length <= MAX_LOCAL_PART_LENGTH && !seen.has(local)) {
      seen.add(local);
      yield local;
    }
  }
  for (let n = 1; ; n++) {
    const local = `${heads[0]}${n}${tail}`;
    if (local.length > MAX_LOCAL_PART_LENGTH) return;
    if (!seen.has(local)) yield local;
  }
}

/** The first `count` candidate local parts for a unit (10 by default). */
export function unitCandidates(policy: ProvincePolicy, input: UnitInput, count = 10): string[] {
  const result: string[] = [];
  for (const candidate of generateUnitCandidates(policy, input)) {
    if (result.length >= count) break;
    result.push(candidate);
  }
  return result;
}
