// A dissolved unit takes no more requests: the directory replica says when a unit was dissolved
// (Mẫu 03 for the unit itself, or an operator's dissolution), so a request acting for it, an item
// creating a mailbox in it, a transfer into it or a second dissolution is refused at submission
// (409, each field named in Vietnamese and English) instead of failing later in the directory.
// Pure: the agencies are the ones loadContext read from the replica.
import type { AgencyRow } from '../../db/replica-repository.ts';
import type { SubmitBody } from '../requests/submission.ts';
import type { Problems } from './check-item.ts';

/** The date a unit was dissolved, as `dd/mm/yyyy` in Vietnam, for the message. */
const vnDay = (at: Date) =>
  new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(at);

export function checkDissolvedUnits(
  ctx: { body: SubmitBody; agencies: ReadonlyMap<string, AgencyRow> },
  problems: Problems,
): void {
  const refuse = (field: string, agencyId: string) => {
    const unit = ctx.agencies.get(agencyId);
    if (!unit?.dissolved_at) return;
    const day = vnDay(new Date(unit.dissolved_at));
    problems.add(
      'conflicts',
      field,
      `Đơn vị ${unit.name} đã giải thể từ ngày ${day}; không nhận yêu cầu cho đơn vị này`,
      `the unit ${unit.name} was dissolved on ${day}; it takes no requests`,
    );
  };
  refuse('/agencyId', ctx.body.agencyId);
  ctx.body.items.forEach((item, i) => {
    if (item.agencyId && item.agencyId !== ctx.body.agencyId) refuse(`/items/${i}/agencyId`, item.agencyId);
    const into = item.changes?.agencyId;
    if (typeof into === 'string') refuse(`/items/${i}/changes/agencyId`, into);
  });
}
