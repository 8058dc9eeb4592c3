// Nhật ký thao tác (admins, auditors): who did what, on what, when, and with what outcome; and the
// check of the log's hash chain, which shows where it breaks.
import { Type } from '@sinclair/typebox';
import { countAuditEntries, listAuditEntries } from '../db/audit-repository.ts';
import {
  AUDIT_ACTION_LABEL,
  describeAuditDetails,
  describeAuditTarget,
} from '../domain/display/audit-text.ts';
import { formatDateTime } from '../domain/display/vn-time.ts';
import { verifyAuditChain } from '../domain/audit/verify-audit-chain.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html, time } from './html.ts';
import { CSV_LIMIT, offsetOf, PAGE_SIZE, pager, sendCsv } from './list-page.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const OUTCOME = {
  ok: html`<span class="badge ok">Thành công</span>`,
  refused: html`<span class="badge err">Bị từ chối</span>`,
  failed: html`<span class="badge err">Lỗi</span>`,
};
const OUTCOME_TEXT = { ok: 'Thành công', refused: 'Bị từ chối', failed: 'Lỗi' };

const AuditQuery = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 64 })),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  trang: Type.Optional(Type.String({ maxLength: 6 })),
});

function targetCell(target: string | null) {
  const t = describeAuditTarget(target);
  return t.href ? html`<a href="${t.href}" title="${target ?? ''}">${t.text}</a>` : html`${t.text}`;
}

export function registerAuditRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/audit',
    { config: { permission: 'audit.view' }, schema: { querystring: AuditQuery } },
    async (request, reply) => {
      const filter = {
        username: request.query.username?.trim() || undefined,
        action: request.query.action || undefined,
      };
      const offset = offsetOf(request.query);
      const [entries, total] = await Promise.all([
        listAuditEntries(deps.db, { ...filter, limit: PAGE_SIZE, offset }),
        countAuditEntries(deps.db, filter),
      ]);
      const nav = pager({
        path: '/audit',
        query: request.query,
        offset,
        shown: entries.length,
        total,
        csvPath: '/audit.csv',
      });
      const body = html`
<form class="filters" method="get" action="/audit" role="search" aria-label="Lọc nhật ký">
  <div class="field"><label for="username">Cán bộ</label><input id="username" name="username" value="${request.query.username ?? ''}" maxlength="64"></div>
  <div class="field"><label for="action">Thao tác</label><select id="action" name="action"><option value="">Tất cả</option>${Object.entries(
    AUDIT_ACTION_LABEL,
  ).map(
    ([v, l]) => html`<option value="${v}"${v === request.query.action ? html` selected` : ''}>${l}</option>`,
  )}</select></div>
  <button type="submit" class="secondary">Lọc</button>
</form>
<p><a href="/audit/verify">Kiểm tra chuỗi băm của nhật ký</a></p>
${nav}<table class="audit"><caption>${total} thao tác, mới nhất trước</caption><thead><tr><th scope="col">Lúc</th><th scope="col">Cán bộ</th><th scope="col">Thao tác</th><th scope="col">Đối tượng</th><th scope="col">Kết quả</th><th scope="col">Chi tiết</th><th scope="col">Địa chỉ IP</th></tr></thead>
<tbody>${entries.map(
        (
          e,
        ) => html`<tr data-audit-id="${e.id}" title="Mã băm ${e.hash}"><td>${time(e.at)}</td><td>${e.username || '—'}</td><td>${AUDIT_ACTION_LABEL[e.action] ?? e.action}</td>
<td>${targetCell(e.target)}</td><td>${OUTCOME[e.outcome]}</td><td>${describeAuditDetails(e.details).map((d) => html`<div>${d}</div>`)}</td><td>${e.clientIp ?? ''}</td></tr>`,
      )}</tbody></table>${nav}`;
      return sendPage(request, reply, { title: 'Nhật ký thao tác', current: 'audit', body });
    },
  );

  app.get(
    '/audit.csv',
    { config: { permission: 'audit.view' }, schema: { querystring: AuditQuery } },
    async (request, reply) => {
      const entries = await listAuditEntries(deps.db, {
        username: request.query.username?.trim() || undefined,
        action: request.query.action || undefined,
        limit: CSV_LIMIT,
      });
      return sendCsv(
        reply,
        'nhat-ky-thao-tac.csv',
        ['Số', 'Lúc', 'Cán bộ', 'Thao tác', 'Đối tượng', 'Kết quả', 'Chi tiết', 'Địa chỉ IP', 'Mã băm'],
        entries.map((e) => [
          e.id,
          formatDateTime(e.at),
          e.username,
          AUDIT_ACTION_LABEL[e.action] ?? e.action,
          e.target ?? '',
          OUTCOME_TEXT[e.outcome],
          describeAuditDetails(e.details).join('; '),
          e.clientIp ?? '',
          e.hash,
        ]),
      );
    },
  );

  app.get('/audit/verify', { config: { permission: 'audit.view' } }, async (request, reply) => {
    const report = await verifyAuditChain(deps);
    const body = html`<p>Đã kiểm tra <strong>${report.checked}</strong> mục nhật ký theo thứ tự ghi: mỗi mục phải
mang mã băm của mục trước nó và mã băm SHA-256 của chính nội dung nó.</p>
${
  report.intact
    ? html`<p data-chain="intact"><span class="badge ok">Chuỗi nguyên vẹn</span> Mã băm mới nhất: <code>${report.headHash}</code>
 (ghi lại mã này ở nơi khác để lần kiểm tra sau phát hiện được cả việc cắt bớt các mục cuối).</p>`
    : html`<p data-chain="broken"><span class="badge err">Chuỗi bị phá vỡ</span> ${report.breaks.length}${
        report.moreBreaks ? '+' : ''
      } chỗ hỏng, chỗ đầu tiên ở mục số ${report.breaks[0]!.id}.</p>
<table><caption>Các chỗ hỏng (theo thứ tự ghi)</caption><thead><tr><th scope="col">Mục số</th><th scope="col">Lúc</th><th scope="col">Hỏng gì</th></tr></thead>
<tbody>${report.breaks.map(
        (b) =>
          html`<tr data-break-id="${b.id}" data-break-kind="${b.kind}"><td>${b.id}</td><td>${time(b.at)}</td><td>${
            b.kind === 'content_changed'
              ? 'Nội dung mục đã bị sửa (không khớp mã băm của nó)'
              : 'Không nối với mục trước: có mục bị xóa, chèn hoặc đổi thứ tự'
          }</td></tr>`,
      )}</tbody></table>`
}
<p><a href="/audit">← Nhật ký thao tác</a></p>`;
    return sendPage(request, reply, {
      title: 'Kiểm tra nhật ký thao tác',
      current: 'audit',
      status: 200,
      body,
    });
  });
}
