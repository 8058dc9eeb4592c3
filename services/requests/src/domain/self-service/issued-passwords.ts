// Which approved items issue a password (a one-time credential for the agency, its hash to the mail
// server): a create and a reset always; a restore in a province whose default-password lock
// (Kiên Giang Điều 10 khoản 3: locked "cho đến khi có yêu cầu mới") reopens a mailbox under a new
// issued password, since the old one was never changed and may be known to others.
import { listPolicies } from '@hopthu/naming';

export function issuesPassword(operation: string, province: string): boolean {
  if (operation === 'create' || operation === 'reset_password') return true;
  return operation === 'restore' && !!listPolicies().find((p) => p.id === province)?.defaultPasswordLock;
}
