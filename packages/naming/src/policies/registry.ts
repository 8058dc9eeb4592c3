// The provinces this system knows: the five seed files (packages/naming/provinces/*.json), read on
// first use, or the set a service installs at start (installProvincePolicies, with an
// installation's own files from PROVINCE_POLICY_DIR). To add a province, write its file
// (docs/provinces.md); no code changes.
import { NamingError } from '../errors.ts';
import { isValidLocalPart } from '../fold.ts';
import type { ProvincePolicy } from './policy-types.ts';
import { loadSeedPolicies } from './province-policy-files.ts';

interface Registry {
  policies: readonly ProvincePolicy[];
  byId: ReadonlyMap<string, ProvincePolicy>;
  byDomain: ReadonlyMap<string, ProvincePolicy>;
}

let registry: Registry | null = null;

function current(): Registry {
  registry ??= buildRegistry(loadSeedPolicies());
  return registry;
}

function buildRegistry(policies: readonly ProvincePolicy[]): Registry {
  const frozen = policies.map((policy) => deepFreeze(structuredClone(policy)));
  const byId = new Map<string, ProvincePolicy>();
  const byDomain = new Map<string, ProvincePolicy>();
  for (const policy of frozen) {
    if (byId.has(policy.id)) throw new Error(`province policy "${policy.id}" is given twice`);
    byId.set(policy.id, policy);
    for (const domain of [policy.domain, ...policy.aliasDomains]) {
      const holder = byDomain.get(domain);
      if (holder) {
        throw new Error(
          `domain ${domain} belongs to two provinces, ${holder.id} and ${policy.id} (tên miền thuộc hai tỉnh)`,
        );
      }
      byDomain.set(domain, policy);
    }
  }
  return { policies: frozen, byId, byDomain };
}

/**
 * The provinces in force from now on (a service calls it once at start with loadProvincePolicies'
 * result). Throws when two policies share an id or a domain; the set in force is then unchanged.
 */
export function installProvincePolicies(policies: readonly ProvincePolicy[]): void {
  registry = buildRegistry(policies);
}

/** The policy of a province by id, or undefined (getPolicy throws instead). */
export function findPolicy(provinceId: string): ProvincePolicy | undefined {
  return current().byId.get(provinceId);
}

/** The policy whose primary or alias domain this is (`bacninh.gov.vn`), or undefined. */
export function findPolicyByDomain(domain: string): ProvincePolicy | undefined {
  return current().byDomain.get(domain.toLowerCase());
}

/** Every province policy: the seeds in the order of the seed texts (000 Thanh Hóa … 004 Kiên Giang), then an installation's own. */
export function listPolicies(): readonly ProvincePolicy[] {
  return current().policies;
}

/** The policy of a province by id (`bac-ninh`); throws NamingError `unknown_province` otherwise. */
export function getPolicy(provinceId: string): ProvincePolicy {
  const policy = current().byId.get(provinceId);
  if (policy === undefined) {
    const known = current()
      .policies.map((p) => p.id)
      .join(', ');
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
