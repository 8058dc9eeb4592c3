// The provinces this system knows. To add one: write `policies/<province>.ts` exporting a
// ProvincePolicy, add it to POLICIES below, and add its examples as tests (docs/naming.md).
import { NamingError } from '../errors.ts';
import { isValidLocalPart } from '../fold.ts';
import { bacNinh } from './bac-ninh.ts';
import { dakNong } from './dak-nong.ts';
import { khanhHoa } from './khanh-hoa.ts';
import { kienGiang } from './kien-giang.ts';
import type { ProvincePolicy } from './policy-types.ts';
import { thanhHoa } from './thanh-hoa.ts';

const POLICIES: readonly ProvincePolicy[] = [thanhHoa, dakNong, bacNinh, khanhHoa, kienGiang].map((policy) =>
  deepFreeze(policy),
);

const POLICIES_BY_ID: ReadonlyMap<string, ProvincePolicy> = new Map(POLICIES.map((p) => [p.id, p]));

/** Every province policy, in the order of the seed texts (000 Thanh Hóa … 004 Kiên Giang). */
export function listPolicies(): readonly ProvincePolicy[] {
  return POLICIES;
}

/** The policy of a province by id (`bac-ninh`); throws NamingError `unknown_province` otherwise. */
export function getPolicy(provinceId: string): ProvincePolicy {
  const policy = POLICIES_BY_ID.get(provinceId);
  if (policy === undefined) {
    const known = POLICIES.map((p) => p.id).join(', ');
    throw new NamingError('unknown_province', 'province', {
      vi: `Không có quy tắc đặt tên cho tỉnh "${provinceId}". Các tỉnh đã có: ${known}.`,
      en: `No naming policy for province "${provinceId}". Known provinces: ${known}.`,
    });
  }
  return policy;
}

/** Problems with a policy's data, empty when it is usable. Run by the tests on every policy. */
export function validatePolicy(policy: ProvincePolicy): string[] {
  const problems: string[] = [];
  if (!/^[a-z]+(?:-[a-z]+)*$/.test(policy.id)) problems.push(`id "${policy.id}" is not kebab-case ASCII`);
  if (policy.name.normalize('NFC') !== policy.name) problems.push('name is not NFC');
  if (!/^(?:[a-z0-9-]+\.)+[a-z]{2,}$/.test(policy.domain))
    problems.push(`domain "${policy.domain}" is invalid`);
  if (policy.separator !== '.' && policy.separator !== '_') problems.push('separator must be "." or "_"');
  for (const [key, value] of [
    ['agencyQuotaBytes', policy.agencyQuotaBytes],
    ['personalQuotaBytes', policy.personalQuotaBytes],
    ['attachmentLimitBytes', policy.attachmentLimitBytes],
  ] as const) {
    if (!Number.isSafeInteger(value) || value <= 0) problems.push(`${key} must be a positive integer`);
  }
  for (const reserved of policy.reserved) {
    if (!isValidLocalPart(reserved)) problems.push(`reserved "${reserved}" is not a valid local part`);
  }
  const collision = policy.collision;
  if (collision.kind !== 'letters' && (!Number.isSafeInteger(collision.start) || collision.start < 0)) {
    problems.push('collision.start must be a non-negative integer');
  }
  if (collision.kind === 'operator' && !(collision.proposalCount >= 1)) {
    problems.push('collision.proposalCount must be at least 1');
  }
  if (policy.units.cityPrefix !== '' && !/^[a-z0-9]+$/.test(policy.units.cityPrefix)) {
    problems.push('units.cityPrefix must be lowercase ASCII letters or digits');
  }
  const groups = policy.groupAddresses;
  if (groups !== null && (!isValidLocalPart(groups.province) || !isValidLocalPart(groups.agencyPrefix))) {
    problems.push('groupAddresses must be valid local parts');
  }
  const inactivity = policy.inactivity;
  if (inactivity !== undefined) {
    if (!Number.isSafeInteger(inactivity.months) || inactivity.months < 1)
      problems.push('inactivity.months must be a positive integer');
    if (inactivity.action !== 'lock' && inactivity.action !== 'reclaim')
      problems.push('inactivity.action must be "lock" or "reclaim"');
  }
  const password = policy.password;
  if (!Number.isSafeInteger(password.minLength) || password.minLength < 1)
    problems.push('password.minLength must be a positive integer');
  if (password.specialCharacters !== null && password.specialCharacters.length === 0)
    problems.push('password.specialCharacters must be null (any) or list at least one character');
  const lock = policy.defaultPasswordLock;
  if (lock !== undefined && (!Number.isSafeInteger(lock.workingDays) || lock.workingDays < 1))
    problems.push('defaultPasswordLock.workingDays must be a positive integer');
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
