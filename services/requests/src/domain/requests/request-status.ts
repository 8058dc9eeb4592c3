// A request's status follows from its items' statuses (design §3.1).
import type { ItemStatus, RequestStatus } from '@hopthu/shared/events';

const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'rejected']);
export const isTerminal = (s: string) => TERMINAL.has(s);

export function deriveRequestStatus(items: readonly ItemStatus[]): RequestStatus {
  if (items.length === 0) return 'received';
  if (items.every((s) => s === 'pending_approval')) return 'pending_approval';
  if (!items.every(isTerminal)) return 'in_progress';
  if (items.every((s) => s === 'completed')) return 'completed';
  if (items.every((s) => s === 'rejected')) return 'rejected';
  if (items.some((s) => s === 'completed')) return 'partially_completed';
  return 'failed';
}
