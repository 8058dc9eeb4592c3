// What the agency is told when its request is finished: the webhook payload and the result mail
// (Vietnamese, UTF-8, NFC) built from the same data. Pure: no I/O, no clock.
//
// Never a password: items that carry a credential point the agency's system at the request,
// where its authenticated client opens each item's one-time credential link.
import type { ItemStatus, Operation, RequestFinished, RequestStatus } from '@hopthu/shared/events';

export interface AgencyInfo {
  name: string;
  abbreviation?: string;
  officialMailbox?: string | null;
}

export interface ResultMail {
  subject: string;
  text: string;
}

const OPERATION_VI: Record<Operation, string> = {
  create: 'tạo mới',
  update: 'thay đổi thông tin',
  suspend: 'tạm khóa',
  restore: 'khôi phục',
  delete: 'xóa',
  reset_password: 'cấp lại mật khẩu',
  rename_unit: 'đổi tên đơn vị',
  dissolve_unit: 'giải thể đơn vị',
  restore_deleted: 'khôi phục hộp thư đã xóa',
  add_alias: 'thêm bí danh',
  remove_alias: 'gỡ bí danh',
  set_forward: 'chuyển tiếp thư',
  clear_forward: 'dừng chuyển tiếp thư',
};

const ITEM_OUTCOME_VI: Partial<Record<ItemStatus, string>> = {
  completed: 'hoàn thành',
  failed: 'không thực hiện được',
  rejected: 'bị từ chối',
};

const REQUEST_STATUS_VI: Record<RequestStatus, string> = {
  received: 'đã tiếp nhận',
  pending_approval: 'đang chờ phê duyệt',
  in_progress: 'đang xử lý',
  completed: 'hoàn thành',
  partially_completed: 'hoàn thành một phần',
  failed: 'không thực hiện được',
  rejected: 'bị từ chối',
};

export const operationVi = (op: Operation) => OPERATION_VI[op];
export const itemOutcomeVi = (s: ItemStatus) => ITEM_OUTCOME_VI[s] ?? s;

const nfc = (s: string) => s.normalize('NFC');
const VN_OFFSET_MS = 7 * 3600_000;

/** `HH:mm dd/MM/yyyy` in Asia/Ho_Chi_Minh; a midnight deadline reads `24:00` of the day before. */
export function formatVnTime(iso: string, opts: { midnightAs24?: boolean } = {}): string {
  const t = new Date(iso).getTime();
  const local = new Date(t + VN_OFFSET_MS);
  const midnight = local.getUTCHours() === 0 && local.getUTCMinutes() === 0 && local.getUTCSeconds() === 0;
  const shown = opts.midnightAs24 && midnight ? new Date(t + VN_OFFSET_MS - 1) : local;
  const hh = opts.midnightAs24 && midnight ? '24:00' : local.toISOString().slice(11, 16);
  return `${hh} ${formatVnDate(shown.toISOString().slice(0, 10))}`;
}

/** `yyyy-mm-dd` → `dd/mm/yyyy`; anything else unchanged. */
export function formatVnDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

/** The webhook body: the same facts as the mail, for machines. */
export function composeResultPayload(finished: RequestFinished) {
  return {
    type: 'request.finished',
    timestamp: finished.finishedAt,
    data: {
      requestId: finished.requestId,
      agencyId: finished.agencyId,
      status: finished.status,
      reference: finished.reference,
      receivedAt: finished.receivedAt,
      dueAt: finished.dueAt,
      finishedAt: finished.finishedAt,
      requestUrl: finished.requestUrl,
      items: finished.items.map((i) => ({
        itemId: i.itemId,
        operation: i.operation,
        mailboxType: i.mailboxType,
        status: i.status,
        ...(i.address ? { address: i.address } : {}),
        ...(i.displayName ? { displayName: nfc(i.displayName) } : {}),
        ...(i.reason ? { reason: nfc(i.reason) } : {}),
        hasCredential: i.hasCredential,
      })),
    },
  };
}

export function composeResultSubject(finished: RequestFinished): string {
  return nfc(`[hopthu] Kết quả xử lý yêu cầu số ${finished.reference.number}`);
}

/**
 * The result mail. `copyFor` marks the copy sent to the Sở TTTT: same content, with a line saying
 * whose result it is.
 */
export function composeResultMail(
  finished: RequestFinished,
  agency: AgencyInfo,
  options: { copyFor?: string } = {},
): ResultMail {
  const lines: string[] = [];
  if (options.copyFor) {
    lines.push(`Kính gửi: ${options.copyFor}`, '');
    lines.push(
      `Đây là bản sao thư thông báo kết quả gửi ${agency.name}${agency.officialMailbox ? ` (${agency.officialMailbox})` : ''}.`,
      '',
    );
  } else {
    lines.push(`Kính gửi: ${agency.name}`, '');
  }
  lines.push(
    `Hệ thống hộp thư điện tử công vụ thông báo kết quả xử lý yêu cầu theo văn bản số ${finished.reference.number} ngày ${formatVnDate(finished.reference.date)}.`,
    '',
    `Mã yêu cầu: ${finished.requestId}`,
    `Kết quả chung: ${REQUEST_STATUS_VI[finished.status]}`,
    `Thời điểm tiếp nhận: ${formatVnTime(finished.receivedAt)}`,
    `Hạn xử lý: ${formatVnTime(finished.dueAt, { midnightAs24: true })}`,
    `Thời điểm hoàn tất: ${formatVnTime(finished.finishedAt)}`,
    '',
    'Chi tiết từng nội dung:',
  );
  finished.items.forEach((item, i) => {
    const kind = item.mailboxType === 'agency' ? 'hộp thư cơ quan' : 'hộp thư cá nhân';
    const who = item.displayName ? ` (${item.displayName})` : '';
    lines.push(`${i + 1}. ${capitalize(OPERATION_VI[item.operation])} ${kind}${who}`);
    lines.push(`   Địa chỉ: ${item.address ?? '(chưa có)'}`);
    lines.push(`   Kết quả: ${itemOutcomeVi(item.status)}`);
    if (item.reason && item.status !== 'completed') lines.push(`   Lý do: ${item.reason}`);
    if (item.hasCredential && item.status === 'completed') {
      lines.push('   Thông tin đăng nhập: nhận qua liên kết dùng một lần (xem hướng dẫn bên dưới).');
    }
  });
  const withCredential = finished.items
    .map((item, i) => ({ item, n: i + 1 }))
    .filter(({ item }) => item.hasCredential && item.status === 'completed');
  if (withCredential.length > 0) {
    lines.push(
      '',
      'Cách nhận thông tin đăng nhập:',
      'Mật khẩu không bao giờ được gửi qua thư điện tử. Hệ thống của cơ quan dùng tài khoản API đã được cấp',
      `(xác thực OAuth 2.0) để đọc kết quả yêu cầu tại địa chỉ:`,
      `   ${finished.requestUrl}`,
      `rồi mở liên kết "credentialUrl" của các mục ${withCredential.map((c) => c.n).join(', ')}.`,
      'Mỗi liên kết chỉ mở được một lần và có thời hạn ngắn; người dùng đổi mật khẩu ngay khi đăng nhập lần đầu.',
    );
  }
  lines.push(
    '',
    'Thư này được gửi tự động từ hệ thống hộp thư điện tử công vụ; vui lòng không trả lời thư này.',
  );
  return { subject: composeResultSubject(finished), text: nfc(`${lines.join('\n')}\n`) };
}

function capitalize(s: string): string {
  return s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);
}
