// Hạn xử lý: the SLA board. The notifier's open deadlines (requests not finished yet), earliest due
// first with the overdue ones highlighted and the warnings fired so far; the latest warnings; and
// one request's timers.
import { type Static, Type } from '@sinclair/typebox';
import type { ConsoleDeps } from '../domain/deps.ts';
import { readAgencyNames } from '../domain/operations/read-agency-names.ts';
import { formatDateTime, formatDay, formatDeadline, formatRemaining } from '../domain/display/vn-time.ts';
import { day, deadlineTime, html, type SafeHtml, time, trusted } from './html.ts';
import { offsetOf, PAGE_SIZE, pager, sendCsv } from './list-page.ts';
import { label, sendPage } from './page-reply.ts';
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

interface OpenDeadline {
  requestId: string;
  agencyId: string;
  reference: { number: string; date: string };
  itemCount: number;
  receivedAt: string;
  dueAt: string;
  confirmed: boolean | null;
  warnings: { kind: string; firedAt: string }[];
}

interface Deadline {
  requestId: string;
  dueAt: string;
  closedAt: string | null;
  finalStatus: string | null;
  confirmed?: boolean | null;
  timers: { kind: string; fireAt: string; firedAt: string | null; cancelledAt: string | null }[];
}

const WARNING_LABEL: Record<string, string> = {
  half_time: 'Đã qua nửa thời hạn',
  due_day_morning: 'Sáng ngày đến hạn',
  breach: 'Quá hạn',
};

function remaining(dueAt: string, now: Date) {
  const ms = new Date(dueAt).getTime() - now.getTime();
  const left = formatRemaining(ms);
  if (left.overdue) return html`<span class="badge err">${left.text}</span>`;
  return html`<span class="badge ${ms < 8 * 3_600_000 ? 'warn' : ''}">${left.text}</span>`;
}

function calendarState(confirmed: boolean | null | undefined): SafeHtml {
  if (confirmed === true) return html`<span class="badge ok">Lịch chính thức</span>`;
  if (confirmed === false)
    return html`<span class="badge warn" title="Năm chưa có thông báo nghỉ lễ chính thức">Lịch tạm tính</span>`;
  return html`<span class="muted">không rõ</span>`;
}

const warningBadge = (kind: string) =>
  html`<span class="badge ${kind === 'breach' ? 'err' : 'warn'}">${label(WARNING_LABEL, kind)}</span>`;

export function registerDeadlineRoutes(app: PagesScope, deps: ConsoleDeps) {
  const BoardQuery = Type.Object({
    agency: Type.Optional(Type.String({ maxLength: 100 })),
    reference: Type.Optional(Type.String({ maxLength: 100 })),
    overdue: Type.Optional(Type.String({ maxLength: 5 })),
    trang: Type.Optional(Type.String({ maxLength: 6 })),
  });
  type BoardQuery = Static<typeof BoardQuery>;

  async function loadBoard(query: BoardQuery, offset: number, limit: number) {
    const answer = await deps.upstreams.notifier.get<{
      deadlines: OpenDeadline[];
      total: number;
      overdue: number;
    }>('/admin/deadlines', {
      state: 'open',
      agency: query.agency?.trim() || undefined,
      reference: query.reference?.trim() || undefined,
      overdue: query.overdue === 'true' ? 'true' : undefined,
      limit: String(limit),
      offset: String(offset),
    });
    return answer.status === 200 ? answer.body : { deadlines: [], total: 0, overdue: 0 };
  }

  app.get(
    '/deadlines',
    { config: { permission: 'queues.view' }, schema: { querystring: BoardQuery } },
    async (request, reply) => {
      const offset = offsetOf(request.query);
      const [board, warningsAnswer] = await Promise.all([
        loadBoard(request.query, offset, PAGE_SIZE),
        deps.upstreams.notifier.get<{ warnings: Warning[] }>('/admin/warnings', { limit: '20' }),
      ]);
      const open = board.deadlines;
      const warnings = warningsAnswer.status === 200 ? warningsAnswer.body.warnings : [];
      const names = await readAgencyNames(deps, [
        ...open.map((d) => d.agencyId),
        ...warnings.map((w) => w.agencyId),
      ]);
      const now = deps.clock.now();
      // The notifier sends them earliest first; sorting again keeps the board right whatever it sends.
      const sorted = [...open].sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
      const nav = pager({
        path: '/deadlines',
        query: request.query,
        offset,
        shown: sorted.length,
        total: board.total,
        csvPath: '/deadlines.csv',
      });
      const filtered = Boolean(request.query.agency || request.query.reference || request.query.overdue);
      const body = html`
<form class="filters" method="get" action="/deadlines" role="search" aria-label="Lọc bảng hạn">
  <div class="field"><label for="f-agency">Cơ quan (tên viết tắt hoặc mã)</label><input id="f-agency" name="agency" value="${request.query.agency ?? ''}" maxlength="100" placeholder="stttt"></div>
  <div class="field"><label for="f-reference">Số văn bản</label><input id="f-reference" name="reference" value="${request.query.reference ?? ''}" maxlength="100"></div>
  <div class="field"><label><input type="checkbox" name="overdue" value="true"${request.query.overdue === 'true' ? trusted(' checked') : ''}> Chỉ yêu cầu quá hạn</label></div>
  <button type="submit" class="secondary">Lọc</button>${filtered ? html` <a href="/deadlines">Bỏ lọc</a>` : ''}
</form>
<h2>Yêu cầu chưa xong, theo hạn</h2>
${
  sorted.length === 0
    ? html`<p>${filtered ? 'Không có yêu cầu chưa xong nào khớp với bộ lọc.' : 'Không có yêu cầu nào đang chờ xử lý.'}</p>`
    : html`${nav}<table class="deadlines"><caption>${board.total} yêu cầu chưa xong, hạn sớm nhất trước; <strong>${board.overdue}</strong> đã quá hạn.</caption>
<thead><tr><th scope="col">Hạn xử lý</th><th scope="col">Còn lại</th><th scope="col">Cơ quan</th><th scope="col">Văn bản</th><th scope="col">Số mục</th><th scope="col">Lịch</th><th scope="col">Cảnh báo đã phát</th></tr></thead>
<tbody>${sorted.map((d) => {
        const late = Date.parse(d.dueAt) < now.getTime();
        return html`<tr id="deadline-${d.requestId}" data-request-id="${d.requestId}"${
          late ? html` class="overdue" data-overdue="true"` : ''
        }><td><a href="/deadlines/${encodeURIComponent(d.requestId)}">${deadlineTime(d.dueAt)}</a></td><td>${remaining(d.dueAt, now)}</td>
<td>${names.get(d.agencyId) ?? d.agencyId}</td>
<td><a href="/requests/${d.requestId}">${d.reference.number}</a> <span class="muted">${day(d.reference.date)}</span></td>
<td>${d.itemCount}</td><td>${calendarState(d.confirmed)}</td>
<td>${d.warnings.length === 0 ? html`<span class="muted">chưa có</span>` : d.warnings.map((w) => html`${warningBadge(w.kind)} `)}</td></tr>`;
      })}</tbody></table>${nav}`
}
<h2>Cảnh báo hạn đã phát gần đây</h2>
${
  warnings.length === 0
    ? html`<p>Chưa có cảnh báo nào.</p>`
    : html`<table><thead><tr><th scope="col">Phát lúc</th><th scope="col">Cảnh báo</th><th scope="col">Cơ quan</th><th scope="col">Văn bản</th><th scope="col">Hạn xử lý</th></tr></thead><tbody>${warnings.map(
        (w) => html`<tr><td>${time(w.firedAt)}</td><td>${warningBadge(w.kind)}</td>
<td>${names.get(w.agencyId) ?? w.agencyId}</td><td><a href="/requests/${w.requestId}">${w.reference.number}</a> <span class="muted">${day(w.reference.date)}</span></td>
<td><a href="/deadlines/${encodeURIComponent(w.requestId)}">${deadlineTime(w.dueAt)}</a></td></tr>`,
      )}</tbody></table>`
}`;
      return sendPage(request, reply, { title: 'Hạn xử lý', current: 'deadlines', body });
    },
  );

  app.get(
    '/deadlines.csv',
    { config: { permission: 'queues.view' }, schema: { querystring: BoardQuery } },
    async (request, reply) => {
      const board = await loadBoard(request.query, 0, 500);
      const names = await readAgencyNames(
        deps,
        board.deadlines.map((d) => d.agencyId),
      );
      const now = deps.clock.now();
      return sendCsv(
        reply,
        'han-xu-ly.csv',
        [
          'Hạn xử lý',
          'Còn lại',
          'Cơ quan',
          'Số văn bản',
          'Ngày văn bản',
          'Số mục',
          'Tiếp nhận',
          'Cảnh báo đã phát',
          'Mã yêu cầu',
        ],
        board.deadlines.map((d) => [
          formatDeadline(d.dueAt),
          formatRemaining(Date.parse(d.dueAt) - now.getTime()).text,
          names.get(d.agencyId) ?? d.agencyId,
          d.reference.number,
          formatDay(d.reference.date),
          d.itemCount,
          formatDateTime(d.receivedAt),
          d.warnings.map((w) => label(WARNING_LABEL, w.kind)).join('; '),
          d.requestId,
        ]),
      );
    },
  );

  app.get(
    '/deadlines/:requestId',
    {
      config: { permission: 'queues.view' },
      schema: { params: Type.Object({ requestId: Type.String({ maxLength: 100 }) }) },
    },
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
      const body = html`<p>Hạn: ${deadlineTime(d.body.dueAt)} · ${d.body.closedAt ? html`đã xong ${time(d.body.closedAt)}` : remaining(d.body.dueAt, deps.clock.now())} · ${calendarState(d.body.confirmed)}</p>
<table><thead><tr><th scope="col">Mốc</th><th scope="col">Hẹn lúc</th><th scope="col">Đã phát</th><th scope="col">Đã hủy</th></tr></thead><tbody>${d.body.timers.map(
        (t) =>
          html`<tr><td>${label(WARNING_LABEL, t.kind)}</td><td>${time(t.fireAt)}</td><td>${time(t.firedAt)}</td><td>${time(t.cancelledAt)}</td></tr>`,
      )}</tbody></table>
<p><a href="/requests/${d.body.requestId}">Xem yêu cầu</a> · <a href="/deadlines">← Bảng hạn xử lý</a></p>`;
      return sendPage(request, reply, { title: 'Thời hạn của yêu cầu', current: 'deadlines', body });
    },
  );
}
