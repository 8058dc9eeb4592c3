// What each operator role may do (design §6), pure. Every console page declares the permission it
// needs; the pages refuse a route that declares none.
//   operator: read the queues, the SLA board, dead letters and the directory; replay dead letters;
//             act on a mailbox (lock, restore, reset its password, its aliases) with a reason, and
//             enter an agency's paper request with its scan, each filed as a request
//   approver: operator + approve and reject request items, approve and dismiss the directory's
//             proposals to reclaim unused mailboxes; manage the agency tree (create, rename, move,
//             re-code, and file a unit's dissolution, which two operators then approve)
//   auditor:  read-only everything, the audit log (and its chain check) and the accounts included;
//             no action
//   admin:    everything, accounts included
// Everyone may change their own password and log out.
import type { Role } from '../../db/schema.ts';

export const ROLES = ['operator', 'approver', 'auditor', 'admin'] as const satisfies readonly Role[];

export const PERMISSIONS = [
  'queues.view',
  'approvals.decide',
  'reclaims.decide',
  'dead_letters.replay',
  'mailboxes.act',
  'requests.file',
  'agencies.manage',
  'audit.view',
  'operators.view',
  'operators.manage',
  'account.self',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const OPERATOR: readonly Permission[] = [
  'queues.view',
  'dead_letters.replay',
  'mailboxes.act',
  'requests.file',
  'account.self',
];

const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  operator: new Set(OPERATOR),
  approver: new Set([...OPERATOR, 'approvals.decide', 'reclaims.decide', 'agencies.manage']),
  auditor: new Set(['queues.view', 'audit.view', 'operators.view', 'account.self']),
  admin: new Set(PERMISSIONS),
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.has(permission) ?? false;
}

export const ROLE_LABEL: Record<Role, string> = {
  operator: 'Cán bộ vận hành',
  approver: 'Cán bộ phê duyệt',
  auditor: 'Kiểm tra, giám sát',
  admin: 'Quản trị',
};

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
