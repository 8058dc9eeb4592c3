// What waits for operators (the console's approval queue): oldest deadline first, with what the
// operator needs to decide and who already approved. Names and job only: no national ID or date
// of birth leaves the database here either.
import type { Kysely } from 'kysely';
import { listPendingItems } from '../../db/approval-repository.ts';
import type { Database, StoredPerson } from '../../db/schema.ts';

export async function listItemsAwaitingApproval(
  { db }: { db: Kysely<Database> },
  filter: {
    province?: string | undefined;
    agency?: string | undefined;
    requestId?: string | undefined;
    reference?: string | undefined;
    limit?: number | undefined;
    offset?: number | undefined;
  },
) {
  const { rows, total } = await listPendingItems(db, {
    ...(filter.province ? { province: filter.province } : {}),
    ...(filter.agency ? { agency: filter.agency } : {}),
    ...(filter.requestId ? { requestId: filter.requestId } : {}),
    ...(filter.reference ? { reference: filter.reference } : {}),
    limit: filter.limit ?? 200,
    offset: filter.offset ?? 0,
  });
  const items = rows.map((r) => {
    const person = r.person as StoredPerson | null;
    return {
      requestId: r.requestId,
      itemId: r.itemId,
      seq: r.seq,
      operation: r.operation,
      mailboxType: r.mailboxType,
      province: r.province,
      agencyId: r.agencyId,
      itemAgencyId: r.itemAgencyId,
      clientId: r.clientId,
      ...(r.address ? { address: r.address } : {}),
      ...(person
        ? {
            person: {
              familyName: person.familyName,
              middleName: person.middleName,
              givenName: person.givenName,
              ...(person.position ? { position: person.position } : {}),
              ...(person.department ? { department: person.department } : {}),
            },
          }
        : {}),
      ...(r.changes ? { changes: r.changes } : {}),
      ...(r.reason ? { reason: r.reason } : {}),
      reference: r.reference,
      requester: r.requester,
      approvals: r.approvals,
      approvalsNeeded: r.approvalsNeeded,
      receivedAt: new Date(r.receivedAt).toISOString(),
      dueAt: new Date(r.dueAt).toISOString(),
    };
  });
  return { items, total };
}
