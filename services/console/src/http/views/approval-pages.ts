// What the Phê duyệt pages show: the queue of items waiting for operators (as a table and as CSV),
// the decision forms, and a request with its items and their history. Pure rendering: the routes
// read the data through the use cases and hand it here.
import type { SessionRecord } from '../../db/session-repository.ts';
import { can } from '../../domain/auth/permissions.ts';
import { formatDay, formatDeadline } from '../../domain/display/vn-time.ts';
import type { PendingItem, RequestHistory } from '../../domain/operations/approval-views.ts';
import { type ApprovalQueue, itemAgencyOf } from '../../domain/operations/read-approval-queue.ts';
import { day, deadlineTime, html, type SafeHtml, time } from '../html.ts';
import { ITEM_STATUS_LABEL, label, MAILBOX_TYPE_LABEL, OPERATION_LABEL, statusBadge } from '../page-reply.ts';

type Operator = Pick<SessionRecord, 'role' | 'username' | 'csrfToken'>;

const personName = (p: NonNullable<PendingItem['person']>) =>
  [p.familyName, p.middleName, p.givenName].filter(Boolean).join(' ');

function subject(item: PendingItem): SafeHtml {
  if (item.person) {
    const job = [item.person.position, item.person.department].filter(Boolean).join(', ');
    return html`${personName(item.person)}${job ? html`<br><span class="muted">${job}</span>` : ''}${
      item.address ? html`<br>${item.address}` : ''
    }`;
  }
  // an alias item: the approver sees which address the mailbox would gain or lose
  const alias = typeof item.changes?.alias === 'string' ? item.changes.alias : null;
  return html`${item.address ?? '—'}${alias ? html`<br><span class="alias">bí danh ${alias}</span>` : ''}`;
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

function queueRow(i: PendingItem, names: Map<string, string>, now: Date, operator: Operator): SafeHtml {
  const mayDecide = can(operator.role, 'approvals.decide');
  return html`<tr id="item-${i.itemId}" data-item-id="${i.itemId}" data-request-id="${i.requestId}">
  <td>${deadlineTime(i.dueAt)}${isOverdue(i.dueAt, now) ? html`<br><span class="badge err">Quá hạn</span>` : ''}</td>
  <td>${names.get(itemAgencyOf(i)) ?? itemAgencyOf(i)}</td>
  <td><a href="/requests/${i.requestId}">${i.reference.number}</a><br><span class="muted">${day(i.reference.date)} · ${i.requester.fullName}</span></td>
  <td>${label(OPERATION_LABEL, i.operation)}<br><span class="muted">Hộp thư ${label(MAILBOX_TYPE_LABEL, i.mailboxType).toLowerCase()}</span></td>
  <td>${subject(i)}</td>
  <td>${i.reason ?? '—'}</td>
  <td><span class="badge warn">${i.approvals.length}/${i.approvalsNeeded}</span>${
    i.approvals.length ? html`<br><span class="muted">${i.approvals.join(', ')}</span>` : ''
  }</td>
  <td>${
    mayDecide
      ? decisionForms(i, operator.csrfToken, operator.username)
      : html`<span class="muted">Vai trò của bạn chỉ được xem</span>`
  }</td>
</tr>`;
}

export interface QueueFilter {
  agencyId?: string | undefined;
  reference?: string | undefined;
  requestId?: string | undefined;
}

/** The Phê duyệt page's body: the filter form, then the page of the queue between its pagers. */
export function approvalQueueView(p: {
  queue: ApprovalQueue;
  filter: QueueFilter;
  now: Date;
  operator: Operator;
  nav: SafeHtml | string;
}): SafeHtml {
  const { queue, filter, operator, nav } = p;
  const mayDecide = can(operator.role, 'approvals.decide');
  const filtered = Boolean(filter.agencyId || filter.reference || filter.requestId);
  const rows = queue.items.map((i) => queueRow(i, queue.names, p.now, operator));
  return html`
<form class="filters" method="get" action="/approvals" role="search" aria-label="Lọc hàng chờ">
  <div class="field"><label for="f-agency">Cơ quan (tên viết tắt hoặc mã)</label><input id="f-agency" name="agencyId" value="${filter.agencyId ?? ''}" maxlength="100" placeholder="stttt"></div>
  <div class="field"><label for="f-reference">Số văn bản</label><input id="f-reference" name="reference" value="${filter.reference ?? ''}" maxlength="100" placeholder="123/STTTT-VP"></div>
  <div class="field"><label for="f-request">Mã yêu cầu</label><input id="f-request" name="requestId" value="${filter.requestId ?? ''}" maxlength="36" size="38"></div>
  <button type="submit" class="secondary">Lọc</button>${filtered ? html` <a href="/approvals">Bỏ lọc</a>` : ''}
</form>
${
  queue.total === 0
    ? html`<p>${filtered ? 'Không có mục nào chờ phê duyệt khớp với bộ lọc.' : 'Không có mục nào đang chờ phê duyệt.'}</p>`
    : html`${nav}<table><caption>${queue.total} mục chờ phê duyệt, hạn sớm nhất trước. ${mayDecide ? html`Phê duyệt được ghi dưới tên <strong>${operator.username}</strong>.` : ''}</caption>
<thead><tr><th scope="col">Hạn xử lý</th><th scope="col">Cơ quan</th><th scope="col">Văn bản đề nghị</th><th scope="col">Thao tác</th><th scope="col">Hộp thư / người</th><th scope="col">Lý do</th><th scope="col">Đã duyệt</th><th scope="col">Quyết định</th></tr></thead>
<tbody>${rows}</tbody></table>${nav}`
}`;
}

/** The queue as a spreadsheet: the columns, then one row an item. */
export const APPROVAL_CSV_COLUMNS = [
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
];

export function approvalCsvRows(queue: ApprovalQueue) {
  return queue.items.map((i) => [
    formatDeadline(i.dueAt),
    queue.names.get(itemAgencyOf(i)) ?? itemAgencyOf(i),
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
  ]);
}

function requestItemRow(r: RequestHistory, i: RequestHistory['items'][number], operator: Operator): SafeHtml {
  const mayDecide = can(operator.role, 'approvals.decide');
  return html`<tr id="item-${i.id}" data-item-id="${i.id}" data-status="${i.status}">
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
                operator.csrfToken,
                operator.username,
              )
            : html`<span class="muted">—</span>`
        }</td>`
      : ''
  }
</tr>`;
}

/**
 * A request's page body: its head, its items with their history and decision forms, then what
 * other pages add to it (the one-time credential links, the paper request's scan).
 */
export function requestView(p: {
  request: RequestHistory;
  names: Map<string, string>;
  operator: Operator;
  credentials: SafeHtml | string;
  scan: SafeHtml | string;
}): SafeHtml {
  const { request: r, names, operator } = p;
  const mayDecide = can(operator.role, 'approvals.decide');
  const items = r.items.map((i) => requestItemRow(r, i, operator));
  return html`
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
${p.credentials}
${p.scan}
<p><a href="/approvals">← Về hàng chờ phê duyệt</a></p>`;
}

export const requestNotFoundView = () => html`<p><a href="/approvals">Về hàng chờ phê duyệt</a></p>`;
