// Role addresses (RFC 2142 and what mail software expects) are never issued to a person or unit:
// seeded for every province's domain at start, from the naming policies plus a few of our own.
import { groupAddress, listPolicies } from '@hopthu/naming';
import { insertReservedAddresses, ROLE_ADDRESS_REASON } from '../../db/address-repository.ts';
import type { Db } from '../deps.ts';

export const EXTRA_RESERVED = [
  'hostmaster',
  'webmaster',
  'root',
  'noreply',
  'no-reply',
  'support',
  'security',
  'internal',
  'mailer-daemon',
  'abuse',
  'postmaster',
  'admin',
  // RFC 2142 and common service names
  'noc',
  'info',
  'sales',
  'marketing',
  'ftp',
  'www',
  'uucp',
  'usenet',
  'news',
  'mail',
];

export function reservedEntriesFor(policy: ReturnType<typeof listPolicies>[number]) {
  const locals = new Set<string>([...policy.reserved, ...EXTRA_RESERVED]);
  const group = groupAddress(policy);
  if (group) locals.add(group.local);
  return [...locals].sort().map((localPart) => ({
    localPart,
    reason: group?.local === localPart ? 'group address' : ROLE_ADDRESS_REASON,
  }));
}

export async function seedReservedAddresses(db: Db): Promise<void> {
  for (const policy of listPolicies()) {
    await insertReservedAddresses(db, policy.domain, reservedEntriesFor(policy));
  }
}
