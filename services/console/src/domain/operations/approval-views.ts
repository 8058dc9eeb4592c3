// What the requests service answers for the approval queue and a request's history, as the
// console reads them.
export interface PendingItem {
  requestId: string;
  itemId: string;
  seq: number;
  operation: string;
  mailboxType: string | null;
  province: string;
  agencyId: string;
  itemAgencyId: string | null;
  address?: string;
  person?: {
    familyName: string;
    middleName: string;
    givenName: string;
    position?: string;
    department?: string;
  };
  reason?: string;
  /** What the item changes (an update's changes, a rename's unit, an alias item's `{ alias }`). */
  changes?: Record<string, unknown>;
  reference: { number: string; date: string };
  requester: { fullName: string; position?: string; phone?: string };
  approvals: string[];
  approvalsNeeded: number;
  receivedAt: string;
  dueAt: string;
}

export interface RequestHistory {
  id: string;
  status: string;
  province: string;
  agencyId: string;
  clientId: string;
  reference: { number: string; date: string };
  requester: { fullName: string; position?: string; phone?: string };
  receivedAt: string;
  dueAt: string;
  finishedAt?: string;
  items: {
    id: string;
    seq: number;
    operation: string;
    mailboxType: string | null;
    agencyId: string | null;
    status: string;
    address?: string;
    reason?: string;
    approvals?: string[];
    approvalsNeeded?: number;
    transitions?: { from: string | null; to: string; actor: string; reason?: string; at: string }[];
  }[];
}
