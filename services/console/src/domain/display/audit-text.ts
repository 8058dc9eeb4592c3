// How an audit entry reads to an auditor: Vietnamese labels for what was done and why, instead of
// the raw JSON the chain stores. Pure, so the same words serve the page and the CSV export.
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  login: 'Đăng nhập',
  logout: 'Đăng xuất',
  'approval.approve': 'Phê duyệt',
  'approval.reject': 'Từ chối',
  'reclaim.approve': 'Thu hồi hộp thư',
  'reclaim.dismiss': 'Giữ lại hộp thư',
  'dead_letter.replay': 'Gửi lại lệnh cấp phát',
  'parked_event.replay': 'Xử lý lại sự kiện bị tạm giữ',
  'parked_event.dismiss': 'Đóng sự kiện bị tạm giữ, không xử lý lại',
  'operator.create': 'Tạo tài khoản cán bộ',
  'operator.reset_password': 'Đặt lại mật khẩu cán bộ',
  'operator.disable': 'Khóa tài khoản cán bộ',
  'operator.enable': 'Mở khóa tài khoản cán bộ',
  'account.change_password': 'Đổi mật khẩu',
  'agency.create': 'Đăng ký đơn vị',
  'agency.rename': 'Đổi tên đơn vị',
  'agency.move': 'Chuyển đơn vị sang cấp trên khác',
  'agency.recode': 'Đổi mã định danh đơn vị',
  'agency.dissolve': 'Đề nghị giải thể đơn vị',
  'maintenance.schedule': 'Lên lịch bảo trì',
  'reorganisation.approve': 'Phê duyệt phương án sắp xếp',
  'reorganisation.apply': 'Thực hiện phương án sắp xếp',
  'reorganisation.cancel': 'Hủy phương án sắp xếp',
  csrf_check: 'Biểu mẫu không hợp lệ (CSRF)',
  permission_check: 'Không có quyền',
};

const DETAIL_LABEL: Record<string, string> = {
  reason: 'Lý do',
  code: 'Mã',
  status: 'Mã trả lời',
  result: 'Kết quả',
  approvals: 'Đã phê duyệt',
  role: 'Vai trò',
  permission: 'Quyền cần có',
  sessionsEnded: 'Số phiên đã kết thúc',
  otherSessionsEnded: 'Các phiên khác đã kết thúc',
  note: 'Ghi chú',
  startsAt: 'Bắt đầu',
  endsAt: 'Kết thúc',
  provinces: 'Tỉnh',
  recipients: 'Số hộp thư cơ quan được thông báo',
  problems: 'Lý do từ chối',
};

const VALUE_LABEL: Record<string, string> = {
  invalid_credentials: 'sai tên hoặc mật khẩu',
  rate_limited: 'quá nhiều lần thử',
  disabled: 'tài khoản bị khóa',
  exists: 'đã có',
  self: 'không tự khóa mình',
  approved: 'đã đủ phê duyệt',
  approval_recorded: 'đã ghi nhận, chờ cán bộ khác',
  rejected: 'đã từ chối',
  replayed: 'đã gửi lại',
  not_pending: 'không còn chờ phê duyệt',
  same_operator: 'cùng một cán bộ',
  not_found: 'không tìm thấy',
  invalid: 'bị từ chối',
  operator: 'cán bộ vận hành',
  approver: 'cán bộ phê duyệt',
  auditor: 'kiểm soát viên',
  admin: 'quản trị',
  true: 'có',
  false: 'không',
};

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map(valueText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return VALUE_LABEL[text] ?? text;
}

/** Each detail as "Nhãn: giá trị", in the order stored. */
export function describeAuditDetails(details: Record<string, unknown>): string[] {
  return Object.entries(details).map(([k, v]) => `${DETAIL_LABEL[k] ?? k}: ${valueText(v)}`);
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * What an entry was about, as a short text and where to read more: a request item's target
 * (`<request>/<item>`) links to the request page and shows a short id.
 */
export function describeAuditTarget(target: string | null): { text: string; href?: string } {
  if (!target) return { text: '—' };
  const item = new RegExp(`^(${UUID})/(${UUID})$`, 'i').exec(target);
  if (item) return { text: `Yêu cầu ${item[1]!.slice(0, 8)}…`, href: `/requests/${item[1]}#item-${item[2]}` };
  if (new RegExp(`^${UUID}$`, 'i').test(target)) return { text: `${target.slice(0, 8)}…` };
  return { text: target };
}
