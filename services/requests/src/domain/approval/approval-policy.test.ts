import { describe, expect, it } from 'vitest';
import { BUILT_IN_POLICIES, createApprovalPolicies } from './approval-policies.ts';
import {
  type ApprovalPolicy,
  approvalsNeeded,
  planApprovals,
  validateApprovalPolicy,
} from './approval-policy.ts';

const approvalPolicyFor = createApprovalPolicies().policyFor;

const OPERATIONS = ['create', 'update', 'suspend', 'restore', 'delete', 'reset_password'] as const;

describe('approval policies', () => {
  it('every province policy is valid', () => {
    for (const policy of BUILT_IN_POLICIES) expect(validateApprovalPolicy(policy)).toEqual([]);
  });

  it('bac-ninh (the demo) approves every operation on a personal mailbox on receipt', () => {
    const plan = planApprovals(
      approvalPolicyFor('bac-ninh'),
      OPERATIONS.map((operation) => ({ operation, mailboxType: 'personal' as const })),
    );
    expect(plan).toEqual(OPERATIONS.map(() => 'auto'));
  });

  it('bac-ninh approves an agency mailbox create, waits for one operator for other agency operations and two for its delete', () => {
    const plan = planApprovals(
      approvalPolicyFor('bac-ninh'),
      OPERATIONS.map((operation) => ({ operation, mailboxType: 'agency' as const })),
    );
    expect(Object.fromEntries(OPERATIONS.map((o, i) => [o, plan[i]]))).toEqual({
      create: 'auto',
      update: 'operator',
      suspend: 'operator',
      restore: 'operator',
      delete: 'two_operators',
      reset_password: 'operator',
    });
  });

  it('when a request deletes more mailboxes than the threshold, then every delete needs two operators and the other items keep their rule', () => {
    const policy = approvalPolicyFor('bac-ninh');
    const deletes = Array.from({ length: policy.bulkDeleteThreshold + 1 }, () => ({
      operation: 'delete' as const,
      mailboxType: 'personal' as const,
    }));
    const plan = planApprovals(policy, [...deletes, { operation: 'create', mailboxType: 'personal' }]);
    expect(plan.slice(0, -1).every((a) => a === 'two_operators')).toBe(true);
    expect(plan.at(-1)).toBe('auto');
    // At the threshold exactly, the rules apply.
    expect(planApprovals(policy, deletes.slice(1)).every((a) => a === 'auto')).toBe(true);
  });

  it('the other provinces approve password resets on receipt and wait for an operator otherwise', () => {
    const policy = approvalPolicyFor('kien-giang');
    expect(
      planApprovals(policy, [
        { operation: 'reset_password', mailboxType: 'personal' },
        { operation: 'create', mailboxType: 'personal' },
        { operation: 'delete', mailboxType: 'agency' },
      ]),
    ).toEqual(['auto', 'operator', 'two_operators']);
  });

  it('a province without a policy gets the strictest one', () => {
    const policy = approvalPolicyFor('ha-noi');
    expect(validateApprovalPolicy(policy)).toEqual([]);
    expect(planApprovals(policy, [{ operation: 'reset_password', mailboxType: 'personal' }])).toEqual([
      'operator',
    ]);
  });

  it('a policy that lets an agency mailbox delete through with fewer than two operators is refused', () => {
    const lax: ApprovalPolicy = {
      province: 'lax',
      rules: [{ operation: '*', mailboxType: '*', approval: 'auto' }],
      fallback: 'auto',
      bulkDeleteThreshold: -1,
    };
    expect(validateApprovalPolicy(lax)).toEqual([
      'bulkDeleteThreshold must be a non-negative integer',
      expect.stringContaining('deleting an agency mailbox must need two operators'),
    ]);
  });

  it('when a policy’s data would relax the safety rule, then planning still holds agency-mailbox deletes and bulk deletes for two operators', () => {
    const lax: ApprovalPolicy = {
      province: 'lax',
      rules: [{ operation: '*', mailboxType: '*', approval: 'auto' }],
      fallback: 'auto',
      bulkDeleteThreshold: 1000,
    };
    expect(
      planApprovals(lax, [
        { operation: 'delete', mailboxType: 'agency' },
        { operation: 'delete', mailboxType: 'personal' },
        { operation: 'suspend', mailboxType: 'agency' },
      ]),
    ).toEqual(['two_operators', 'auto', 'auto']);
    const eleven = Array.from({ length: 11 }, () => ({
      operation: 'delete' as const,
      mailboxType: 'personal' as const,
    }));
    expect(planApprovals(lax, eleven).every((a) => a === 'two_operators')).toBe(true);
    expect(validateApprovalPolicy(lax)).toEqual([
      'bulkDeleteThreshold may not exceed 10: more deletes than that in one request always need two operators',
      expect.stringContaining('deleting an agency mailbox must need two operators'),
    ]);
  });

  it('counts operators per approval kind', () => {
    expect([approvalsNeeded('auto'), approvalsNeeded('operator'), approvalsNeeded('two_operators')]).toEqual([
      0, 1, 2,
    ]);
  });
});

describe('items about the unit itself', () => {
  it('when an agency renames or dissolves itself, then a rename waits for one operator at least and a dissolution for two, whatever the policy', () => {
    const permissive: ApprovalPolicy = {
      province: 'bac-ninh',
      rules: [{ operation: '*', mailboxType: '*', approval: 'auto' }],
      fallback: 'auto',
      bulkDeleteThreshold: 10,
    };
    const strict: ApprovalPolicy = { ...permissive, rules: [], fallback: 'two_operators' };
    const items = [
      { operation: 'rename_unit' as const, mailboxType: 'agency' as const },
      { operation: 'dissolve_unit' as const, mailboxType: 'agency' as const },
    ];
    expect(planApprovals(permissive, items)).toEqual(['operator', 'two_operators']);
    expect(planApprovals(strict, items)).toEqual(['two_operators', 'two_operators']);
    for (const province of ['bac-ninh', 'kien-giang', 'dak-nong', 'khanh-hoa', 'thanh-hoa']) {
      const plan = planApprovals(approvalPolicyFor(province), items);
      expect(plan[0]).not.toBe('auto');
      expect(plan[1]).toBe('two_operators');
    }
  });
});
