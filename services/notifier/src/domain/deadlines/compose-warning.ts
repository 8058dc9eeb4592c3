// The operators' warning mail for a deadline about to slip or breached. Pure.
import type { TimerKind } from '../../db/schema.ts';
import { formatVnDate, formatVnTime } from '../results/compose-result.ts';

export interface WarningFacts {
  requestId: string;
  kind: TimerKind;
  agencyId: string;
  agencyName?: string;
  reference: { number: string; date: string };
  receivedAt: string;
  dueAt: string;
}

const KIND_VI: Record<TimerKind, string> = {
  half_time: 'đã quá nửa thời hạn xử lý',
  due_day_morning: 'đến hạn xử lý trong ngày hôm nay',
  breach: 'ĐÃ QUÁ HẠN xử lý',
};

export function composeWarningMail(w: WarningFacts): { subject: string; text: string } {
  const subject = `[hopthu] Cảnh báo: yêu cầu số ${w.reference.number} ${KIND_VI[w.kind]}`;
  const text = [
    'Kính gửi: Bộ phận vận hành hệ thống hộp thư điện tử công vụ',
    '',
    `Yêu cầu số ${w.reference.number} ngày ${formatVnDate(w.reference.date)} ${KIND_VI[w.kind]}.`,
    '',
    `Mã yêu cầu: ${w.requestId}`,
    `Cơ quan: ${w.agencyName ?? w.agencyId}`,
    `Thời điểm tiếp nhận: ${formatVnTime(w.receivedAt)}`,
    `Hạn xử lý: ${formatVnTime(w.dueAt, { midnightAs24: true })}`,
    '',
    'Vui lòng kiểm tra các nội dung đang chờ phê duyệt hoặc đang xử lý trên bảng điều khiển.',
    '',
  ].join('\n');
  return { subject: subject.normalize('NFC'), text: text.normalize('NFC') };
}
