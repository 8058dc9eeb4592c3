// `update` items: a change of position or department touches only the directory (published as a
// new mailbox state, answered `applied` straight away). A transfer to another agency changes only
// the directory where the address has no agency part (Khánh Hòa); elsewhere it needs an address
// change, which is not implemented yet and is answered `failed` with that reason.
import { getPolicy } from '@hopthu/naming';
import type { ItemApproved } from '@hopthu/shared';
import { findAgencyById } from '../../db/agency-repository.ts';
import { insertHistory } from '../../db/history-repository.ts';
import { updateMailbox } from '../../db/mailbox-repository.ts';
import { updatePersonJob } from '../../db/person-repository.ts';
import type { ChangeContext, Db } from '../deps.ts';
import { publishMailboxState } from '../mailboxes/mailbox-events.ts';
import type { ItemOutcome } from './create-personal-mailbox.ts';
import { findOwnedMailbox } from './find-owned-mailbox.ts';

const KNOWN_CHANGES = ['position', 'department', 'agencyId'];

export async function updateMailboxEntry(
  db: Db,
  item: ItemApproved,
  ctx: ChangeContext,
): Promise<ItemOutcome> {
  const owned = await findOwnedMailbox(db, item);
  if (!owned.ok) return { outcome: 'failed', reason: owned.reason };
  const mailbox = owned.mailbox;
  const changes = { ...(item.changes ?? {}), ...jobFromPerson(item) };
  const unknown = Object.keys(changes).filter((key) => !KNOWN_CHANGES.includes(key));
  if (unknown.length > 0 || Object.keys(changes).length === 0) {
    return {
      outcome: 'failed',
      reason: {
        vi: `Thay đổi không được hỗ trợ: ${unknown.join(', ') || '(không có thay đổi)'}; chỉ position, department, agencyId`,
        en: `Unsupported change: ${unknown.join(', ') || '(no change)'}; only position, department, agencyId`,
      },
    };
  }
  for (const key of ['position', 'department'] as const) {
    if (changes[key] !== undefined && changes[key] !== null && typeof changes[key] !== 'string') {
      return { outcome: 'failed', reason: { vi: `${key} phải là chuỗi`, en: `${key} must be a string` } };
    }
  }
  if ((changes.position !== undefined || changes.department !== undefined) && !mailbox.personId) {
    return {
      outcome: 'failed',
      reason: {
        vi: 'Hộp thư cơ quan không có chức vụ, phòng ban',
        en: 'An agency mailbox has no position or department',
      },
    };
  }
  let newAgencyId: string | undefined;
  if (typeof changes.agencyId === 'string' && changes.agencyId !== mailbox.agencyId) {
    const target = await findAgencyById(db, changes.agencyId);
    if (!target || target.province !== mailbox.province || !mailbox.personId) {
      return {
        outcome: 'failed',
        reason: {
          vi: 'Cơ quan chuyển đến không có trong tỉnh',
          en: 'The agency to transfer to is not in this province',
        },
      };
    }
    if (getPolicy(mailbox.province).personal.agencyPart) {
      return {
        outcome: 'failed',
        reason: {
          vi: 'Chuyển cơ quan làm đổi địa chỉ hộp thư; chức năng này chưa được hỗ trợ, hãy liên hệ cán bộ vận hành',
          en: 'A transfer changes the address here; address changes are not supported yet, contact an operator',
        },
      };
    }
    newAgencyId = target.id;
  }

  if (mailbox.personId) {
    await updatePersonJob(
      db,
      mailbox.personId,
      {
        position: changes.position as string | null | undefined,
        department: changes.department as string | null | undefined,
        ...(newAgencyId ? { agencyId: newAgencyId } : {}),
      },
      ctx.at,
    );
  }
  if (newAgencyId) await updateMailbox(db, mailbox.id, { agencyId: newAgencyId }, ctx.at);
  else await updateMailbox(db, mailbox.id, {}, ctx.at);
  await insertHistory(db, {
    mailboxId: mailbox.id,
    at: ctx.at,
    change: 'directory_updated',
    reason: ctx.reason,
    requestId: ctx.requestId,
    itemId: ctx.itemId,
    actor: ctx.actor,
    details: { changes },
  });
  await publishMailboxState(db, mailbox.id, ctx);
  return { outcome: 'applied', mailbox: { ...mailbox, agencyId: newAgencyId ?? mailbox.agencyId } };
}

// Requests may carry the new job in `person` instead of `changes`.
function jobFromPerson(item: ItemApproved): Record<string, unknown> {
  const job: Record<string, unknown> = {};
  if (item.person?.position !== undefined) job.position = item.person.position;
  if (item.person?.department !== undefined) job.department = item.person.department;
  return job;
}
