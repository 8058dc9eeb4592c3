// Reserved addresses (admin): role addresses and names that must never be issued, per domain. The
// seeded list (RFC 2142 roles, the policies' lists, group addresses) can be extended here.
import { isValidLocalPart, listPolicies } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';
import { findTakenLocalParts, insertReservedAddresses } from '../../db/address-repository.ts';
import type { DirectoryDeps } from '../deps.ts';
import { splitAddress } from '../mailboxes/naming-input.ts';

export async function reserveAddress(deps: DirectoryDeps, input: { address: string; reason: string }) {
  const parts = splitAddress(input.address);
  const domains = listPolicies().map((p) => p.domain);
  if (!parts || !isValidLocalPart(parts.localPart) || !domains.includes(parts.domain)) {
    const message = {
      vi: `Địa chỉ phải là tên hộp thư hợp lệ thuộc một trong: ${domains.join(', ')}`,
      en: `The address must be a valid mailbox name in one of: ${domains.join(', ')}`,
    };
    throw new AppError('validation_failed', message, { errors: [{ field: '/address', message }] });
  }
  const at = deps.clock.now();
  // Already in use (by a mailbox or alias) is reported; it still cannot be issued again later.
  const inUse = (await findTakenLocalParts(deps.db, parts.domain, [parts.localPart], at)).has(
    parts.localPart,
  );
  await insertReservedAddresses(deps.db, parts.domain, [
    { localPart: parts.localPart, reason: input.reason },
  ]);
  return { address: `${parts.localPart}@${parts.domain}`, reason: input.reason, inUseOrHeld: inUse };
}
