// What the Dovecot adapter refuses before touching vmail: invalid addresses, a create outside its
// domain, an alias without targets; and the errors it raises for a missing mailbox or an alias on
// a mailbox. All permanent: a retry cannot fix them.
import { findPolicyByDomain, judgeForwardingTarget } from '@hopthu/naming';
import { PermanentError } from '@hopthu/shared/inbox';
import { parseMailAddress } from '../../domain/commands/mail-address.ts';

export function checkedAddress(address: string): { localPart: string; domain: string } {
  const parsed = parseMailAddress(address);
  if (!parsed) {
    throw new PermanentError(`Địa chỉ thư không hợp lệ: "${address}" / invalid mail address "${address}"`);
  }
  return parsed;
}

/** A create's address, checked to be valid and in the command's domain. */
export function checkedCreate(input: { address: string; domain: string }): {
  localPart: string;
  domain: string;
} {
  const parsed = checkedAddress(input.address);
  if (parsed.domain !== input.domain) {
    throw new PermanentError(
      `Địa chỉ "${input.address}" không thuộc tên miền "${input.domain}" / address "${input.address}" is not in domain "${input.domain}"`,
    );
  }
  return parsed;
}

/** An alias's targets, lower-cased and each once; at least one, each a valid address. */
export function checkedTargets(address: string, targets: readonly string[]): string[] {
  const unique = [...new Set(targets.map((t) => t.toLowerCase()))];
  for (const t of unique) checkedAddress(t);
  if (unique.length === 0) {
    throw new PermanentError(`Bí danh ${address} không có địa chỉ đích / alias ${address} has no target`);
  }
  return unique;
}

/**
 * An alias's targets under its province's forwarding rule (Bắc Ninh Điều 8 khoản 5): mail to an
 * address of the province may only be sent on to the province's domains or a state body's
 * (gov.vn). The directory and the requests service refuse such an alias first; this is the mail
 * server's own guard, whatever sent the command. A domain no policy owns has no rule here.
 */
export function checkedForwarding(address: string, targets: readonly string[]): void {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  const policy = findPolicyByDomain(domain);
  if (!policy) return;
  for (const target of targets) {
    const verdict = judgeForwardingTarget(policy, target);
    if (!verdict.allowed) throw new PermanentError(`${verdict.message.vi} / ${verdict.message.en}`);
  }
}

export const notFound = (address: string) =>
  new PermanentError(
    `Hộp thư ${address} không có trên máy chủ thư / mailbox ${address} does not exist on the mail server`,
  );

export const mailboxNotAlias = (address: string) =>
  new PermanentError(
    `${address} là một hộp thư, không thể làm bí danh / ${address} is a mailbox and cannot be an alias`,
  );
