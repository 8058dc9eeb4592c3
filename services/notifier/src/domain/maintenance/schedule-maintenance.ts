// An operator schedules planned downtime: the window is checked against the provinces' rules
// (maintenance-window.ts: Bắc Ninh Điều 10 khoản 2 điểm b), then every agency mailbox of the
// provinces it concerns gets the notice by mail: one delivery each, written in one transaction and
// sent by the delivery worker like every other mail. Nothing is written when the window is refused.
import { formatVnIso } from '@hopthu/calendar';
import { listPolicies } from '@hopthu/naming';
import type { Clock, NewId } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import { listOfficialMailboxes } from '../../db/agency-repository.ts';
import { insertDelivery } from '../../db/delivery-repository.ts';
import type { NotifierDb } from '../../db/schema.ts';
import { type MailSettings, newMessageId } from '../mail-settings.ts';
import { checkMaintenanceWindow } from './maintenance-window.ts';

export interface MaintenanceInput {
  startsAt: string;
  endsAt: string;
  reason: string;
  operator: string;
  /** The provinces concerned; all by default. */
  provinces?: string[] | undefined;
}

export interface MaintenanceDeps {
  db: Kysely<NotifierDb>;
  clock: Clock;
  newId: NewId;
  mail: MailSettings;
}

const show = (d: Date) => formatVnIso(d).slice(0, 16).replace('T', ' ');

export function composeMaintenanceMail(
  window: { startsAt: Date; endsAt: Date; reason: string },
  agencyName: string,
) {
  const from = show(window.startsAt);
  const to = show(window.endsAt);
  return {
    subject: `[hopthu] Thông báo bảo trì hệ thống thư điện tử ${from} – ${to} / planned maintenance`,
    text: [
      `Kính gửi ${agencyName},`,
      '',
      `Hệ thống thư điện tử công vụ sẽ tạm ngừng để bảo trì từ ${from} đến ${to} (giờ Việt Nam).`,
      `Nội dung: ${window.reason}`,
      'Thư gửi đến trong thời gian này được giữ lại và chuyển đến sau khi hệ thống hoạt động trở lại.',
      '',
      `The official mail system will be down for planned maintenance from ${from} to ${to} (Vietnam time): ${window.reason}.`,
      'Mail sent meanwhile is held and delivered afterwards.',
    ].join('\n'),
  };
}

export async function scheduleMaintenance(deps: MaintenanceDeps, input: MaintenanceInput) {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  const now = deps.clock.now();
  const policies = listPolicies().filter((p) => !input.provinces || input.provinces.includes(p.id));
  const problems = checkMaintenanceWindow(policies, { startsAt, endsAt }, now);
  if (problems.length > 0)
    throw new AppError(
      'validation_failed',
      { vi: 'Lịch bảo trì không hợp lệ', en: 'The maintenance window is refused' },
      { errors: problems.map((p) => ({ field: p.field, message: { vi: p.vi, en: p.en } })) },
    );
  const id = deps.newId();
  const window = { startsAt, endsAt, reason: input.reason };
  const recipients = await deps.db.transaction().execute(async (trx) => {
    const agencies = await listOfficialMailboxes(trx, input.provinces);
    for (const agency of agencies) {
      const deliveryId = deps.newId();
      const mail = composeMaintenanceMail(window, agency.name);
      await insertDelivery(trx, {
        id: deliveryId,
        kind: 'mail',
        purpose: 'planned_maintenance',
        requestId: `maintenance:${id}:${agency.agencyId}`,
        agencyId: agency.agencyId,
        target: agency.officialMailbox,
        payload: {
          to: agency.officialMailbox,
          subject: mail.subject,
          text: mail.text,
          operator: input.operator,
        },
        messageId: newMessageId(deliveryId, deps.mail.from),
        now,
      });
    }
    return agencies.length;
  });
  return { id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), recipients };
}
