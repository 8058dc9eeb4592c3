// Which items of a request an operator must approve, per province, as data (design §4 safety
// valve, §5 province policy as data). Pure: the submit use case asks it once per request.
//
// A policy is an ordered list of rules (first match wins) plus a bulk-delete threshold: when a
// request deletes more mailboxes than the threshold, every delete in it waits for two different
// operators, whatever the rules say.
import type { MailboxType, Operation } from '@hopthu/shared/events';

/** `auto`: approved on receipt; `operator`: one operator; `two_operators`: two different operators. */
export type Approval = 'auto' | 'operator' | 'two_operators';

export interface ApprovalRule {
  operation: Operation | '*';
  mailboxType: MailboxType | '*';
  approval: Approval;
}

export interface ApprovalPolicy {
  province: string;
  rules: readonly ApprovalRule[];
  /** What applies when no rule matches. */
  fallback: Approval;
  /** A request deleting more than this many mailboxes needs two operators for each delete. */
  bulkDeleteThreshold: number;
}

export interface ItemToApprove {
  operation: Operation;
  mailboxType: MailboxType;
}

/** How many distinct operators must approve the item; 0 when the policy approves it on receipt. */
export function approvalsNeeded(approval: Approval): 0 | 1 | 2 {
  return approval === 'auto' ? 0 : approval === 'operator' ? 1 : 2;
}

function ruleFor(policy: ApprovalPolicy, item: ItemToApprove): Approval {
  const rule = policy.rules.find(
    (r) =>
      (r.operation === '*' || r.operation === item.operation) &&
      (r.mailboxType === '*' || r.mailboxType === item.mailboxType),
  );
  return rule?.approval ?? policy.fallback;
}

/**
 * The highest bulk-delete threshold any policy may have (design §4 safety valve): a policy may
 * hold deletes back sooner, never later.
 */
export const MAX_BULK_DELETE_THRESHOLD = 10;

/**
 * The approval each item needs, in the order given. The safety rule holds whatever the policy's
 * data says: an agency-mailbox delete, and every delete of a request with more deletes than the
 * threshold (at most MAX_BULK_DELETE_THRESHOLD), need two operators.
 */
export function planApprovals(policy: ApprovalPolicy, items: readonly ItemToApprove[]): Approval[] {
  const deletes = items.filter((i) => i.operation === 'delete').length;
  const bulk = deletes > Math.min(policy.bulkDeleteThreshold, MAX_BULK_DELETE_THRESHOLD);
  return items.map((item) =>
    item.operation === 'delete' && (bulk || item.mailboxType === 'agency')
      ? 'two_operators'
      : atLeast(UNIT_MINIMUM[item.operation], ruleFor(policy, item)),
  );
}

/**
 * The approval an item about the unit itself needs whatever the policy says: a rename is never
 * approved on receipt (one operator at least), a dissolution deletes every mailbox of the unit and
 * so needs two different operators, like an agency-mailbox delete. A restore of a deleted mailbox
 * (its retained mail under a new password) is never approved on receipt either.
 */
const UNIT_MINIMUM: Partial<Record<Operation, Approval>> = {
  rename_unit: 'operator',
  dissolve_unit: 'two_operators',
  // a deleted mailbox's mail handed back under a new password: an operator looks at it first
  restore_deleted: 'operator',
};

function atLeast(minimum: Approval | undefined, approval: Approval): Approval {
  if (!minimum) return approval;
  return approvalsNeeded(approval) >= approvalsNeeded(minimum) ? approval : minimum;
}

/** Problems with a policy's data, empty when it is usable (the tests run it on every policy). */
export function validateApprovalPolicy(policy: ApprovalPolicy): string[] {
  const problems: string[] = [];
  if (!/^[a-z]+(?:-[a-z]+)*$/.test(policy.province))
    problems.push(`province "${policy.province}" is not kebab-case`);
  if (!Number.isSafeInteger(policy.bulkDeleteThreshold) || policy.bulkDeleteThreshold < 0)
    problems.push('bulkDeleteThreshold must be a non-negative integer');
  else if (policy.bulkDeleteThreshold > MAX_BULK_DELETE_THRESHOLD)
    problems.push(
      `bulkDeleteThreshold may not exceed ${MAX_BULK_DELETE_THRESHOLD}: more deletes than that in one request always need two operators`,
    );
  // The safety valve (design §4) is not a setting: an agency mailbox delete always needs two operators.
  const agencyDelete = ruleFor(policy, { operation: 'delete', mailboxType: 'agency' });
  if (agencyDelete !== 'two_operators')
    problems.push(
      'deleting an agency mailbox must need two operators (begin the rules with {"operation":"delete","mailboxType":"agency","approval":"two_operators"})',
    );
  return problems;
}
