// Tài khoản: the logged-in operator's own account (role and what it allows) and password change,
// which needs the current password.
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { changePassword } from '../domain/auth/change-password.ts';
import { can, PERMISSIONS, type Permission, ROLE_LABEL } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html } from './html.ts';
import type { Notice } from './layout.ts';
import { noticeFrom, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const PERMISSION_LABEL: Record<Permission, string> = {
  'queues.view': 'Xem hàng chờ phê duyệt, hạn xử lý, lỗi cấp phát, danh bạ và đề xuất thu hồi hộp thư',
  'approvals.decide': 'Phê duyệt và từ chối mục của yêu cầu',
  'reclaims.decide': 'Thu hồi hoặc giữ lại hộp thư không sử dụng quá thời hạn',
  'dead_letters.replay': 'Gửi lại lệnh cấp phát lỗi',
  'mailboxes.act':
    'Khóa ngay, mở lại, đặt lại mật khẩu hộp thư (gửi thành yêu cầu), thêm hoặc gỡ bí danh; luôn có lý do',
  'requests.file': 'Nhập yêu cầu giấy của cơ quan (Mẫu 01, 02, 03, Phụ lục 2) kèm bản quét PDF',
  'agencies.manage':
    'Đăng ký, đổi tên, chuyển, đổi mã định danh đơn vị và đề nghị giải thể đơn vị (hai cán bộ phê duyệt); luôn có lý do',
  'audit.view': 'Xem nhật ký thao tác và kiểm tra chuỗi băm',
  'operators.view': 'Xem danh sách tài khoản cán bộ',
  'operators.manage': 'Tạo, khóa và mở khóa tài khoản cán bộ',
  'account.self': 'Đổi mật khẩu của mình',
};

const REFUSAL_TEXT: Record<string, string> = {
  rate_limited: 'Nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau ít phút.',
  wrong_password: 'Mật khẩu hiện tại không đúng.',
  mismatch: 'Mật khẩu mới và phần nhập lại không khớp.',
  same: 'Mật khẩu mới phải khác mật khẩu hiện tại.',
};

export function registerAccountRoutes(app: PagesScope, deps: ConsoleDeps) {
  const page = (request: FastifyRequest, reply: FastifyReply, notice?: Notice, status?: number) => {
    const s = request.consoleSession!;
    const body = html`<dl><dt>Tên đăng nhập</dt><dd>${s.username}</dd><dt>Họ tên</dt><dd>${s.displayName}</dd>
<dt>Vai trò</dt><dd>${ROLE_LABEL[s.role]}</dd></dl>
<h2>Vai trò này được</h2>
<ul>${PERMISSIONS.filter((p) => can(s.role, p)).map((p) => html`<li>${PERMISSION_LABEL[p]}</li>`)}</ul>
<h2>Đổi mật khẩu</h2>
<form method="post" action="/account/password" style="max-width:420px">
  <input type="hidden" name="_csrf" value="${s.csrfToken}">
  <div class="field"><label for="current-password">Mật khẩu hiện tại</label><input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required maxlength="200" style="width:100%"></div>
  <div class="field"><label for="new-password">Mật khẩu mới</label><input id="new-password" name="newPassword" type="password" autocomplete="new-password" required minlength="12" maxlength="200" aria-describedby="new-password-help" style="width:100%">
    <div id="new-password-help" class="muted">Ít nhất 12 ký tự, có cả chữ và số. Các phiên đăng nhập khác của bạn sẽ kết thúc.</div></div>
  <div class="field"><label for="confirm-password">Nhập lại mật khẩu mới</label><input id="confirm-password" name="confirmPassword" type="password" autocomplete="new-password" required maxlength="200" style="width:100%"></div>
  <button type="submit">Đổi mật khẩu</button>
</form>`;
    return sendPage(request, reply, {
      title: 'Tài khoản của tôi',
      current: 'account',
      notice: notice ?? noticeFrom(request.query),
      body,
      ...(status ? { status } : {}),
    });
  };

  app.get(
    '/account',
    {
      config: { permission: 'account.self' },
      schema: { querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) }) },
    },
    async (request, reply) => page(request, reply),
  );

  app.post(
    '/account/password',
    {
      config: { permission: 'account.self' },
      schema: {
        body: Type.Object({
          _csrf: Type.String(),
          currentPassword: Type.String({ maxLength: 200 }),
          newPassword: Type.String({ maxLength: 200 }),
          confirmPassword: Type.String({ maxLength: 200 }),
        }),
      },
    },
    async (request, reply) => {
      const result = await changePassword(deps, {
        session: request.consoleSession!,
        currentPassword: request.body.currentPassword,
        newPassword: request.body.newPassword,
        confirmPassword: request.body.confirmPassword,
        clientIp: request.ip,
      });
      if (result.ok) return reply.redirect('/account?notice=password_changed', 303);
      const text = result.message ?? REFUSAL_TEXT[result.reason] ?? 'Không đổi được mật khẩu.';
      return page(request, reply, { kind: 'error', text }, result.reason === 'rate_limited' ? 429 : 400);
    },
  );
}
