// Thu hồi hộp thư: the directory's open proposals to reclaim mailboxes unused past their province's
// period (regulations §6: Đắk Nông, Kiên Giang), with approve (the mailbox is deleted) and dismiss
// (kept; a reason is required) under the logged-in operator's name.
import { findPolicy, listPolicies } from '@hopthu/naming';
import { Type } from '@sinclair/typebox';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { decideReclaim } from '../domain/operations/decide-reclaim.ts';
import { readAgencyNames } from '../domain/operations/read-agency-names.ts';
import { html, type SafeHtml, time } from './html.ts';
import { noticeFrom, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

interface Proposal {
  id: string;
  mailboxId: string;
  address: string;
  province: string;
  article: string;
  months: number;
  inactiveSince: string;
  lastActivityAt: string | null;
  dueAt: string;
  proposedAt: string;
}

/** The provinces whose inactivity rule reclaims (the policy files say so, not this page). */
const reclaimingProvinces = () => listPolicies().filter((p) => p.inactivity?.action === 'reclaim');
const provinceName = (id: string) => findPolicy(id)?.name ?? id;

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }) });
const DecisionBody = Type.Object({
  _csrf: Type.String(),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
});

function decisionForms(p: Proposal, csrf: string): SafeHtml {
  const base = `/reclaims/${p.id}`;
  return html`<div class="actions">
    <form method="post" action="${base}/approve">
      <input type="hidden" name="_csrf" value="${csrf}">
      <div><label for="note-${p.id}">Ghi chú (không bắt buộc)</label>
      <input id="note-${p.id}" name="reason" maxlength="1000" size="18"></div>
      <button type="submit" class="danger" data-action="reclaim-approve">Thu hồi (xóa hộp thư)</button></form>
    <form method="post" action="${base}/dismiss">
      <input type="hidden" name="_csrf" value="${csrf}">
      <div><label for="reason-${p.id}">Lý do giữ lại (bắt buộc)</label>
      <input id="reason-${p.id}" name="reason" required maxlength="1000" size="18"></div>
      <button type="submit" class="secondary" data-action="reclaim-dismiss">Giữ lại</button></form></div>`;
}

export function registerReclaimRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/reclaims',
    {
      config: { permission: 'queues.view' },
      schema: {
        querystring: Type.Object({
          province: Type.Optional(Type.String({ maxLength: 64 })),
          notice: Type.Optional(Type.String({ maxLength: 40 })),
        }),
      },
    },
    async (request, reply) => {
      const session = request.consoleSession!;
      const province = request.query.province?.trim() || undefined;
      const answer = await deps.upstreams.directory.get<{ items: Proposal[] }>('/admin/reclaims', {
        state: 'proposed',
        province,
      });
      const items = (answer.status === 200 ? answer.body.items : []).slice(0, 200);
      // The proposal names the mailbox; its agency comes from the mailbox's state.
      const agencyOf = new Map<string, string>();
      await Promise.all(
        items.map(async (p) => {
          const state = await deps.upstreams.directory.get<{ agencyId?: string }>(
            `/admin/mailboxes/${encodeURIComponent(p.mailboxId)}`,
          );
          if (state.status === 200 && state.body.agencyId) agencyOf.set(p.mailboxId, state.body.agencyId);
        }),
      );
      const names = await readAgencyNames(deps, agencyOf.values());
      const mayDecide = can(session.role, 'reclaims.decide');
      const rows = items.map((p) => {
        const agencyId = agencyOf.get(p.mailboxId);
        return html`<tr id="reclaim-${p.id}" data-proposal-id="${p.id}" data-mailbox-id="${p.mailboxId}">
  <td><a href="/directory/mailboxes/${p.mailboxId}">${p.address}</a></td>
  <td>${agencyId ? (names.get(agencyId) ?? agencyId) : '—'}<br><span class="muted">${provinceName(p.province)}</span></td>
  <td>${p.lastActivityAt ? time(p.lastActivityAt) : html`<span class="muted">Chưa từng đăng nhập</span>`}<br><span class="muted">tính từ ${time(p.inactiveSince)}</span></td>
  <td>${time(p.proposedAt)}</td>
  <td>${p.article}<br><span class="muted">không sử dụng ${p.months} tháng</span></td>
  <td>${mayDecide ? decisionForms(p, session.csrfToken) : html`<span class="muted">Vai trò của bạn chỉ được xem</span>`}</td>
</tr>`;
      });
      const body = html`
<form class="filters" method="get" action="/reclaims" role="search" aria-label="Lọc đề xuất thu hồi">
  <div class="field"><label for="f-province">Tỉnh</label><select id="f-province" name="province">
    <option value="">Tất cả</option>
    ${reclaimingProvinces().map(
      (p) => html`<option value="${p.id}"${province === p.id ? html` selected` : ''}>${p.name}</option>`,
    )}
  </select></div>
  <button type="submit" class="secondary">Lọc</button>
</form>
${
  items.length === 0
    ? html`<p>Không có đề xuất thu hồi nào đang chờ quyết định.</p>`
    : html`<table><caption>${items.length} hộp thư không sử dụng quá thời hạn, đề xuất thu hồi. Thu hồi xóa hộp thư (thư được lưu trữ); giữ lại cần ghi lý do. ${
        mayDecide ? html`Quyết định được ghi dưới tên <strong>${session.username}</strong>.` : ''
      }</caption>
<thead><tr><th scope="col">Hộp thư</th><th scope="col">Cơ quan</th><th scope="col">Lần sử dụng cuối</th><th scope="col">Đề xuất lúc</th><th scope="col">Căn cứ</th><th scope="col">Quyết định</th></tr></thead>
<tbody>${rows}</tbody></table>`
}`;
      return sendPage(request, reply, {
        title: 'Thu hồi hộp thư',
        current: 'reclaims',
        notice: noticeFrom(request.query),
        body,
      });
    },
  );

  for (const decision of ['approve', 'dismiss'] as const) {
    app.post(
      `/reclaims/:id/${decision}`,
      { config: { permission: 'reclaims.decide' }, schema: { params: Id, body: DecisionBody } },
      async (request, reply) => {
        const result = await decideReclaim(deps, {
          proposalId: request.params.id,
          decision,
          reason: request.body.reason,
          operator: request.consoleSession!,
          clientIp: request.ip,
        });
        const code = result.outcome === 'refused' ? result.code : result.outcome;
        return reply.redirect(`/reclaims?notice=${code}`, 303);
      },
    );
  }
}
