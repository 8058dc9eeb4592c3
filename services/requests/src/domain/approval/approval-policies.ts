// The approval policy of each province, as data: the built-in ones here, which an installation
// may override without a code change (APPROVAL_POLICY_FILE, approval-policy-file.ts).
// validateApprovalPolicy guards the rules no province may relax, here and in the file.
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

/** The policies this code ships with; an installation may override them (approval-policy-file.ts). */
export const BUILT_IN_POLICIES: readonly ApprovalPolicy[] = [
  bacNinh,
  standard('thanh-hoa'),
  standard('dak-nong'),
  standard('khanh-hoa'),
  standard('kien-giang'),
];

/** A province without a policy gets the strictest: every item waits for an operator. */
export function strictestPolicy(province: string): ApprovalPolicy {
  return {
    province,
    rules: [{ operation: 'delete', mailboxType: 'agency', approval: 'two_operators' }],
    fallback: 'operator',
    bulkDeleteThreshold: 10,
  };
}

/** The policies in force: the submit use case asks for a province's. */
export interface ApprovalPolicies {
  policyFor(province: string): ApprovalPolicy;
  list(): readonly ApprovalPolicy[];
}

export function createApprovalPolicies(
  policies: readonly ApprovalPolicy[] = BUILT_IN_POLICIES,
): ApprovalPolicies {
  const byProvince = new Map(policies.map((p) => [p.province, p]));
  return {
    policyFor: (province) => byProvince.get(province) ?? strictestPolicy(province),
    list: () => policies,
  };
}
