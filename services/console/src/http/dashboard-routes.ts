// Tổng quan: the console's home. Mailboxes by state and by agency, requests open, due today and
// overdue, SLA compliance over 30 days (share answered within the province's working days),
// failures and dead letters waiting, and two charts drawn on the server as SVG (requests per day,
// time from request to result). Every figure links to the list it counts.
import { toLocalDate } from '@hopthu/calendar';
import { type Static, Type } from '@sinclair/typebox';
import type { ConsoleDeps } from '../domain/deps.ts';
import { formatDay } from '../domain/display/vn-time.ts';
import { countParkedEvents } from '../domain/operations/replay-parked-event.ts';
import { barChartSvg } from '../domain/reports/bar-chart.ts';
import { formatShare, requestsPerDay, resultTimes, slaFigures } from '../domain/reports/figures.ts';
import { periodOf } from '../domain/reports/period.ts';
import {
  countDeadLetters,
  readMailboxSummary,
  readRequestSummary,
} from '../domain/reports/read-summaries.ts';
import { STATE_LABEL } from './directory-routes.ts';
import { html, type SafeHtml, trusted } from './html.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const DAY = '^\\d{4}-\\d{2}-\\d{2}$';
export const PeriodQuery = Type.Object({
  tu: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DAY })])),
  den: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: DAY })])),
});
export type PeriodQuery = Static<typeof PeriodQuery>;

const STATES = ['active', 'suspended', 'locked', 'provisioning', 'deleted'] as const;
const TOP_AGENCIES = 15;

const DASHBOARD_STYLE = trusted(`<style>
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 12px; margin: 0 0 8px; padding: 0; list-style: none; }
.figures a { display: block; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; text-decoration: none; color: inherit; }
.figures a:hover, .figures a:focus-visible { border-color: var(--blue); }
.figures .n { display: block; font-size: 28px; font-weight: 700; color: var(--blue); }
.figures .warn .n { color: #7a5200; } .figures .err .n { color: var(--err); }
.charts { display: flex; flex-wrap: wrap; gap: 20px; }
.charts figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px; }
.charts figcaption { font-weight: 600; margin-bottom: 6px; }
.charts svg { max-width: 100%; height: auto; }
</style>`);

function figure(p: {
  id: string;
  value: string | number;
  label: string;
  href: string;
  tone?: string;
}): SafeHtml {
  return html`<li><a id="fig-${p.id}" class="${p.tone ?? ''}" href="${p.href}"><span class="n" data-figure="${p.id}">${String(p.value)}</span>${p.label}</a></li>`;
}

export function registerDashboardRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/dashboard',
    { config: { permission: 'queues.view' }, schema: { querystring: PeriodQuery } },
    async (request, reply) => {
      const today = toLocalDate(deps.clock.now());
      // Always 30 days: only the last day can be chosen (to look at a past month).
      const period = periodOf({ den: request.query.den }, today);
      const [requests, mailboxes, deadLetters, parkedEvents] = await Promise.all([
        readRequestSummary(deps, { period }),
        readMailboxSummary(deps, { period, activeSince: period.from }),
        countDeadLetters(deps),
        countParkedEvents(deps),
      ]);
      const sla = slaFigures(requests.requests, today);
      const perDay = requestsPerDay(requests.requests, period.from, period.to);
      const times = resultTimes(requests.requests);
      const slaLink = `/reports/sla?tu=${period.from}&den=${period.to}`;
      const totalMailboxes = STATES.reduce((n, s) => n + (mailboxes.byState[s] ?? 0), 0);
      const agencies = [...mailboxes.agencies]
        .map((a) => ({
          ...a,
          live: STATES.filter((s) => s !== 'deleted').reduce((n, s) => n + (a.byState[s] ?? 0), 0),
        }))
        .sort((a, b) => b.live - a.live || a.name.localeCompare(b.name, 'vi'))
        .slice(0, TOP_AGENCIES);
      const perDayChart = barChartSvg({
        title: `Yêu cầu tiếp nhận mỗi ngày, ${formatDay(period.from)}–${formatDay(period.to)}`,
        bars: perDay.map((d) => ({
          label: formatDay(d.day).slice(0, 5),
          value: d.count,
          title: `${formatDay(d.day)}: ${d.count} yêu cầu`,
        })),
        labelEvery: 5,
      });
      const timesChart = barChartSvg({
        title: 'Thời gian từ khi tiếp nhận đến khi có kết quả (ngày làm việc)',
        bars: times.map((t) => ({ label: t.label, value: t.count, title: `${t.label}: ${t.count} yêu cầu` })),
        width: 460,
      });
      const body = html`${DASHBOARD_STYLE}
<form class="filters" method="get" action="/dashboard" aria-label="Chọn khoảng thời gian">
  <div class="field"><label for="den">30 ngày, đến hết ngày</label><input id="den" name="den" type="date" value="${period.to}"></div>
  <button type="submit" class="secondary">Xem</button> <span class="muted">${formatDay(period.from)} – ${formatDay(period.to)}</span>
</form>
<h2>Yêu cầu</h2>
<ul class="figures" aria-label="Yêu cầu">
${figure({ id: 'open', value: requests.open, label: 'yêu cầu đang mở', href: '/deadlines' })}
${figure({ id: 'due-today', value: requests.dueToday, label: 'đến hạn hôm nay', href: '/deadlines', tone: requests.dueToday > 0 ? 'warn' : '' })}
${figure({ id: 'overdue', value: requests.overdue, label: 'đã quá hạn', href: '/deadlines?overdue=true', tone: requests.overdue > 0 ? 'err' : '' })}
${figure({ id: 'sla', value: formatShare(sla.share), label: `trả lời đúng hạn trong 30 ngày (${sla.onTime}/${sla.counted})`, href: slaLink })}
${figure({ id: 'received', value: requests.requests.length, label: 'yêu cầu tiếp nhận trong 30 ngày', href: slaLink })}
${figure({ id: 'failed', value: requests.failedItems, label: 'mục thất bại trong 30 ngày', href: slaLink, tone: requests.failedItems > 0 ? 'err' : '' })}
${figure({ id: 'dead-letters', value: deadLetters, label: 'lệnh cấp phát lỗi chờ xử lý', href: '/dead-letters', tone: deadLetters > 0 ? 'err' : '' })}
${figure({ id: 'parked-events', value: parkedEvents, label: 'sự kiện bị tạm giữ', href: '/parked-events', tone: parkedEvents > 0 ? 'err' : '' })}
</ul>
${requests.truncated ? html`<p class="notice error">Khoảng thời gian có quá nhiều yêu cầu; biểu đồ chỉ tính phần đầu.</p>` : ''}
<div class="charts">
<figure id="chart-per-day"><figcaption><a href="${slaLink}">Yêu cầu mỗi ngày</a></figcaption>${trusted(perDayChart)}</figure>
<figure id="chart-result-times"><figcaption><a href="${slaLink}">Thời gian đến khi có kết quả</a></figcaption>${trusted(timesChart)}</figure>
</div>
<h2>Hộp thư theo trạng thái</h2>
<ul class="figures" aria-label="Hộp thư theo trạng thái">
${figure({ id: 'mailboxes', value: totalMailboxes, label: 'hộp thư trong danh bạ', href: '/reports/usage' })}
${STATES.map((s) =>
  figure({
    id: `state-${s}`,
    value: mailboxes.byState[s] ?? 0,
    label: (STATE_LABEL[s] ?? s).toLowerCase(),
    href: s === 'deleted' ? '/reports/usage' : `/directory?state=${s}`,
    tone: s === 'locked' && (mailboxes.byState[s] ?? 0) > 0 ? 'warn' : '',
  }),
)}
</ul>
<h2>Hộp thư theo cơ quan</h2>
<table id="by-agency"><caption>${TOP_AGENCIES} cơ quan nhiều hộp thư nhất trong ${mailboxes.agencies.length}; <a href="/reports/usage">xem tất cả</a></caption>
<thead><tr><th scope="col">Cơ quan</th>${STATES.map((s) => html`<th scope="col">${STATE_LABEL[s] ?? s}</th>`)}</tr></thead>
<tbody>${agencies.map(
        (a) =>
          html`<tr data-agency-id="${a.agencyId}"><td><a href="/directory?agency=${encodeURIComponent(a.abbreviation)}">${a.name}</a> <span class="muted">(${a.abbreviation})</span></td>${STATES.map(
            (s) => html`<td>${a.byState[s] ?? 0}</td>`,
          )}</tr>`,
      )}</tbody></table>`;
      return sendPage(request, reply, { title: 'Tổng quan', current: 'dashboard', body });
    },
  );
}
