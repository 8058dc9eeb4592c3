// Hạn xử lý: the SLA board. The notifier's fired warnings (with each request's deadline: still
// open or closed), and the items waiting for approval ordered by their deadline.
import { Type } from '@sinclair/typebox';
import type { ConsoleDeps } from '../domain/deps.ts';
import type { PendingItem } from '../domain/operations/approval-views.ts';
import { readAgencyNames } from '../domain/operations/read-agency-names.ts';
import { html, time } from './html.ts';
import { label, OPERATION_LABEL, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

interface Warning {
  id: string;
  requestId: string;
  kind: string;
  agencyId: string;
  reference: { number: string; date: string };
  dueAt: string;
  firedAt: string;
}

interface Deadline {
  requestId: string;
  dueAt: string;
  closedAt: string | null;
  finalStatus: string | null;
  timers: { kind: string; fireAt: string; firedAt: string | null; cancelledAt: string | null }[];
}

const WARNING_LABEL: Record<string, string> = {
  half_time: 'Đã qua nửa thời hạn',
  due_day_morning: 'Sáng ngày đến hạn',
  breach: 'Quá hạn',
};

function remaining(dueAt: string, now: Date) {
  const ms = new Date(dueAt).getTime() - now.getTime();
  const hours = Math.round(Math.abs(ms) / 3_600_000);
  if (ms < 0) return html`<span class="badge err">Quá hạn ${hours} giờ</span>`;
  return html`<span class="badge ${hours < 8 ? 'warn' : ''}">Còn ${hours} giờ</span>`;
}

export function registerDeadlineRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get('/deadlines', async (request, reply) => {
    const [warningsAnswer, pendingAnswer] = await Promise.all([
      deps.upstreams.notifier.get<{ warnings: Warning[] }>('/admin/warnings', { limit: '50' }),
      deps.upstreams.requests.get<{ items: PendingItem[] }>('/admin/approvals', { limit: '100' }),
    ]);
    const warnings = warningsAnswer.status === 200 ? warningsAnswer.body.warnings : [];
    const pending = pendingAnswer.status === 200 ? pendingAnswer.body.items : [];
    const deadlines = new Map<string, Deadline>();
    await Promise.all(
      [...new Set(warnings.map((w) => w.requestId))].map(async (id) => {
        const d = await deps.upstreams.notifier.get<Deadline>(`/admin/deadlines/${encodeURIComponent(id)}`);
        if (d.status === 200) deadlines.set(id, d.body);
      }),
    );
    const names = await readAgencyNames(deps, [
      ...warnings.map((w) => w.agencyId),
      ...pending.map((p) => p.itemAgencyId ?? p.agencyId),
    ]);
    const now = deps.clock.now();
    const body = html`
<h2>Đang chờ phê duyệt, theo hạn</h2>
${
  pending.length === 0
    ? html`<p>Không có mục nào đang chờ phê duyệt.</p>`
    : html`<table><thead><tr><th scope="col">Hạn xử lý</th><th scope="col">Còn lại</th><th scope="col">Cơ quan</th><th scope="col">Văn bản</th><th scope="col">Thao tác</th><th scope="col">Đã duyệt</th></tr></thead><tbody>${pending.map(
        (p) => html`<tr><td>${time(p.dueAt)}</td><td>${remaining(p.dueAt, now)}</td>
<td>${names.get(p.itemAgencyId ?? p.agencyId) ?? p.agencyId}</td>
<td><a href="/requests/${p.requestId}">${p.reference.number}</a></td>
<td>${label(OPERATION_LABEL, p.operation)} ${p.address ?? ''}</td><td>${p.approvals.length}/${p.approvalsNeeded}</td></tr>`,
      )}</tbody></table>`
}
<h2>Cảnh báo hạn đã phát (mới nhất trước)</h2>
${
  warnings.length === 0
    ? html`<p>Chưa có cảnh báo nào.</p>`
    : html`<table><thead><tr><th scope="col">Phát lúc</th><th scope="col">Cảnh báo</th><th scope="col">Cơ quan</th><th scope="col">Văn bản</th><th scope="col">Hạn xử lý</th><th scope="col">Tình trạng hạn</th></tr></thead><tbody>${warnings.map(
        (w) => {
          const d = deadlines.get(w.requestId);
          const state = !d
            ? html`<span class="muted">không rõ</span>`
            : d.closedAt
              ? html`<span class="badge ok">Đã xong (${d.finalStatus ?? ''})</span> ${time(d.closedAt)}`
              : remaining(d.dueAt, now);
          return html`<tr><td>${time(w.firedAt)}</td><td><span class="badge ${w.kind === 'breach' ? 'err' : 'warn'}">${label(WARNING_LABEL, w.kind)}</span></td>
<td>${names.get(w.agencyId) ?? w.agencyId}</td><td><a href="/requests/${w.requestId}">${w.reference.number}</a> <span class="muted">${w.reference.date}</span></td>
<td>${time(w.dueAt)}</td><td>${state}</td></tr>`;
        },
      )}</tbody></table>`
}`;
    return sendPage(request, reply, { title: 'Hạn xử lý', current: 'deadlines', body });
  });

  app.get(
    '/deadlines/:requestId',
    { schema: { params: Type.Object({ requestId: Type.String({ maxLength: 100 }) }) } },
    async (request, reply) => {
      const d = await deps.upstreams.notifier.get<Deadline>(
        `/admin/deadlines/${encodeURIComponent(request.params.requestId)}`,
      );
      if (d.status !== 200) {
        return sendPage(request, reply, {
          title: 'Hạn xử lý',
          current: 'deadlines',
          status: 404,
          notice: { kind: 'error', text: 'Không có thời hạn cho yêu cầu này.' },
          body: html`<p><a href="/deadlines">← Bảng hạn xử lý</a></p>`,
        });
      }
      const body = html`<p>Hạn: ${time(d.body.dueAt)} · ${d.body.closedAt ? html`đã xong ${time(d.body.closedAt)}` : remaining(d.body.dueAt, deps.clock.now())}</p>
<table><thead><tr><th scope="col">Mốc</th><th scope="col">Hẹn lúc</th><th scope="col">Đã phát</th><th scope="col">Đã hủy</th></tr></thead><tbody>${d.body.timers.map(
        (t) =>
          html`<tr><td>${label(WARNING_LABEL, t.kind)}</td><td>${time(t.fireAt)}</td><td>${time(t.firedAt)}</td><td>${time(t.cancelledAt)}</td></tr>`,
      )}</tbody></table>
<p><a href="/requests/${d.body.requestId}">Xem yêu cầu</a> · <a href="/deadlines">← Bảng hạn xử lý</a></p>`;
      return sendPage(request, reply, { title: 'Thời hạn của yêu cầu', current: 'deadlines', body });
    },
  );
}
