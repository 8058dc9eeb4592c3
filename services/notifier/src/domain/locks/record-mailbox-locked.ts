// A mailbox locked by a province rule rather than by a request (Kiên Giang Điều 10 khoản 3: the
// issued password never changed): nobody asked for it, so the agency is told by mail at its official
// mailbox, with why and how to open it again. Written as a delivery in the inbox transaction, keyed
// by the lock, so a redelivered event adds nothing.
import type { Clock, NewId } from '@hopthu/shared/clock';
import type { MailboxLocked } from '@hopthu/shared/events';
import type { Kysely } from 'kysely';
import { findAgency } from '../../db/agency-repository.ts';
import { insertDelivery } from '../../db/delivery-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { type MailSettings, newMessageId } from '../mail-settings.ts';

export function composeLockMail(event: MailboxLocked, agencyName: string): { subject: string; text: string } {
  return {
    subject: `[hopthu] Hộp thư ${event.address} đã bị khóa / mailbox locked`,
    text: [
      `Kính gửi ${agencyName},`,
      '',
      `Hộp thư công vụ ${event.address} của cơ quan đã bị khóa lúc ${event.lockedAt} vì ${event.reason.vi}.`,
      'Thư đến hộp thư vẫn được giữ. Để mở lại, cơ quan gửi yêu cầu mở lại (restore) cho hộp thư này;',
      'người dùng sẽ nhận mật khẩu mới và phải đổi mật khẩu theo quy định.',
      '',
      `The official mailbox ${event.address} was locked at ${event.lockedAt}: ${event.reason.en}.`,
      'Its mail is kept. To open it again, the agency files a restore request for it.',
    ].join('\n'),
  };
}

/** `deps.db`: the caller's transaction (the inbox's). */
export async function recordMailboxLocked(
  deps: { db: Kysely<NotifierDb>; clock: Clock; newId: NewId; mail: MailSettings },
  event: MailboxLocked,
): Promise<boolean> {
  const trx = deps.db;
  const agency = await findAgency(trx, event.agencyId);
  const target = agency?.officialMailbox ?? null;
  const mail = composeLockMail(event, agency?.name ?? event.agencyId);
  const id = deps.newId();
  return insertDelivery(trx, {
    id,
    kind: 'mail',
    purpose: 'mailbox_locked',
    requestId: `locked:${event.mailboxId}:${event.lockedAt}`,
    agencyId: event.agencyId,
    target: target ?? '',
    payload: { to: target ?? '', subject: mail.subject, text: mail.text },
    messageId: newMessageId(id, deps.mail.from),
    now: deps.clock.now(),
    // An agency without an official mailbox: the row stays, failed with why, for operators to see.
    ...(target ? {} : { status: 'failed' as const, lastError: 'the agency has no official mailbox' }),
  });
}
