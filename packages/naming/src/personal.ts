// Personal mailbox names: the name part (given name and initials, in the province's order), then
// `.agency` where the province uses it, then `.district` for Đắk Nông staff inside a district. A
// collision suffix always goes straight after the name part: tvanh1.stttt, tuannaa.stttt.
import { generateCollisionSuffixes } from './collision.ts';
import { NamingError } from './errors.ts';
import { MAX_LOCAL_PART_LENGTH } from './fold.ts';
import {
  foldAddressPart,
  foldFullName,
  foldPersonName,
  properNameWords,
  type PersonName,
} from './name-parts.ts';
import type { ProvincePolicy } from './policies/policy-types.ts';

export interface PersonalInput {
  person: PersonName;
  /** The abbreviation of the agency the person works at, as in its address: `stttt`. */
  agency?: string | null | undefined;
  /** Đắk Nông only: the district (huyện, thị) the person works in, by name or token: `Krông Nô`. */
  district?: string | null | undefined;
}

/** A personal address split where the collision suffix goes: `namePart + suffix + tail`. */
export interface PersonalPlan {
  namePart: string;
  tail: string;
}

export function planPersonalAddress(policy: ProvincePolicy, input: PersonalInput): PersonalPlan {
  const rule = policy.personal;
  const name = foldPersonName(input.person, 'person');
  const namePart =
    rule.pattern === 'given-initials' ? name.given + name.initials : name.initials + name.given;
  const parts: string[] = [];
  const hasDistrict = rule.districtPart && input.district != null && input.district.trim() !== '';
  if (rule.agencyPart) {
    if (input.agency != null && input.agency.trim() !== '') {
      parts.push(foldAddressPart(input.agency, 'agency'));
    } else if (!hasDistrict) {
      // Đắk Nông staff employed by the district's People's Committee itself have no agency below it.
      throw new NamingError('missing_field', 'agency', {
        vi: `Địa chỉ cá nhân ở ${policy.name} có phần tên cơ quan (${rule.article}); cần trường agency, ví dụ "stttt".`,
        en: `Personal addresses in ${policy.name} carry the agency (${rule.article}); give "agency", e.g. "stttt".`,
      });
    }
  }
  if (hasDistrict) parts.push(foldDistrictPart(policy, input.district as string));
  const tail = parts.map((part) => `.${part}`).join('');
  const length = namePart.length + tail.length;
  if (length > MAX_LOCAL_PART_LENGTH) {
    throw new NamingError('local_part_too_long', 'person', {
      vi: `Tên hộp thư "${namePart}${tail}" dài ${length} ký tự, vượt quá ${MAX_LOCAL_PART_LENGTH}.`,
      en: `The mailbox name "${namePart}${tail}" is ${length} characters long, over ${MAX_LOCAL_PART_LENGTH}.`,
    });
  }
  return { namePart, tail };
}

// The district part matches the district's own box: "Thành phố Gia Nghĩa" → tpgianghia,
// "huyện Krông Nô" → krongno; a token (krongno) folds to itself.
function foldDistrictPart(policy: ProvincePolicy, district: string): string {
  const words = district.normalize('NFC').toLowerCase().trim().split(/\s+/);
  const isCity = (words[0] === 'thành' && words[1] === 'phố') || words[0] === 'tp' || words[0] === 'tp.';
  if (isCity && properNameWords(district, 'city').length > 0) {
    return policy.units.cityPrefix + foldFullName(district, 'city', 'district');
  }
  return foldFullName(district, 'district', 'district');
}

/**
 * Every candidate local part for a person, best first: the plain form, then the province's
 * collision suffixes. Lazy and ends when the next candidate would pass 64 characters.
 */
export function* generatePersonalCandidates(policy: ProvincePolicy, input: PersonalInput): Generator<string> {
  const { namePart, tail } = planPersonalAddress(policy, input);
  for (const suffix of generateCollisionSuffixes(policy.collision)) {
    const local = namePart + suffix + tail;
    if (local.length > MAX_LOCAL_PART_LENGTH) return;
    yield local;
  }
}

/** The first `count` candidate local parts for a person (10 by default). */
export function personalCandidates(policy: ProvincePolicy, input: PersonalInput, count = 10): string[] {
  return takeFirst(generatePersonalCandidates(policy, input), count);
}

export function takeFirst(candidates: Iterable<string>, count: number): string[] {
  const taken: string[] = [];
  if (count <= 0) return taken;
  for (const candidate of candidates) {
    taken.push(candidate);
    if (taken.length >= count) break;
  }
  return taken;
}
