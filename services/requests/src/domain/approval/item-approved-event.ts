// The data of request.item.approved.v1 for a stored item: names and job of the person, never the
// national ID or date of birth (the directory gets the keyed hash as an opaque person key).
import type { EventData } from '@hopthu/shared';
import type { ItemRow, RequestRow } from '../../db/approval-repository.ts';
import type { StoredPerson } from '../../db/schema.ts';

export function buildItemApprovedData(
  item: ItemRow,
  request: RequestRow,
  extra: { approvedBy: string; passwordHash?: string },
): EventData<'vn.gov.hopthu.request.item.approved.v1'> {
  const person = item.person as StoredPerson | null;
  return {
    requestId: request.id,
    itemId: item.id,
    agencyId: item.agency_id,
    province: request.province,
    operation: item.operation as 'create',
    mailboxType: item.mailbox_type as 'personal',
    ...(person
      ? {
          person: {
            familyName: person.familyName,
            middleName: person.middleName,
            givenName: person.givenName,
            ...(person.position ? { position: person.position } : {}),
            ...(person.department ? { department: person.department } : {}),
            ...(item.national_id_hash ? { personKey: item.national_id_hash } : {}),
          },
        }
      : {}),
    ...(item.address ? { address: item.address } : {}),
    ...(extra.passwordHash ? { passwordHash: extra.passwordHash } : {}),
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.changes ? { changes: item.changes as Record<string, unknown> } : {}),
    approvedBy: extra.approvedBy,
  };
}
