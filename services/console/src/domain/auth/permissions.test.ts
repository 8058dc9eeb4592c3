import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, ROLES } from './permissions.ts';

describe('role permissions', () => {
  it.each([
    ['operator', ['queues.view', 'dead_letters.replay', 'mailboxes.act', 'requests.file', 'account.self']],
    [
      'approver',
      [
        'queues.view',
        'approvals.decide',
        'reclaims.decide',
        'dead_letters.replay',
        'mailboxes.act',
        'requests.file',
        'agencies.manage',
        'account.self',
      ],
    ],
    ['auditor', ['queues.view', 'audit.view', 'operators.view', 'account.self']],
    ['admin', [...PERMISSIONS]],
  ] as const)('when the role is %s, then exactly these are allowed: %j', (role, allowed) => {
    expect(PERMISSIONS.filter((p) => can(role, p))).toEqual(allowed);
  });

  it('when a role is unknown, then nothing is allowed', () => {
    expect(can('root' as never, 'queues.view')).toBe(false);
  });

  it('when approver or admin, then reclaim proposals can be decided; nobody else', () => {
    expect(ROLES.filter((r) => can(r, 'reclaims.decide'))).toEqual(['approver', 'admin']);
  });

  it('when approver or admin, then the agency tree can be changed; nobody else', () => {
    expect(ROLES.filter((r) => can(r, 'agencies.manage'))).toEqual(['approver', 'admin']);
  });

  it('when any role but admin, then accounts cannot be managed', () => {
    expect(ROLES.filter((r) => can(r, 'operators.manage'))).toEqual(['admin']);
  });
});
