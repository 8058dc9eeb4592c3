// Báo cáo: the reports an IT centre files, each as a printable page and a download as CSV (UTF-8
// with a byte-order mark, for Excel) or XLSX, both from one table (report-table.ts): Bắc Ninh's
// annual report (Phụ lục 1: per agency, staff with a mailbox, the share using it regularly,
// whether its directory is published), the yearly usage statistics (Thanh Hóa Điều 12 khoản 6,
// Khánh Hòa Điều 11 khoản 7), and SLA compliance per agency over a chosen period. Figures of
// mailboxes are as of today; counts of a year are within it.
import { addDays, type LocalDate, toLocalDate } from '@hopthu/calendar';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleDeps } from '../domain/deps.ts';
import { formatDay } from '../domain/display/vn-time.ts';
import {
  type AnnualReportRow,
  annualReportRows,
  total,
  type UsageRow,
  usageRows,
} from '../domain/reports/annual-report.ts';
import { formatShare, ratio, slaByAgency, slaFigures } from '../domain/reports/figures.ts';
import { type Period, periodOf, yearPeriod } from '../domain/reports/period.ts';
import { readMailboxSummary, readRequestSummary, reportProvinces } from '../domain/reports/read-summaries.ts';
import { PeriodQuery } from './dashboard-routes.ts';
import { html, type SafeHtml, trusted } from './html.ts';
import { AppError } from '@hopthu/shared/errors';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';
import { REPORT_FORMATS, type ReportTable, sendReportTable } from './report-table.ts';

const Province = Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z-]*$' }));
const YearQuery = Type.Object({
  nam: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: '^20[2-9][0-9]$' })])),
  tinh: Province,
});
const SlaQuery = Type.Composite([PeriodQuery, Type.Object({ tinh: Province })]);
type SlaQuery = Static<typeof SlaQuery>;
type YearQuery = Static<typeof YearQuery>;

/** "Regular use": a login in the 30 days before the report's last day. */
const REGULAR_USE_DAYS = 30;

const PRINT_STYLE = trusted(`<style>
@media print { header, .filters, .no-print, .skip { display: none !important; } body { background: #fff; font-size: 12px; } main { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } table { page-break-inside: auto; } tr { page-break-inside: avoid; } }
tfoot td { font-weight: 700; background: #eef2f7; }
td.num, th.num { text-align: right; }
</style>`);

/** The year asked for, up to today when it is the current one. */
function yearOf(query: YearQuery, today: LocalDate): { year: number; period: Period } {
  const year = query.nam ? Number(query.nam) : Number(today.slice(0, 4));
  const whole = yearPeriod(year);
  return { year, period: { from: whole.from, to: whole.to < today ? whole.to : today } };
}

/** The province select of a report's form: every province, or one. */
function provinceField(chosen: string | undefined): SafeHtml {
  return html`<div class="field"><label for="tinh">Tỉnh</label><select id="tinh" name="tinh"><option value="">Mọi tỉnh</option>${reportProvinces().map(
    (p) => html`<option value="${p.id}"${p.id === chosen ? trusted(' selected') : ''}>${p.name}</option>`,
  )}</select></div>`;
}

/** The chosen province, one the installation has a policy for (else the form's field is wrong). */
function provinceOf(query: { tinh?: string | undefined }): string | undefined {
  if (!query.tinh) return undefined;
  if (!reportProvinces().some((p) => p.id === query.tinh)) {
    const message = {
      vi: 'Tỉnh này không có trong các tỉnh của hệ thống',
      en: 'not a province of this installation',
    };
    throw new AppError(
      'validation_failed',
      { vi: 'Tỉnh không hợp lệ', en: 'Unknown province' },
      {
        errors: [{ field: '/querystring/tinh', message }],
      },
    );
  }
  return query.tinh;
}

/** The links that download a report's table (`file`: its path without the extension). */
function downloadLinks(file: string, query: URLSearchParams): SafeHtml {
  return html`<a href="${file}.csv?${query.toString()}" download>Tải CSV</a> <a href="${file}.xlsx?${query.toString()}" download>Tải Excel (XLSX)</a>`;
}

function yearForm(action: string, year: number, file: string, province: string | undefined): SafeHtml {
  const query = new URLSearchParams({ nam: String(year), ...(province ? { tinh: province } : {}) });
  return html`<form class="filters" method="get" action="${action}" aria-label="Chọn năm báo cáo">
  <div class="field"><label for="nam">Năm</label><input id="nam" name="nam" value="${year}" inputmode="numeric" pattern="20[2-9][0-9]" maxlength="4" size="6"></div>
  ${provinceField(province)}
  <button type="submit" class="secondary">Xem</button> ${downloadLinks(file, query)}
  <span class="muted">In: dùng lệnh In của trình duyệt (Ctrl+P); trang in không có thanh chức năng.</span>
</form>`;
}

const num = (n: number | string) => html`<td class="num">${String(n)}</td>`;

function phuLuc1Table(year: number, rows: readonly AnnualReportRow[]): ReportTable {
  return {
    filename: `phu-luc-1-${year}`,
    sheet: `Phụ lục 1 năm ${year}`,
    title: `Báo cáo tình hình quản lý, sử dụng hệ thống thư điện tử công vụ năm ${year} (Phụ lục 1)`,
    columns: [
      'STT',
      'Cơ quan, đơn vị',
      'Tên viết tắt',
      'Số cán bộ',
      'Có hộp thư',
      'Tỷ lệ có hộp thư',
      'Sử dụng thường xuyên',
      'Tỷ lệ sử dụng thường xuyên',
      'Danh bạ công khai',
    ],
    rows: rows.map((r, i) => [
      i + 1,
      r.name,
      r.abbreviation,
      r.staff,
      r.staffWithMailbox,
      { share: r.mailboxShare },
      r.regularUsers,
      { share: r.regularShare },
      r.directoryPublished,
    ]),
  };
}

function usageTable(year: number, rows: readonly UsageRow[]): ReportTable {
  return {
    filename: `thong-ke-su-dung-${year}`,
    sheet: `Thống kê năm ${year}`,
    title: `Thống kê tình hình sử dụng thư điện tử công vụ năm ${year}`,
    columns: [
      'STT',
      'Cơ quan, đơn vị',
      'Tên viết tắt',
      'Đang hoạt động',
      'Tạm khóa, bị khóa',
      'Đã xóa',
      'Cấp mới trong năm',
      'Hủy trong năm',
      'Sử dụng thường xuyên',
      'Hộp thư cơ quan',
    ],
    rows: rows.map((r, i) => [
      i + 1,
      r.name,
      r.abbreviation,
      r.active,
      r.suspendedOrLocked,
      r.deleted,
      r.created,
      r.deletedInPeriod,
      r.regularUsers,
      r.agencyMailbox,
    ]),
  };
}

function slaTable(
  period: Period,
  rows: readonly {
    name: string;
    abbreviation: string;
    received: number;
    onTime: number;
    late: number;
    pending: number;
    share: number | null;
  }[],
): ReportTable {
  return {
    filename: `dung-han-${period.from}-${period.to}`,
    sheet: 'Tỷ lệ đúng hạn',
    title: `Tỷ lệ xử lý đúng hạn theo cơ quan, từ ${formatDay(period.from)} đến ${formatDay(period.to)}`,
    columns: [
      'Cơ quan',
      'Tên viết tắt',
      'Tiếp nhận',
      'Đúng hạn',
      'Trễ hạn',
      'Chưa đến hạn',
      'Tỷ lệ đúng hạn',
    ],
    rows: rows.map((r) => [
      r.name,
      r.abbreviation,
      r.received,
      r.onTime,
      r.late,
      r.pending,
      { share: r.share },
    ]),
  };
}

export function registerReportRoutes(app: PagesScope, deps: ConsoleDeps) {
  const today = () => toLocalDate(deps.clock.now());

  /** A year's per-agency figures, from which both the annual report and the usage statistics come. */
  async function yearAgencies(query: YearQuery) {
    const { year, period } = yearOf(query, today());
    const summary = await readMailboxSummary(deps, {
      period,
      activeSince: addDays(period.to, 1 - REGULAR_USE_DAYS),
      province: provinceOf(query),
    });
    return { year, period, agencies: summary.agencies };
  }

  async function annual(query: YearQuery) {
    const { agencies, ...when } = await yearAgencies(query);
    return { ...when, rows: annualReportRows(agencies) };
  }

  async function usage(query: YearQuery) {
    const { agencies, ...when } = await yearAgencies(query);
    return { ...when, rows: usageRows(agencies) };
  }

  async function sla(query: SlaQuery) {
    const period = periodOf(query, today());
    const [requests, mailboxes] = await Promise.all([
      readRequestSummary(deps, { period, province: provinceOf(query) }),
      readMailboxSummary(deps, { period, activeSince: period.from, province: provinceOf(query) }),
    ]);
    const names = new Map(mailboxes.agencies.map((a) => [a.agencyId, a]));
    const perAgency = slaByAgency(requests.requests, today());
    const rows = [...perAgency]
      .map(([agencyId, f]) => ({
        agencyId,
        name: names.get(agencyId)?.name ?? agencyId,
        abbreviation: names.get(agencyId)?.abbreviation ?? '',
        ...f,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    return {
      period,
      rows,
      all: slaFigures(requests.requests, today()),
      truncated: requests.truncated,
    };
  }

  /** `<path>.csv` and `<path>.xlsx`: the report's table in each format, from one builder. */
  function downloads<Q>(path: string, querystring: TSchema, table: (query: Q) => Promise<ReportTable>) {
    for (const format of REPORT_FORMATS)
      app.get(
        `${path}.${format}`,
        { config: { permission: 'queues.view' }, schema: { querystring } },
        async (request, reply) => sendReportTable(reply, await table(request.query as Q), format),
      );
  }

  const page = (request: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml) =>
    sendPage(request, reply, { title, current: 'reports', body: html`${PRINT_STYLE}${body}` });

  app.get('/reports', { config: { permission: 'queues.view' } }, async (request, reply) => {
    const year = today().slice(0, 4);
    return page(
      request,
      reply,
      'Báo cáo',
      html`<ul>
<li><a href="/reports/phu-luc-1?nam=${year}&amp;tinh=bac-ninh">Báo cáo hằng năm (Bắc Ninh, Phụ lục 1)</a>: mỗi cơ quan, số cán bộ có hộp thư, tỷ lệ sử dụng thường xuyên, danh bạ đã công khai. Hạn nộp: trước ngày 15/11.</li>
<li><a href="/reports/usage?nam=${year}">Thống kê sử dụng hằng năm</a> (Thanh Hóa Điều 12 khoản 6, Khánh Hòa Điều 11 khoản 7): hộp thư theo trạng thái, cấp mới và hủy trong năm.</li>
<li><a href="/reports/sla">Tỷ lệ xử lý đúng hạn theo cơ quan</a> trong một khoảng thời gian chọn.</li>
</ul><p class="muted">Mỗi báo cáo có trang in, tệp CSV và tệp Excel (XLSX) cùng số liệu.</p>`,
    );
  });

  app.get(
    '/reports/phu-luc-1',
    { config: { permission: 'queues.view' }, schema: { querystring: YearQuery } },
    async (request, reply) => {
      const { year, period, rows } = await annual(request.query);
      const staff = total(rows, (r) => r.staff);
      const withMailbox = total(rows, (r) => r.staffWithMailbox);
      const regular = total(rows, (r) => r.regularUsers);
      const body = html`${yearForm('/reports/phu-luc-1', year, '/reports/phu-luc-1', provinceOf(request.query))}
<p>Báo cáo tình hình quản lý, sử dụng hệ thống thư điện tử công vụ năm ${year} (Phụ lục 1), số liệu đến ngày ${formatDay(period.to)}. “Sử dụng thường xuyên”: có đăng nhập trong ${REGULAR_USE_DAYS} ngày đến ${formatDay(period.to)}. Số cán bộ là số người danh bạ ghi nhận cho cơ quan.</p>
<table id="phu-luc-1"><thead><tr><th scope="col">STT</th><th scope="col">Cơ quan, đơn vị</th><th scope="col" class="num">Số cán bộ</th><th scope="col" class="num">Có hộp thư</th><th scope="col" class="num">Tỷ lệ có hộp thư</th><th scope="col" class="num">Sử dụng thường xuyên</th><th scope="col" class="num">Tỷ lệ sử dụng thường xuyên</th><th scope="col">Danh bạ công khai</th></tr></thead>
<tbody>${rows.map(
        (r, i) =>
          html`<tr data-agency-id="${r.agencyId}" data-abbreviation="${r.abbreviation}">${num(i + 1)}<td>${r.name} <span class="muted">(${r.abbreviation})</span></td>${num(r.staff)}${num(r.staffWithMailbox)}${num(formatShare(r.mailboxShare))}${num(r.regularUsers)}${num(formatShare(r.regularShare))}<td>${r.directoryPublished}</td></tr>`,
      )}</tbody>
<tfoot><tr><td></td><td>Tổng cộng (${rows.length} cơ quan)</td>${num(staff)}${num(withMailbox)}${num(formatShare(ratio(withMailbox, staff)))}${num(regular)}${num(formatShare(ratio(regular, withMailbox)))}<td>${rows.filter((r) => !r.directoryPublished.startsWith('Chưa')).length} cơ quan</td></tr></tfoot></table>`;
      return page(request, reply, `Báo cáo năm ${year} (Phụ lục 1)`, body);
    },
  );

  downloads('/reports/phu-luc-1', YearQuery, async (query: YearQuery) => {
    const { year, rows } = await annual(query);
    return phuLuc1Table(year, rows);
  });

  app.get(
    '/reports/usage',
    { config: { permission: 'queues.view' }, schema: { querystring: YearQuery } },
    async (request, reply) => {
      const { year, period, rows } = await usage(request.query);
      const body = html`${yearForm('/reports/usage', year, '/reports/usage', provinceOf(request.query))}
<p>Thống kê tình hình sử dụng thư điện tử công vụ năm ${year}, đến ngày ${formatDay(period.to)}: hộp thư theo trạng thái hôm nay, cấp mới và hủy trong năm.</p>
<table id="usage"><thead><tr><th scope="col">STT</th><th scope="col">Cơ quan, đơn vị</th><th scope="col" class="num">Đang hoạt động</th><th scope="col" class="num">Tạm khóa, bị khóa</th><th scope="col" class="num">Đã xóa</th><th scope="col" class="num">Cấp mới trong năm</th><th scope="col" class="num">Hủy trong năm</th><th scope="col" class="num">Sử dụng thường xuyên</th><th scope="col">Hộp thư cơ quan</th></tr></thead>
<tbody>${rows.map(
        (r, i) =>
          html`<tr data-agency-id="${r.agencyId}">${num(i + 1)}<td>${r.name} <span class="muted">(${r.abbreviation})</span></td>${num(r.active)}${num(r.suspendedOrLocked)}${num(r.deleted)}${num(r.created)}${num(r.deletedInPeriod)}${num(r.regularUsers)}<td>${r.agencyMailbox}</td></tr>`,
      )}</tbody>
<tfoot><tr><td></td><td>Tổng cộng</td>${num(total(rows, (r) => r.active))}${num(total(rows, (r) => r.suspendedOrLocked))}${num(total(rows, (r) => r.deleted))}${num(total(rows, (r) => r.created))}${num(total(rows, (r) => r.deletedInPeriod))}${num(total(rows, (r) => r.regularUsers))}<td></td></tr></tfoot></table>`;
      return page(request, reply, `Thống kê sử dụng năm ${year}`, body);
    },
  );

  downloads('/reports/usage', YearQuery, async (query: YearQuery) => {
    const { year, rows } = await usage(query);
    return usageTable(year, rows);
  });

  app.get(
    '/reports/sla',
    { config: { permission: 'queues.view' }, schema: { querystring: SlaQuery } },
    async (request, reply) => {
      const { period, rows, all, truncated } = await sla(request.query);
      const province = provinceOf(request.query);
      const query = new URLSearchParams({
        tu: period.from,
        den: period.to,
        ...(province ? { tinh: province } : {}),
      });
      const body = html`<form class="filters" method="get" action="/reports/sla" aria-label="Chọn khoảng thời gian">
  <div class="field"><label for="tu">Từ ngày</label><input id="tu" name="tu" type="date" value="${period.from}"></div>
  <div class="field"><label for="den">Đến hết ngày</label><input id="den" name="den" type="date" value="${period.to}"></div>
  ${provinceField(province)}
  <button type="submit" class="secondary">Xem</button> ${downloadLinks('/reports/sla', query)}
</form>
<p>Yêu cầu tiếp nhận từ ${formatDay(period.from)} đến ${formatDay(period.to)}. Đúng hạn: có kết quả trước 24:00 của ngày làm việc cuối cùng theo quy chế của tỉnh (ngày nghỉ, lễ không tính); yêu cầu chưa xong mà đã qua hạn tính là trễ hạn, chưa đến hạn thì chưa tính.</p>
${truncated ? html`<p class="notice error">Khoảng thời gian có quá nhiều yêu cầu; chỉ tính phần đầu.</p>` : ''}
<table id="sla"><thead><tr><th scope="col">Cơ quan</th><th scope="col" class="num">Tiếp nhận</th><th scope="col" class="num">Đúng hạn</th><th scope="col" class="num">Trễ hạn</th><th scope="col" class="num">Chưa đến hạn</th><th scope="col" class="num">Tỷ lệ đúng hạn</th></tr></thead>
<tbody>${rows.map(
        (r) =>
          html`<tr data-agency-id="${r.agencyId}"><td>${r.name}${r.abbreviation ? html` <span class="muted">(${r.abbreviation})</span>` : ''}</td>${num(r.received)}${num(r.onTime)}${num(r.late)}${num(r.pending)}${num(formatShare(r.share))}</tr>`,
      )}</tbody>
<tfoot><tr><td>Tổng cộng</td>${num(all.onTime + all.late + all.pending)}${num(all.onTime)}${num(all.late)}${num(all.pending)}${num(formatShare(all.share))}</tr></tfoot></table>`;
      return page(request, reply, 'Tỷ lệ xử lý đúng hạn', body);
    },
  );

  downloads('/reports/sla', SlaQuery, async (query: SlaQuery) => {
    const { period, rows } = await sla(query);
    return slaTable(period, rows);
  });
}
