// Sends a console page (HTML, UTF-8) and maps what the pages show: labels of states and
// operations, and notices picked by code (a notice's text never comes from the query string).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageUser } from './session-auth.ts';
import { html, type SafeHtml } from './html.ts';
import { type Notice, renderPage, type Section } from './layout.ts';

export function sendPage(
  request: FastifyRequest,
  reply: FastifyReply,
  p: {
    title: string;
    current: Section;
    body: SafeHtml;
    notice?: Notice | undefined;
    status?: number;
    head?: SafeHtml | undefined;
  },
) {
  const session = request.consoleSession;
  return reply
    .status(p.status ?? 200)
    .type('text/html; charset=utf-8')
    .send(
      renderPage({
        title: p.title,
        current: p.current,
        user: session ? pageUser(session) : undefined,
        notice: p.notice,
        body: p.body,
        head: p.head,
      }),
    );
}

export const OPERATION_LABEL: Record<string, string> = {
  create: 'Tạo mới',
  update: 'Cập nhật',
  suspend: 'Tạm khóa',
  restore: 'Mở lại',
  delete: 'Xóa',
  reset_password: 'Đặt lại mật khẩu',
  rename_unit: 'Đổi tên đơn vị',
  dissolve_unit: 'Giải thể đơn vị',
  restore_deleted: 'Khôi phục từ lưu trữ',
  add_alias: 'Thêm bí danh',
  remove_alias: 'Gỡ bí danh',
  set_forward: 'Chuyển tiếp thư',
  clear_forward: 'Dừng chuyển tiếp thư',
};

export const MAILBOX_TYPE_LABEL: Record<string, string> = { personal: 'Cá nhân', agency: 'Cơ quan' };

export const ITEM_STATUS_LABEL: Record<string, string> = {
  received: 'Đã tiếp nhận',
  pending_approval: 'Chờ phê duyệt',
  approved: 'Đã phê duyệt',
  in_progress: 'Đang thực hiện',
  completed: 'Hoàn thành',
  partially_completed: 'Hoàn thành một phần',
  failed: 'Thất bại',
  rejected: 'Bị từ chối',
};

const STATUS_TONE: Record<string, string> = {
  approved: 'ok',
  completed: 'ok',
  pending_approval: 'warn',
  in_progress: 'warn',
  partially_completed: 'warn',
  failed: 'err',
  rejected: 'err',
};

export function statusBadge(status: string): SafeHtml {
  return html`<span class="badge ${STATUS_TONE[status] ?? ''}">${ITEM_STATUS_LABEL[status] ?? status}</span>`;
}

export const label = (map: Record<string, string>, key: string | undefined | null) =>
  key ? (map[key] ?? key) : '—';

/** Notices after an action, chosen by a code in the redirect's query string. */
export const NOTICES: Record<string, Notice> = {
  approved: { kind: 'ok', text: 'Đã phê duyệt: mục đã đủ số phê duyệt cần có và được chuyển đi thực hiện.' },
  approval_recorded: {
    kind: 'ok',
    text: 'Đã ghi nhận phê duyệt của bạn. Mục này cần thêm phê duyệt của một cán bộ khác.',
  },
  rejected: { kind: 'ok', text: 'Đã từ chối mục; lý do được gửi tới cơ quan.' },
  same_operator: {
    kind: 'error',
    text: 'Bạn đã phê duyệt mục này rồi: phê duyệt thứ hai phải do một cán bộ khác thực hiện.',
  },
  not_pending: { kind: 'error', text: 'Mục này không còn chờ phê duyệt (đã được người khác xử lý).' },
  not_found: { kind: 'error', text: 'Không tìm thấy yêu cầu hoặc mục này.' },
  invalid: { kind: 'error', text: 'Dịch vụ tiếp nhận yêu cầu từ chối thao tác này.' },
  replayed: { kind: 'ok', text: 'Đã gửi lại lệnh cấp phát; kết quả sẽ hiện khi bộ cấp phát xử lý xong.' },
  replay_refused: { kind: 'error', text: 'Không gửi lại được thư lỗi này (không phải một lệnh hợp lệ).' },
  reclaim_approved: {
    kind: 'ok',
    text: 'Đã thu hồi: hộp thư bị xóa, địa chỉ được giữ lại một thời gian và thư được chuyển vào lưu trữ.',
  },
  reclaim_dismissed: { kind: 'ok', text: 'Đã giữ lại hộp thư; lý do được ghi vào lịch sử hộp thư.' },
  reclaim_not_open: {
    kind: 'error',
    text: 'Đề xuất này không còn chờ quyết định (đã được xử lý, hoặc hộp thư đã được sử dụng hay thay đổi nên đề xuất được rút).',
  },
  reorganisation_approved: {
    kind: 'ok',
    text: 'Đã ghi nhận phê duyệt của bạn. Phương án được thực hiện khi đã có phê duyệt của hai cán bộ khác nhau.',
  },
  reorganisation_applying: {
    kind: 'ok',
    text: 'Đã bắt đầu thực hiện phương án; trang tự cập nhật tiến độ. Mỗi cơ quan nhận một thư liệt kê các địa chỉ đã đổi.',
  },
  reorganisation_scheduled: {
    kind: 'ok',
    text: 'Ngày hiệu lực của phương án chưa đến: phương án đã được hẹn và sẽ tự thực hiện lúc 00:00 ngày hiệu lực.',
  },
  reorganisation_refused: {
    kind: 'error',
    text: 'Dịch vụ danh bạ không nhận thao tác này (phương án chưa đủ phê duyệt, đã được bạn phê duyệt, hoặc đã thực hiện).',
  },
  reorganisation_cancelled: {
    kind: 'ok',
    text: 'Đã hủy phương án: phương án không được thực hiện, kể cả khi đã hẹn ngày; lý do được ghi lại.',
  },
  reorganisation_cancel_refused: {
    kind: 'error',
    text: 'Dịch vụ danh bạ không hủy được phương án này (phương án đang hoặc đã được thực hiện, hoặc đã bị hủy).',
  },
  reclaim_not_found: { kind: 'error', text: 'Không tìm thấy đề xuất thu hồi này.' },
  reclaim_invalid: { kind: 'error', text: 'Dịch vụ danh bạ từ chối thao tác này.' },
  operator_created: { kind: 'ok', text: 'Đã tạo tài khoản cán bộ.' },
  operator_disabled: {
    kind: 'ok',
    text: 'Đã khóa tài khoản: các phiên đăng nhập của tài khoản đã kết thúc và không đăng nhập lại được.',
  },
  operator_enabled: { kind: 'ok', text: 'Đã mở khóa tài khoản.' },
  password_changed: {
    kind: 'ok',
    text: 'Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.',
  },
  logged_out: { kind: 'ok', text: 'Bạn đã đăng xuất.' },
  expired: { kind: 'error', text: 'Phiên làm việc đã hết hạn, hãy đăng nhập lại.' },
};

export function noticeFrom(query: unknown): Notice | undefined {
  const code = (query as { notice?: unknown } | undefined)?.notice;
  return typeof code === 'string' ? NOTICES[code] : undefined;
}
