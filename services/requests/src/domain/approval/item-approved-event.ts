// The data of request.item.approved.v1 for a stored item: names and job of the person, never the
// national ID or date of birth (the directory gets the keyed hash as an opaque person key).
import type { EventData, EventPerson } from '@hopthu/shared/events';
import type { ItemRow } from '../../db/approval-repository.ts';
import type { RequestRow } from '../../db/request-repository.ts';
import type { StoredPerson } from '../../db/schema.ts';

/**
 * The person as the event carries it: names, job and rank (Kiên Giang orders a request's
 * namesakes by it), and the keyed hash of the national ID as an opaque key. Used by the submit
 * (approved on receipt) and the operator's approval alike, so both events say the same.
 */
export function eventPerson(
  person: Pick<StoredPerson, 'familyName' | 'middleName' | 'givenName' | 'position' | 'department' | 'rank'>,
  personKey: string | null | undefined,
): EventPerson {
  return {
    familyName: person.familyName,
    middleName: person.middleName,
    givenName: person.givenName,
    ...(person.position ? { position: person.position } : {}),
    ...(person.department ? { department: person.department } : {}),
    ...(person.rank !== undefined ? { rank: person.rank } : {}),
    ...(personKey ? { personKey } : {}),
  };
}

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
    ...(person ? { person: eventPerson(person, item.national_id_hash) } : {}),
    ...(item.address ? { address: item.address } : {}),
    ...(extra.passwordHash ? { passwordHash: extra.passwordHash } : {}),
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.changes ? { changes: item.changes as Record<string, unknown> } : {}),
    ...(item.exception_reason ? { exceptionReason: item.exception_reason } : {}),
    approvedBy: extra.approvedBy,
    filedBy: request.client_id,
  };
}
