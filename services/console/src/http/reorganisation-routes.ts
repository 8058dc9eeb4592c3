// Sắp xếp tổ chức: the directory's reorganisation plans (mergers of provinces and agencies,
// dissolved districts, renames). A plan's dry run with its counts per agency and its address
// changes (searchable, paged, as CSV), the two approvals by different operators, the apply and its
// progress, which the page refreshes by itself while it runs (no JavaScript needed), and the
// cancellation, with a reason, of a plan not yet being applied (a scheduled one included).
import { type Static, Type } from '@sinclair/typebox';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { decideReorganisation } from '../domain/operations/decide-reorganisation.ts';
import { day, html, type SafeHtml, time } from './html.ts';
import { offsetOf, PAGE_SIZE, pager, sendCsv } from './list-page.ts';
import { label, noticeFrom, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';
import { progressBar, refreshWhile } from './progress.ts';

interface PlanListItem {
  id: string;
  title: string;
  effectiveFrom: string;
  state: string;
  changes: number;
  applied: number;
  conflicts: number;
  createdAt: string;
}

interface PlanView {
  id: string;
  title: string;
  basis?: string;
  effectiveFrom: string;
  state: string;
  /** A scheduled plan: the instant the directory applies it, and who asked for the apply. */
  scheduledFor?: string | null;
  scheduledBy?: string | null;
  /** Who cancelled the plan, when and why; null while it is not cancelled. */
  cancelled?: { by: string; at: string; reason: string } | null;
  createdAt: string;
  createdBy: string;
  mailboxesChanged: number;
  agenciesChanged: number;
  conflicts: { kind: string; message?: unknown; agencyId?: string }[];
  perAgency: { agencyId: string; name: string; abbreviation: string; province: string; changed: number }[];
  domainMoves: { domain: string; fromProvince: string; intoProvince: string; primaryDomain: string }[];
  approvals: { operator: string; reason: string; at: string }[];
  progress: { total: number; applied: number; startedAt: string | null; finishedAt: string | null };
}

interface Change {
  seq: number;
  mailboxId: string;
  kind: string;
  displayName: string;
  from: string;
  to: string;
  state: string;
  note: string | null;
}

const STATE_LABEL: Record<string, string> = {
  computed: 'Đã tính thử, chờ phê duyệt',
  approved: 'Đã đủ phê duyệt',
  scheduled: 'Đã hẹn ngày thực hiện',
  applying: 'Đang thực hiện',
  applied: 'Đã thực hiện',
  cancelled: 'Đã hủy',
};

/** States in which the directory still lets a plan be cancelled (nothing of it applied). */
const CANCELLABLE = new Set(['computed', 'approved', 'scheduled']);
const CHANGE_STATE_LABEL: Record<string, string> = {
  pending: 'Chờ thực hiện',
  applied: 'Đã đổi',
  skipped: 'Bỏ qua',
};

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9A-Za-z-]{1,64}$' }) });
const DetailQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  trang: Type.Optional(Type.String({ maxLength: 6 })),
  notice: Type.Optional(Type.String({ maxLength: 40 })),
});
type DetailQuery = Static<typeof DetailQuery>;
const ApproveBody = Type.Object({
  _csrf: Type.String(),
  reason: Type.String({ minLength: 1, maxLength: 1000 }),
});
const ApplyBody = Type.Object({ _csrf: Type.String() });

function progressOf(p: PlanView): SafeHtml {
  return progressBar({
    done: p.progress.applied,
    total: p.progress.total,
    what: 'hộp thư đã đổi địa chỉ',
    startedAt: p.progress.startedAt,
    finishedAt: p.progress.finishedAt,
  });
}

export function registerReorganisationRoutes(app: PagesScope, deps: ConsoleDeps) {
  const directory = deps.upstreams.directory;

  app.get('/reorganisations', { config: { permission: 'queues.view' } }, async (request, reply) => {
    const answer = await directory.get<{ items: PlanListItem[] }>('/admin/reorganisations');
    const plans = answer.status === 200 ? answer.body.items : [];
    const body =
      plans.length === 0
        ? html`<p>Chưa có phương án sắp xếp nào. Phương án được gửi bằng <code>./hopthu reorganise &lt;plan.json&gt;</code> hoặc API quản trị của danh bạ (<code>POST /admin/reorganisations</code>); mỗi phương án được tính thử trước, không thay đổi gì.</p>`
        : html`<table><caption>${plans.length} phương án sắp xếp tổ chức, mới nhất trước</caption>
<thead><tr><th scope="col">Phương án</th><th scope="col">Hiệu lực từ</th><th scope="col">Trạng thái</th><th scope="col">Hộp thư đổi địa chỉ</th><th scope="col">Đã đổi</th><th scope="col">Vướng mắc</th><th scope="col">Tạo lúc</th></tr></thead>
<tbody>${plans.map(
            (p) => html`<tr data-plan-id="${p.id}"><td><a href="/reorganisations/${p.id}">${p.title}</a></td>
<td>${day(p.effectiveFrom)}</td><td>${label(STATE_LABEL, p.state)}</td><td>${p.changes}</td><td>${p.applied}</td><td>${p.conflicts}</td><td>${time(p.createdAt)}</td></tr>`,
          )}</tbody></table>`;
    return sendPage(request, reply, { title: 'Sắp xếp tổ chức', current: 'reorganisations', body });
  });

  async function loadChanges(id: string, query: DetailQuery, offset: number, limit: number) {
    const answer = await directory.get<{ items: Change[] }>(
      `/admin/reorganisations/${encodeURIComponent(id)}/changes`,
      { q: query.q?.trim() || undefined, limit: String(limit), offset: String(offset) },
    );
    return answer.status === 200 ? answer.body.items : [];
  }

  app.get(
    '/reorganisations/:id',
    { config: { permission: 'queues.view' }, schema: { params: Id, querystring: DetailQuery } },
    async (request, reply) => {
      const session = request.consoleSession!;
      const answer = await directory.get<PlanView>(
        `/admin/reorganisations/${encodeURIComponent(request.params.id)}`,
      );
      if (answer.status !== 200) {
        return sendPage(request, reply, {
          title: 'Sắp xếp tổ chức',
          current: 'reorganisations',
          status: 404,
          notice: { kind: 'error', text: 'Không có phương án sắp xếp này.' },
          body: html`<p><a href="/reorganisations">← Các phương án</a></p>`,
        });
      }
      const plan = answer.body;
      const offset = offsetOf(request.query);
      // One page more than shown tells whether there is a next page; the total is the dry run's count
      // when nothing is searched.
      const changes = await loadChanges(plan.id, request.query, offset, PAGE_SIZE);
      const searched = Boolean(request.query.q?.trim());
      const total = searched
        ? offset + changes.length + (changes.length === PAGE_SIZE ? PAGE_SIZE : 0)
        : plan.mailboxesChanged;
      const { notice: _notice, ...query } = request.query;
      const nav = pager({
        path: `/reorganisations/${plan.id}`,
        query,
        offset,
        shown: changes.length,
        total,
        csvPath: `/reorganisations/${plan.id}/changes.csv`,
      });
      const mayDecide = can(session.role, 'approvals.decide');
      const approvedByMe = plan.approvals.some((a) => a.operator === session.username);
      const csrf = session.csrfToken;
      const actions = !mayDecide
        ? html`<p class="muted">Vai trò của bạn chỉ được xem.</p>`
        : plan.state === 'computed'
          ? approvedByMe
            ? html`<p class="muted">Bạn đã phê duyệt phương án này; cần một cán bộ khác phê duyệt.</p>`
            : html`<form method="post" action="/reorganisations/${plan.id}/approve" class="actions">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div><label for="reason">Lý do phê duyệt (bắt buộc)</label><input id="reason" name="reason" required maxlength="1000" size="40"></div>
  <button type="submit" data-action="approve">Phê duyệt phương án</button></form>`
          : plan.state === 'approved'
            ? html`<form method="post" action="/reorganisations/${plan.id}/apply" class="actions">
  <input type="hidden" name="_csrf" value="${csrf}">
  <button type="submit" data-action="apply">Thực hiện phương án</button>
  <span class="muted">Phương án có ngày hiệu lực sau hôm nay sẽ được hẹn và tự thực hiện vào ngày đó.</span></form>`
            : '';
      const cancel =
        mayDecide && CANCELLABLE.has(plan.state)
          ? html`<form method="post" action="/reorganisations/${plan.id}/cancel" class="actions">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div><label for="cancel-reason">Lý do hủy phương án (bắt buộc)</label><input id="cancel-reason" name="reason" required maxlength="1000" size="40"></div>
  <button type="submit" data-action="cancel">Hủy phương án</button>
  <span class="muted">Phương án đã hủy không được thực hiện, kể cả khi đã hẹn ngày.</span></form>`
          : '';
      const body = html`
<dl>
  <dt>Trạng thái</dt><dd data-state="${plan.state}">${label(STATE_LABEL, plan.state)}</dd>
  <dt>Hiệu lực từ</dt><dd>${day(plan.effectiveFrom)}</dd>
  ${
    plan.state === 'scheduled' && plan.scheduledFor
      ? html`<dt>Hẹn thực hiện</dt><dd data-scheduled-for="${plan.scheduledFor}">Tự động lúc ${time(plan.scheduledFor)} (ngày hiệu lực), theo yêu cầu của ${plan.scheduledBy ?? '—'}; trước ngày đó không có gì thay đổi.</dd>`
      : ''
  }
  ${
    plan.cancelled
      ? html`<dt>Đã hủy</dt><dd data-cancelled-by="${plan.cancelled.by}">${plan.cancelled.by}, ${time(plan.cancelled.at)}: ${plan.cancelled.reason}</dd>`
      : ''
  }
  ${plan.basis ? html`<dt>Căn cứ</dt><dd>${plan.basis}</dd>` : ''}
  <dt>Tính thử</dt><dd>${plan.mailboxesChanged} hộp thư đổi địa chỉ ở ${plan.agenciesChanged} cơ quan; ${plan.conflicts.length} vướng mắc; tạo bởi ${plan.createdBy} lúc ${time(plan.createdAt)}</dd>
  <dt>Phê duyệt</dt><dd>${
    plan.approvals.length === 0
      ? 'Chưa có (cần hai cán bộ khác nhau)'
      : plan.approvals.map((a) => html`<div>${a.operator}, ${time(a.at)}: ${a.reason}</div>`)
  }</dd>
</dl>
${plan.state === 'applying' || plan.state === 'applied' ? progressOf(plan) : ''}
${actions}
${cancel}
${
  plan.domainMoves.length
    ? html`<h2>Tên miền</h2><ul>${plan.domainMoves.map(
        (m) =>
          html`<li><code>${m.domain}</code> (${m.fromProvince}) thành tên miền phụ của ${m.intoProvince} (<code>${m.primaryDomain}</code>): thư gửi địa chỉ cũ vẫn đến.</li>`,
      )}</ul>`
    : ''
}
${
  plan.conflicts.length
    ? html`<h2>Vướng mắc</h2><ul class="field-errors">${plan.conflicts.map(
        (c) => html`<li>${c.kind}${c.message ? html`: ${JSON.stringify(c.message)}` : ''}</li>`,
      )}</ul>`
    : ''
}
<h2>Số hộp thư đổi địa chỉ theo cơ quan</h2>
<table><thead><tr><th scope="col">Cơ quan</th><th scope="col">Tên viết tắt</th><th scope="col">Tỉnh</th><th scope="col">Hộp thư đổi địa chỉ</th></tr></thead>
<tbody>${plan.perAgency.map(
        (a) =>
          html`<tr><td>${a.name}</td><td>${a.abbreviation}</td><td>${a.province}</td><td>${a.changed}</td></tr>`,
      )}</tbody></table>
<h2>Địa chỉ cũ → mới</h2>
<form class="filters" method="get" action="/reorganisations/${plan.id}" role="search" aria-label="Tìm trong các thay đổi">
  <div class="field"><label for="q">Tìm theo tên hoặc địa chỉ</label><input id="q" name="q" value="${request.query.q ?? ''}" maxlength="200"></div>
  <button type="submit" class="secondary">Tìm</button>
</form>
${
  changes.length === 0
    ? html`<p>Không có thay đổi nào${searched ? ' khớp với từ tìm' : ''}.</p>`
    : html`${nav}<table><thead><tr><th scope="col">Người / hộp thư</th><th scope="col">Địa chỉ cũ</th><th scope="col">Địa chỉ mới</th><th scope="col">Trạng thái</th><th scope="col">Ghi chú</th></tr></thead>
<tbody>${changes.map(
        (c) =>
          html`<tr data-change="${c.seq}"><td>${c.displayName}</td><td>${c.from}</td><td>${c.to}</td><td>${label(CHANGE_STATE_LABEL, c.state)}</td><td>${c.note ?? ''}</td></tr>`,
      )}</tbody></table>${nav}`
}
<p><a href="/reorganisations">← Các phương án</a></p>`;
      return sendPage(request, reply, {
        title: `Sắp xếp tổ chức: ${plan.title}`,
        current: 'reorganisations',
        notice: noticeFrom(request.query),
        body,
        // live progress without JavaScript: the page reloads itself while the apply runs
        ...refreshWhile(plan.state === 'applying'),
      });
    },
  );

  app.get(
    '/reorganisations/:id/changes.csv',
    { config: { permission: 'queues.view' }, schema: { params: Id, querystring: DetailQuery } },
    async (request, reply) => {
      const rows: Change[] = [];
      for (let offset = 0; ; offset += 5000) {
        const page = await loadChanges(request.params.id, request.query, offset, 5000);
        rows.push(...page);
        if (page.length < 5000) break;
      }
      return sendCsv(
        reply,
        `sap-xep-${request.params.id}.csv`,
        ['Số', 'Người / hộp thư', 'Địa chỉ cũ', 'Địa chỉ mới', 'Trạng thái', 'Ghi chú'],
        rows.map((c) => [
          c.seq,
          c.displayName,
          c.from,
          c.to,
          label(CHANGE_STATE_LABEL, c.state),
          c.note ?? '',
        ]),
      );
    },
  );

  // approving and cancelling a plan take the same form (a reason) and answer the same way
  for (const decision of ['approve', 'cancel'] as const) {
    app.post(
      `/reorganisations/:id/${decision}`,
      { config: { permission: 'approvals.decide' }, schema: { params: Id, body: ApproveBody } },
      async (request, reply) => {
        const result = await decideReorganisation(deps, {
          id: request.params.id,
          decision,
          reason: request.body.reason,
          operator: request.consoleSession!,
          clientIp: request.ip,
        });
        return reply.redirect(
          `/reorganisations/${request.params.id}?notice=${result.outcome === 'refused' ? result.code : result.outcome}`,
          303,
        );
      },
    );
  }

  app.post(
    '/reorganisations/:id/apply',
    { config: { permission: 'approvals.decide' }, schema: { params: Id, body: ApplyBody } },
    async (request, reply) => {
      const result = await decideReorganisation(deps, {
        id: request.params.id,
        decision: 'apply',
        operator: request.consoleSession!,
        clientIp: request.ip,
      });
      return reply.redirect(
        `/reorganisations/${request.params.id}?notice=${result.outcome === 'refused' ? result.code : result.outcome}`,
        303,
      );
    },
  );
}
