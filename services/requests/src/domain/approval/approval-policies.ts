// The approval policy of each province, as data: from the province policy files (docs/provinces.md),
// which an installation may still override without a code change (APPROVAL_POLICY_FILE,
// approval-policy-file.ts).
// validateApprovalPolicy guards the rules no province may relax, here and in the file.
import { listPolicies } from '@hopthu/naming';
import type { ApprovalPolicy } from './approval-policy.ts';

/**
 * Each province's approval policy, from its policy file (`approval` in
 * packages/naming/provinces/<id>.json, or an installation's own in PROVINCE_POLICY_DIR): read
 * when called, so the policies a service installed at start are the ones used.
 */
export function builtInApprovalPolicies(): ApprovalPolicy[] {
  return listPolicies().map((policy) => ({
    province: policy.id,
    rules: policy.approval.rules,
    fallback: policy.approval.fallback,
    bulkDeleteThreshold: policy.approval.bulkDeleteThreshold,
  }));
}

/** The seed provinces' policies (Bắc Ninh, the demo: personal-mailbox work on receipt; the others
 * hold everything but password resets for an operator). An installation may override them. */
export const BUILT_IN_POLICIES: readonly ApprovalPolicy[] = builtInApprovalPolicies();

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
  policies: readonly ApprovalPolicy[] = builtInApprovalPolicies(),
): ApprovalPolicies {
  const byProvince = new Map(policies.map((p) => [p.province, p]));
  return {
    policyFor: (province) => byProvince.get(province) ?? strictestPolicy(province),
    list: () => policies,
  };
}
