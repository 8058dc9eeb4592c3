// Bắc Ninh Điều 8 khoản 5: no automatic forwarding from an official mailbox to a mailbox not issued
// by a state body, nor into it from one. Mail may flow between an official mailbox and another
// address only when that address is in the province's own domains (primary and alias domains) or
// under gov.vn, the domain only state bodies are given (Thông tư 21/2021/TT-BTTTT). Pure: the
// requests service asks it for every address an item would link to a mailbox (an alias, a
// forward target) before anything is stored.
import type { LocalizedMessage } from './errors.ts';
import type { ProvincePolicy } from './policies/policy-types.ts';

/** The second-level domain of Vietnam's state bodies: x.gov.vn is issued by a state body. */
export const STATE_BODY_DOMAIN = 'gov.vn';

export type ForwardingVerdict =
  | { allowed: true }
  | { allowed: false; article: string; message: LocalizedMessage };

const domainOf = (address: string): string | null => {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  return address
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
};

/** Whether a domain belongs to a state body: gov.vn itself or any name under it. */
export function isStateBodyDomain(domain: string): boolean {
  const d = domain.trim().toLowerCase().replace(/\.$/, '');
  return d === STATE_BODY_DOMAIN || d.endsWith(`.${STATE_BODY_DOMAIN}`);
}

/**
 * May mail flow between a mailbox of this province and `address` (a forward target, or an alias
 * that would reach the mailbox)? Always, where the province has no forwarding rule. Under the rule
 * (Bắc Ninh), only when the address is in one of `provinceDomains` (the primary domain and the
 * alias domains; the policy's own are always included) or in a state body's domain. A malformed
 * address is refused too: nobody can tell who issued it.
 */
export function judgeForwardingTarget(
  policy: Pick<ProvincePolicy, 'name' | 'domain' | 'aliasDomains' | 'forwarding'>,
  address: string,
  provinceDomains: readonly string[] = [],
): ForwardingVerdict {
  const rule = policy.forwarding;
  if (!rule) return { allowed: true };
  const domain = domainOf(address);
  const own = new Set(
    [policy.domain, ...policy.aliasDomains, ...provinceDomains].map((d) => d.toLowerCase()),
  );
  if (domain && (own.has(domain) || isStateBodyDomain(domain))) return { allowed: true };
  return {
    allowed: false,
    article: rule.article,
    message: {
      vi: `Quy chế của ${policy.name} (${rule.article}) không cho chuyển thư tự động giữa hộp thư công vụ và hộp thư không do cơ quan nhà nước cấp: ${address} không thuộc tên miền của tỉnh (${[...own].join(', ')}) hay tên miền ${STATE_BODY_DOMAIN}`,
      en: `${policy.name}'s regulation (${rule.article}) forbids automatic forwarding between an official mailbox and a mailbox not issued by a state body: ${address} is neither in the province's domains (${[...own].join(', ')}) nor under ${STATE_BODY_DOMAIN}`,
    },
  };
}
