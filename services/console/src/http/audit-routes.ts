// Nhật ký thao tác (admins): who did what, on what, when, and with what outcome.
import { Type } from '@sinclair/typebox';
import { listAuditEntries } from '../db/audit-repository.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html, time } from './html.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const ACTION_LABEL: Record<string, string> = {
  login: 'Đăng nhập',
  logout: 'Đăng xuất',
  'approval.approve': 'Phê duyệt',
  'approval.reject': 'Từ chối',
  'dead_letter.replay': 'Gửi lại lệnh cấp phát',
  'operator.create': 'Tạo tài khoản cán bộ',
  'operator.reset_password': 'Đặt lại mật khẩu cán bộ',
  csrf_check: 'Biểu mẫu không hợp lệ (CSRF)',
};
const OUTCOME = {
  ok: html`<span class="badge ok">Thành công</span>`,
  refused: html`<span class="badge err">Bị từ chối</span>`,
  failed: html`<span class="badge err">Lỗi</span>`,
};

export function registerAuditRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/audit',
    {
      schema: {
        querystring: Type.Object({
          username: Type.Optional(Type.String({ maxLength: 64 })),
          action: Type.Optional(Type.String({ maxLength: 64 })),
        }),
      },
    },
    async (request, reply) => {
      const entries = await listAuditEntries(deps.db, {
        username: request.query.username?.trim() || undefined,
        action: request.query.action || undefined,
        limit: 300,
      });
      const body = html`
<form class="filters" method="get" action="/audit" role="search" aria-label="Lọc nhật ký">
  <div class="field"><label for="username">Cán bộ</label><input id="username" name="username" value="${request.query.username ?? ''}" maxlength="64"></div>
  <div class="field"><label for="action">Thao tác</label><select id="action" name="action"><option value="">Tất cả</option>${Object.entries(
    ACTION_LABEL,
  ).map(
    ([v, l]) => html`<option value="${v}"${v === request.query.action ? html` selected` : ''}>${l}</option>`,
  )}</select></div>
  <button type="submit" class="secondary">Lọc</button>
</form>
<table><caption>${entries.length} thao tác gần nhất</caption><thead><tr><th scope="col">Lúc</th><th scope="col">Cán bộ</th><th scope="col">Thao tác</th><th scope="col">Đối tượng</th><th scope="col">Kết quả</th><th scope="col">Chi tiết</th><th scope="col">Địa chỉ IP</th></tr></thead>
<tbody>${entries.map(
        (
          e,
        ) => html`<tr><td>${time(e.at)}</td><td>${e.username || '—'}</td><td>${ACTION_LABEL[e.action] ?? e.action}</td>
<td>${e.target ?? '—'}</td><td>${OUTCOME[e.outcome]}</td><td><code>${Object.keys(e.details).length ? JSON.stringify(e.details) : ''}</code></td><td>${e.clientIp ?? ''}</td></tr>`,
      )}</tbody></table>`;
      return sendPage(request, reply, { title: 'Nhật ký thao tác', current: 'audit', body });
    },
  );
}
