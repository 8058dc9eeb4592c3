// Phê duyệt: the queue of items waiting for operators (requests service), approve or reject with a
// reason under the logged-in operator's name, and a request's items with their history.
import { type Static, Type } from '@sinclair/typebox';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import type { PendingItem, RequestHistory } from '../domain/operations/approval-views.ts';
import { decideItem } from '../domain/operations/decide-item.ts';
import { readAgencyNames } from '../domain/operations/read-agency-names.ts';
import { formatDay, formatDeadline } from '../domain/display/vn-time.ts';
import { day, deadlineTime, html, type SafeHtml, time } from './html.ts';
import { CSV_LIMIT, offsetOf, PAGE_SIZE, pager, sendCsv } from './list-page.ts';
import {
  ITEM_STATUS_LABEL,
  label,
  MAILBOX_TYPE_LABEL,
  noticeFrom,
  OPERATION_LABEL,
  sendPage,
  statusBadge,
} from './page-reply.ts';
import type { PagesScope } from './pages.ts';
import { credentialLinks } from './mailbox-routes.ts';
import { scanSection } from './paper-request-routes.ts';

const UUID = '^[0-9a-fA-F-]{36}$';
const ItemParams = Type.Object({
  requestId: Type.String({ pattern: UUID }),
  itemId: Type.String({ pattern: UUID }),
});
const DecisionBody = Type.Object({
  _csrf: Type.String(),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});

const personName = (p: NonNullable<PendingItem['person']>) =>
  [p.familyName, p.middleName, p.givenName].filter(Boolean).join(' ');

function subject(item: PendingItem): SafeHtml {
  if (item.person) {
    const job = [item.person.position, item.person.department].filter(Boolean).join(', ');
    return html`${personName(item.person)}${job ? html`<br><span class="muted">${job}</span>` : ''}${
      item.address ? html`<br>${item.address}` : ''
    }`;
  }
  return html`${item.address ?? '—'}`;
}

function decisionForms(
  item: Pick<PendingItem, 'requestId' | 'itemId' | 'approvals'>,
  csrf: string,
  username: string,
): SafeHtml {
  const base = `/approvals/${item.requestId}/items/${item.itemId}`;
  const already = item.approvals.includes(username);
  const approve = already
    ? html`<p class="muted">Bạn đã phê duyệt mục này; cần một cán bộ khác phê duyệt tiếp.</p>`
    : html`<form method="post" action="${base}/approve">
        <input type="hidden" name="_csrf" value="${csrf}">
        <div><label for="note-${item.itemId}">Ghi chú (không bắt buộc)</label>
        <input id="note-${item.itemId}" name="reason" maxlength="1000" size="18"></div>
        <button type="submit" data-action="approve">Phê duyệt</button></form>`;
  return html`<div class="actions">${approve}
    <form method="post" action="${base}/reject">
      <input type="hidden" name="_csrf" value="${csrf}">
      <div><label for="reason-${item.itemId}">Lý do từ chối (bắt buộc)</label>
      <input id="reason-${item.itemId}" name="reason" required maxlength="1000" size="18"></div>
      <button type="submit" class="danger" data-action="reject">Từ chối</button></form></div>`;
}

/** A step of an item's history: an approval that leaves the item waiting says so instead of "A → A". */
function transitionText(t: { from: string | null; to: string }): SafeHtml {
  if (t.from === null) return html`${label(ITEM_STATUS_LABEL, t.to)}`;
  if (t.from === t.to && t.to === 'pending_approval')
    return html`Có thêm một phê duyệt, vẫn chờ phê duyệt tiếp`;
  return html`${label(ITEM_STATUS_LABEL, t.from)} → ${label(ITEM_STATUS_LABEL, t.to)}`;
}

/** Who caused a step, as an operator reads it: "cán bộ canbo.an", "hệ thống của cơ quan". */
function actorText(actor: string): string {
  const [kind, ...rest] = actor.split(':');
  const who = rest.join(':');
  if (kind === 'operator') return `cán bộ ${who}`;
  if (kind === 'client') return 'hệ thống của cơ quan';
  if (kind === 'system' || kind === 'policy') return 'hệ thống hopthu';
  return actor;
}

function isOverdue(dueAt: string, now: Date) {
  return new Date(dueAt).getTime() < now.getTime();
}

export function registerApprovalRoutes(app: PagesScope, deps: ConsoleDeps) {
  const QueueQuery = Type.Object({
    agencyId: Type.Optional(Type.String({ maxLength: 100 })),
    requestId: Type.Optional(Type.String({ maxLength: 36 })),
    reference: Type.Optional(Type.String({ maxLength: 100 })),
    trang: Type.Optional(Type.String({ maxLength: 6 })),
    notice: Type.Optional(Type.String({ maxLength: 40 })),
  });
  type QueueQuery = Static<typeof QueueQuery>;

  /** The queue as the requests service filters it: agency by abbreviation or id, letter number. */
  async function loadQueue(query: QueueQuery, offset: number, limit: number) {
    const requestId = /^[0-9a-fA-F-]{36}$/.test(query.requestId ?? '') ? query.requestId : undefined;
    const answer = await deps.upstreams.requests.get<{ items: PendingItem[]; total: number }>(
      '/admin/approvals',
      {
        agencyId: query.agencyId?.trim() || undefined,
        reference: query.reference?.trim() || undefined,
        requestId,
        limit: String(limit),
        offset: String(offset),
      },
    );
    return answer.status === 200 ? answer.body : { items: [], total: 0 };
  }

  app.get(
    '/approvals',
    { config: { permission: 'queues.view' }, schema: { querystring: QueueQuery } },
    async (request, reply) => {
      const session = request.consoleSession!;
      const offset = offsetOf(request.query);
      const { items, total } = await loadQueue(request.query, offset, PAGE_SIZE);
      const names = await readAgencyNames(
        deps,
        items.map((i) => i.itemAgencyId ?? i.agencyId),
      );
      const now = deps.clock.now();
      const mayDecide = can(session.role, 'approvals.decide');
      const rows = items.map(
        (i) => html`<tr id="item-${i.itemId}" data-item-id="${i.itemId}" data-request-id="${i.requestId}">
  <td>${deadlineTime(i.dueAt)}${isOverdue(i.dueAt, now) ? html`<br><span class="badge err">Quá hạn</span>` : ''}</td>
  <td>${names.get(i.itemAgencyId ?? i.agencyId) ?? i.itemAgencyId ?? i.agencyId}</td>
  <td><a href="/requests/${i.requestId}">${i.reference.number}</a><br><span class="muted">${day(i.reference.date)} · ${i.requester.fullName}</span></td>
  <td>${label(OPERATION_LABEL, i.operation)}<br><span class="muted">Hộp thư ${label(MAILBOX_TYPE_LABEL, i.mailboxType).toLowerCase()}</span></td>
  <td>${subject(i)}</td>
  <td>${i.reason ?? '—'}</td>
  <td><span class="badge warn">${i.approvals.length}/${i.approvalsNeeded}</span>${
    i.approvals.length ? html`<br><span class="muted">${i.approvals.join(', ')}</span>` : ''
  }</td>
  <td>${
    mayDecide
      ? decisionForms(i, session.csrfToken, session.username)
      : html`<span class="muted">Vai trò của bạn chỉ được xem</span>`
  }</td>
</tr>`,
      );
      const { notice: _notice, ...query } = request.query;
      const nav = pager({
        path: '/approvals',
        query,
        offset,
        shown: items.length,
        total,
        csvPath: '/approvals.csv',
      });
      const filtered = Boolean(query.agencyId || query.reference || query.requestId);
      const body = html`
<form class="filters" method="get" action="/approvals" role="search" aria-label="Lọc hàng chờ">
  <div class="field"><label for="f-agency">Cơ quan (tên viết tắt hoặc mã)</label><input id="f-agency" name="agencyId" value="${request.query.agencyId ?? ''}" maxlength="100" placeholder="stttt"></div>
  <div class="field"><label for="f-reference">Số văn bản</label><input id="f-reference" name="reference" value="${request.query.reference ?? ''}" maxlength="100" placeholder="123/STTTT-VP"></div>
  <div class="field"><label for="f-request">Mã yêu cầu</label><input id="f-request" name="requestId" value="${request.query.requestId ?? ''}" maxlength="36" size="38"></div>
  <button type="submit" class="secondary">Lọc</button>${filtered ? html` <a href="/approvals">Bỏ lọc</a>` : ''}
</form>
${
  total === 0
    ? html`<p>${filtered ? 'Không có mục nào chờ phê duyệt khớp với bộ lọc.' : 'Không có mục nào đang chờ phê duyệt.'}</p>`
    : html`${nav}<table><caption>${total} mục chờ phê duyệt, hạn sớm nhất trước. ${mayDecide ? html`Phê duyệt được ghi dưới tên <strong>${session.username}</strong>.` : ''}</caption>
<thead><tr><th scope="col">Hạn xử lý</th><th scope="col">Cơ quan</th><th scope="col">Văn bản đề nghị</th><th scope="col">Thao tác</th><th scope="col">Hộp thư / người</th><th scope="col">Lý do</th><th scope="col">Đã duyệt</th><th scope="col">Quyết định</th></tr></thead>
<tbody>${rows}</tbody></table>${nav}`
}`;
      return sendPage(request, reply, {
        title: 'Phê duyệt',
        current: 'approvals',
        notice: noticeFrom(request.query),
        body,
      });
    },
  );

  app.get(
    '/approvals.csv',
    { config: { permission: 'queues.view' }, schema: { querystring: QueueQuery } },
    async (request, reply) => {
      const { items } = await loadQueue(request.query, 0, CSV_LIMIT);
      const names = await readAgencyNames(
        deps,
        items.map((i) => i.itemAgencyId ?? i.agencyId),
      );
      return sendCsv(
        reply,
        'hang-cho-phe-duyet.csv',
        [
          'Hạn xử lý',
          'Cơ quan',
          'Số văn bản',
          'Ngày văn bản',
          'Người đề nghị',
          'Thao tác',
          'Loại hộp thư',
          'Hộp thư / người',
          'Lý do',
          'Đã duyệt',
          'Cần',
          'Mã yêu cầu',
          'Mã mục',
        ],
        items.map((i) => [
          formatDeadline(i.dueAt),
          names.get(i.itemAgencyId ?? i.agencyId) ?? i.itemAgencyId ?? i.agencyId,
          i.reference.number,
          formatDay(i.reference.date),
          i.requester.fullName,
          label(OPERATION_LABEL, i.operation),
          label(MAILBOX_TYPE_LABEL, i.mailboxType),
          i.person ? personName(i.person) : (i.address ?? ''),
          i.reason ?? '',
          i.approvals.join(', '),
          i.approvalsNeeded,
          i.requestId,
          i.itemId,
        ]),
      );
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/approvals/:requestId/items/:itemId/${decision}`,
      { config: { permission: 'approvals.decide' }, schema: { params: ItemParams, body: DecisionBody } },
      async (request, reply) => {
        const result = await decideItem(deps, {
          requestId: request.params.requestId,
          itemId: request.params.itemId,
          decision,
          reason: request.body.reason,
          operator: request.consoleSession!,
          clientIp: request.ip,
        });
        if (result.outcome === 'refused') {
          return reply.redirect(`/approvals?notice=${result.code}`, 303);
        }
        return reply.redirect(
          `/requests/${request.params.requestId}?notice=${result.outcome}#item-${request.params.itemId}`,
          303,
        );
      },
    );
  }

  app.get(
    '/requests/:id',
    {
      config: { permission: 'queues.view' },
      schema: {
        params: Type.Object({ id: Type.String({ pattern: UUID }) }),
        querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) }),
      },
    },
    async (request, reply) => {
      const answer = await deps.upstreams.requests.get<RequestHistory>(
        `/admin/requests/${request.params.id}`,
      );
      if (answer.status !== 200) {
        return sendPage(request, reply, {
          title: 'Không tìm thấy yêu cầu',
          current: 'approvals',
          status: 404,
          notice: { kind: 'error', text: 'Không có yêu cầu này.' },
          body: html`<p><a href="/approvals">Về hàng chờ phê duyệt</a></p>`,
        });
      }
      const r = answer.body;
      const session = request.consoleSession!;
      const mayDecide = can(session.role, 'approvals.decide');
      const names = await readAgencyNames(deps, [
        r.agencyId,
        ...r.items.map((i) => i.agencyId ?? r.agencyId),
      ]);
      const items = r.items.map(
        (i) => html`<tr id="item-${i.id}" data-item-id="${i.id}" data-status="${i.status}">
  <td>${i.seq + 1}</td>
  <td>${label(OPERATION_LABEL, i.operation)}<br><span class="muted">Hộp thư ${label(MAILBOX_TYPE_LABEL, i.mailboxType).toLowerCase()}</span></td>
  <td>${i.address ?? '—'}</td>
  <td>${statusBadge(i.status)}</td>
  <td>${
    i.approvalsNeeded
      ? html`${(i.approvals ?? []).length}/${i.approvalsNeeded}${
          i.approvals?.length ? html`<br><span class="muted">${i.approvals.join(', ')}</span>` : ''
        }`
      : '—'
  }</td>
  <td>${i.reason ?? '—'}</td>
  <td><ol style="margin:0;padding-left:18px">${(i.transitions ?? []).map(
    (t) =>
      html`<li>${time(t.at)}: ${transitionText(t)} <span class="muted">(${actorText(t.actor)}${
        t.reason ? html`; ${t.reason}` : ''
      })</span></li>`,
  )}</ol></td>
  ${
    mayDecide
      ? html`<td>${
          i.status === 'pending_approval'
            ? decisionForms(
                { requestId: r.id, itemId: i.id, approvals: i.approvals ?? [] },
                session.csrfToken,
                session.username,
              )
            : html`<span class="muted">—</span>`
        }</td>`
      : ''
  }
</tr>`,
      );
      const body = html`
<dl>
  <dt>Trạng thái</dt><dd>${statusBadge(r.status)}</dd>
  <dt>Cơ quan</dt><dd>${names.get(r.agencyId) ?? r.agencyId}</dd>
  <dt>Văn bản đề nghị</dt><dd>Số ${r.reference.number}, ngày ${day(r.reference.date)}</dd>
  <dt>Người đề nghị</dt><dd>${r.requester.fullName}${r.requester.position ? `, ${r.requester.position}` : ''}</dd>
  <dt>Tiếp nhận</dt><dd>${time(r.receivedAt)}</dd>
  <dt>Hạn xử lý</dt><dd>${deadlineTime(r.dueAt)}</dd>
</dl>
<table><caption>Các mục của yêu cầu</caption>
<thead><tr><th scope="col">#</th><th scope="col">Thao tác</th><th scope="col">Địa chỉ</th><th scope="col">Trạng thái</th><th scope="col">Phê duyệt</th><th scope="col">Lý do</th><th scope="col">Diễn biến</th>${
        mayDecide ? html`<th scope="col">Quyết định</th>` : ''
      }</tr></thead>
<tbody>${items}</tbody></table>
${credentialLinks(r, session)}
${await scanSection(deps, r.id)}
<p><a href="/approvals">← Về hàng chờ phê duyệt</a></p>`;
      return sendPage(request, reply, {
        title: `Yêu cầu ${r.reference.number}`,
        current: 'approvals',
        notice: noticeFrom(request.query),
        body,
      });
    },
  );
}
