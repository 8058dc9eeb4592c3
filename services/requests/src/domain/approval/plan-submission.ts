// At submit time: the approval each item needs under its province's policy. An item that names a
// mailbox is judged by the mailbox's real type (from the directory replica), not by what the
// request says, so an agency mailbox delete sent as `personal` still waits for two operators.
import { isUnitOperation, type MailboxType, type Operation } from '@hopthu/shared/events';
import type { Kysely } from 'kysely';
import { findMailboxTypes } from '../../db/approval-repository.ts';
import type { Database } from '../../db/schema.ts';
import { type Approval, type ApprovalPolicy, approvalsNeeded, planApprovals } from './approval-policy.ts';

export interface PlannedItem {
  mailboxType: MailboxType;
  approval: Approval;
  /** 0 when approved on receipt. */
  approvalsNeeded: 0 | 1 | 2;
}

export async function planSubmission(
  { db }: { db: Kysely<Database> },
  {
    policy,
    items,
  }: {
    policy: ApprovalPolicy;
    items: readonly { operation: string; mailboxType?: string | undefined; address?: string | undefined }[];
  },
): Promise<PlannedItem[]> {
  const types = await findMailboxTypes(
    db,
    items.flatMap((i) => (i.operation !== 'create' && i.address ? [i.address.toLowerCase()] : [])),
  );
  // an item about the unit itself (rename_unit, dissolve_unit) concerns its agency mailbox
  const typed = items.map((i) => ({
    operation: i.operation as Operation,
    mailboxType: (isUnitOperation(i.operation)
      ? 'agency'
      : (i.operation !== 'create' && i.address && types.get(i.address.toLowerCase())) ||
        i.mailboxType ||
        'personal') as MailboxType,
  }));
  const plan = planApprovals(policy, typed);
  return typed.map((t, i) => ({
    mailboxType: t.mailboxType,
    approval: plan[i]!,
    approvalsNeeded: approvalsNeeded(plan[i]!),
  }));
}
