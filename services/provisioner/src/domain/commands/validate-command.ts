// Checks a provisioning command before it reaches the mail server. What fails here can never
// succeed, so it becomes a dead letter with a readable reason (Vietnamese / English).
import type { ProvisioningCommand } from '@hopthu/shared/events';
import { isValidDomain, parseMailAddress } from './mail-address.ts';

export interface CommandProblem {
  vi: string;
  en: string;
}

const HASH_RE = /^\{[A-Z0-9-]+\}\S{8,}$/;

export function findCommandProblem(c: ProvisioningCommand): CommandProblem | null {
  if (!isValidDomain(c.domain)) {
    return { vi: `Tên miền không hợp lệ: "${c.domain}"`, en: `invalid domain "${c.domain}"` };
  }
  if (c.action === 'set_alias_domain' || c.action === 'remove_alias_domain') return aliasDomainProblem(c);
  const parsed = parseMailAddress(c.address);
  if (!parsed) {
    return { vi: `Địa chỉ thư không hợp lệ: "${c.address}"`, en: `invalid mail address "${c.address}"` };
  }
  if (parsed.domain !== c.domain) {
    return {
      vi: `Địa chỉ "${c.address}" không thuộc tên miền "${c.domain}"`,
      en: `address "${c.address}" is not in domain "${c.domain}"`,
    };
  }
  switch (c.action) {
    case 'create':
    case 'set_password':
    case 'restore_deleted':
      if (!c.passwordHash || !HASH_RE.test(c.passwordHash)) {
        return {
          vi: 'Thiếu hoặc sai định dạng mã băm mật khẩu ({SCHEME}…)',
          en: 'missing or malformed password hash ({SCHEME}…)',
        };
      }
      return null;
    case 'set_quota':
      if (c.quotaBytes === undefined)
        return { vi: 'Thiếu dung lượng (quotaBytes)', en: 'missing quotaBytes' };
      return null;
    case 'rename': {
      if (!c.newAddress) return { vi: 'Thiếu địa chỉ mới (newAddress)', en: 'missing newAddress' };
      const next = parseMailAddress(c.newAddress);
      if (!next) {
        return {
          vi: `Địa chỉ mới không hợp lệ: "${c.newAddress}"`,
          en: `invalid new address "${c.newAddress}"`,
        };
      }
      if (next.address === parsed.address) {
        return { vi: 'Địa chỉ mới trùng địa chỉ cũ', en: 'the new address equals the old one' };
      }
      return null;
    }
    case 'set_alias': {
      if (!c.aliasTargets || c.aliasTargets.length === 0) {
        return { vi: 'Thiếu địa chỉ đích của bí danh (aliasTargets)', en: 'missing aliasTargets' };
      }
      const bad = [...c.aliasTargets, ...(c.allowedSenders ?? [])].find(
        (a) => !parseMailAddress(a.toLowerCase()),
      );
      if (bad !== undefined) {
        return { vi: `Địa chỉ không hợp lệ: "${bad}"`, en: `invalid address "${bad}"` };
      }
      if (c.aliasExpiresAt !== undefined && Number.isNaN(Date.parse(c.aliasExpiresAt))) {
        return { vi: 'Thời hạn bí danh không hợp lệ', en: 'invalid aliasExpiresAt' };
      }
      return null;
    }
    default:
      return null;
  }
}

export const formatProblem = (p: CommandProblem) => `${p.vi} / ${p.en}`;

/** An alias-domain command names domains, not addresses: `address` = `domain` = the alias domain. */
function aliasDomainProblem(c: ProvisioningCommand): CommandProblem | null {
  if (c.address !== c.domain) {
    return {
      vi: `Tên miền bí danh phải ở cả address và domain: "${c.address}"`,
      en: `an alias domain command carries the alias domain as both address and domain: "${c.address}"`,
    };
  }
  if (c.action === 'remove_alias_domain') return null;
  if (!c.targetDomain || !isValidDomain(c.targetDomain)) {
    return { vi: 'Thiếu hoặc sai tên miền đích (targetDomain)', en: 'missing or invalid targetDomain' };
  }
  if (c.targetDomain === c.domain) {
    return { vi: 'Tên miền đích trùng tên miền bí danh', en: 'the target domain equals the alias domain' };
  }
  return null;
}
