// The approval policy of each province, as data. To change what waits for an operator in a
// province, edit its entry here (and docs/approval.md); validateApprovalPolicy guards the rules
// no province may relax.
import type { ApprovalPolicy } from './approval-policy.ts';

/** Bắc Ninh, the demo province: requests come machine-to-machine from the document system. */
const bacNinh: ApprovalPolicy = {
  province: 'bac-ninh',
  rules: [
    // Deleting an agency mailbox (the agency's official address) needs two operators.
    { operation: 'delete', mailboxType: 'agency', approval: 'two_operators' },
    // Personal mailboxes: every operation completes without an operator (bulk deletes excepted).
    { operation: '*', mailboxType: 'personal', approval: 'auto' },
    // An agency's own mailbox is created on request (form 1, cấp mới).
    { operation: 'create', mailboxType: 'agency', approval: 'auto' },
  ],
  fallback: 'operator',
  bulkDeleteThreshold: 10,
};

/**
 * The other provinces: a password reset asked by the agency's own system goes through; the rest
 * waits for an operator of the Sở TTTT, as on the paper forms.
 */
const standard = (province: string): ApprovalPolicy => ({
  province,
  rules: [
    { operation: 'delete', mailboxType: 'agency', approval: 'two_operators' },
    { operation: 'reset_password', mailboxType: '*', approval: 'auto' },
  ],
  fallback: 'operator',
  bulkDeleteThreshold: 10,
});

const POLICIES: readonly ApprovalPolicy[] = [
  bacNinh,
  standard('thanh-hoa'),
  standard('dak-nong'),
  standard('khanh-hoa'),
  standard('kien-giang'),
];

const BY_PROVINCE = new Map(POLICIES.map((p) => [p.province, p]));

export function listApprovalPolicies(): readonly ApprovalPolicy[] {
  return POLICIES;
}

/** The province's policy; a province without one gets the strictest: every item waits for an operator. */
export function approvalPolicyFor(province: string): ApprovalPolicy {
  return (
    BY_PROVINCE.get(province) ?? {
      province,
      rules: [{ operation: 'delete', mailboxType: 'agency', approval: 'two_operators' }],
      fallback: 'operator',
      bulkDeleteThreshold: 10,
    }
  );
}
