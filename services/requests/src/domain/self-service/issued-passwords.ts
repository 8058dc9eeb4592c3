// Which approved items issue a password (a one-time credential for the agency, its hash to the mail
// server): a create and a reset always; a restore in a province whose default-password lock
// (Kiên Giang Điều 10 khoản 3: locked "cho đến khi có yêu cầu mới") reopens a mailbox under a new
// issued password, since the old one was never changed and may be known to others; and an agency
// mailbox handed to a new head (Đắk Nông Điều 13 khoản 2, Mẫu 02): the former head's password must
// not open it any more, so the successor's filer gets a new one-time credential.
import { listPolicies } from '@hopthu/naming';

export function issuesPassword(operation: string, province: string, handover = false): boolean {
  if (operation === 'create' || operation === 'reset_password') return true;
  if (operation === 'update') return handover;
  return operation === 'restore' && !!listPolicies().find((p) => p.id === province)?.defaultPasswordLock;
}

/** An update that hands an agency mailbox to a new head (`changes.head`, or the item's `person`). */
export function isHandover(
  item: { operation: string; changes?: Record<string, unknown> | null | undefined; person?: unknown },
  mailboxType: string | null | undefined,
): boolean {
  return item.operation === 'update' && mailboxType === 'agency' && !!(item.changes?.head ?? item.person);
}
