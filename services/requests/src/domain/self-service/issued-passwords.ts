// Which approved items issue a password (a one-time credential for the agency, its hash to the mail
// server): a create and a reset always; a restore in a province whose default-password lock
// (Kiên Giang Điều 10 khoản 3: locked "cho đến khi có yêu cầu mới") reopens a mailbox under a new
// issued password, since the old one was never changed and may be known to others; and, in a
// province whose policy has `agencyHandover` (Đắk Nông Điều 13 khoản 2, Mẫu 02), an agency mailbox
// handed to a new head: the former head's password must not open it any more, so the successor's
// filer gets a new one-time credential. Elsewhere a change of head keeps the password.
import { listPolicies } from '@hopthu/naming';

export function issuesPassword(operation: string, province: string, handover = false): boolean {
  // a deleted mailbox given back: its old password is gone with its row; a new one is issued
  if (operation === 'create' || operation === 'reset_password' || operation === 'restore_deleted')
    return true;
  const policy = listPolicies().find((p) => p.id === province);
  if (operation === 'update') return handover && !!policy?.agencyHandover;
  return operation === 'restore' && !!policy?.defaultPasswordLock;
}

/** An update that hands an agency mailbox to a new head (`changes.head`, or the item's `person`). */
export function isHandover(
  item: { operation: string; changes?: Record<string, unknown> | null | undefined; person?: unknown },
  mailboxType: string | null | undefined,
): boolean {
  return item.operation === 'update' && mailboxType === 'agency' && !!(item.changes?.head ?? item.person);
}
