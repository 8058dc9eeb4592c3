// Danh bạ: search the directory (name with or without diacritics, agency, address) and read a
// mailbox's state and history.
import { type Static, Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { actOnMailbox, MAILBOX_ACTIONS } from '../domain/operations/act-on-mailbox.ts';
import { html, time } from './html.ts';
import { aliasSection, forwardSection, ISSUES_PASSWORD } from './mailbox-routes.ts';
import { restoreDeletedForm } from './restore-deleted-form.ts';
import { offsetOf, PAGE_SIZE, pager, sendCsv } from './list-page.ts';
import { label, MAILBOX_TYPE_LABEL, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

interface Entry {
  mailboxId?: string;
  address: string;
  type: string;
  displayName: string;
  position: string | null;
  department: string | null;
  agencyName: string;
  agencyAbbreviation: string;
  state?: string;
}

export const STATE_LABEL: Record<string, string> = {
  provisioning: 'Đang cấp phát',
  active: 'Đang hoạt động',
  suspended: 'Tạm khóa',
  locked: 'Bị khóa',
  deleted: 'Đã xóa',
};

export function registerDirectoryRoutes(app: PagesScope, deps: ConsoleDeps) {
  const SearchQuery = Type.Object({
    q: Type.Optional(Type.String({ maxLength: 200 })),
    agency: Type.Optional(Type.String({ maxLength: 100 })),
    address: Type.Optional(Type.String({ maxLength: 254 })),
    state: Type.Optional(Type.String({ maxLength: 20 })),
    trang: Type.Optional(Type.String({ maxLength: 6 })),
  });
  type SearchQuery = Static<typeof SearchQuery>;
  const asked = (query: SearchQuery) =>
    Boolean(query.q?.trim() || query.agency?.trim() || query.address?.trim() || query.state);

  async function search(query: SearchQuery, offset: number, limit: number) {
    // deleted mailboxes only when asked for (to restore one from retention)
    const state = query.state && query.state in STATE_LABEL ? query.state : undefined;
    const answer = await deps.upstreams.directory.get<{ items: Entry[]; total: number }>(
      '/admin/directory/search',
      {
        q: query.q?.trim() || undefined,
        agency: query.agency?.trim() || undefined,
        address: query.address?.trim() || undefined,
        state,
        limit: String(limit),
        offset: String(offset),
      },
    );
    return answer.status === 200 ? answer.body : { items: [], total: 0 };
  }

  app.get(
    '/directory',
    { config: { permission: 'queues.view' }, schema: { querystring: SearchQuery } },
    async (request, reply) => {
      const { q, agency, address, state } = request.query;
      const offset = offsetOf(request.query);
      const { items: entries, total } = asked(request.query)
        ? await search(request.query, offset, PAGE_SIZE)
        : { items: [], total: 0 };
      const nav = pager({
        path: '/directory',
        query: request.query,
        offset,
        shown: entries.length,
        total,
        csvPath: '/directory.csv',
      });
      const body = html`
<form class="filters" method="get" action="/directory" role="search" aria-label="Tìm trong danh bạ">
  <div class="field"><label for="q">Họ tên (có dấu hoặc không)</label><input id="q" name="q" value="${q ?? ''}" maxlength="200"></div>
  <div class="field"><label for="agency">Cơ quan (viết tắt hoặc mã)</label><input id="agency" name="agency" value="${agency ?? ''}" maxlength="100"></div>
  <div class="field"><label for="address">Địa chỉ thư</label><input id="address" name="address" value="${address ?? ''}" maxlength="254"></div>
  <div class="field"><label for="state">Trạng thái</label><select id="state" name="state"><option value="">Mọi trạng thái (trừ đã xóa)</option>${(
    ['active', 'suspended', 'locked', 'provisioning', 'deleted'] as const
  ).map(
    (v) => html`<option value="${v}"${v === state ? html` selected` : ''}>${STATE_LABEL[v]}</option>`,
  )}</select></div>
  <button type="submit">Tìm</button>
</form>
${
  !asked(request.query)
    ? html`<p class="muted">Nhập họ tên, cơ quan, địa chỉ hoặc chọn trạng thái để tìm hộp thư.</p>`
    : entries.length === 0
      ? html`<p>Không tìm thấy hộp thư nào.</p>`
      : html`${nav}<table><caption>${total} hộp thư</caption><thead><tr><th scope="col">Địa chỉ</th><th scope="col">Tên</th><th scope="col">Loại</th><th scope="col">Trạng thái</th><th scope="col">Chức vụ, phòng</th><th scope="col">Cơ quan</th></tr></thead><tbody>${entries.map(
          (
            e,
          ) => html`<tr><td>${e.mailboxId ? html`<a href="/directory/mailboxes/${e.mailboxId}">${e.address}</a>` : e.address}</td>
<td>${e.displayName}</td><td>${label(MAILBOX_TYPE_LABEL, e.type)}</td><td>${label(STATE_LABEL, e.state)}</td>
<td>${[e.position, e.department].filter(Boolean).join(', ') || '—'}</td><td>${e.agencyName} <span class="muted">(${e.agencyAbbreviation})</span></td></tr>`,
        )}</tbody></table>${nav}`
}`;
      return sendPage(request, reply, { title: 'Danh bạ', current: 'directory', body });
    },
  );

  app.get(
    '/directory.csv',
    { config: { permission: 'queues.view' }, schema: { querystring: SearchQuery } },
    async (request, reply) => {
      const { items } = asked(request.query) ? await search(request.query, 0, 1000) : { items: [] };
      return sendCsv(
        reply,
        'danh-ba.csv',
        ['Địa chỉ', 'Tên', 'Loại', 'Trạng thái', 'Chức vụ', 'Phòng', 'Cơ quan', 'Tên viết tắt'],
        items.map((e) => [
          e.address,
          e.displayName,
          label(MAILBOX_TYPE_LABEL, e.type),
          label(STATE_LABEL, e.state),
          e.position ?? '',
          e.department ?? '',
          e.agencyName,
          e.agencyAbbreviation,
        ]),
      );
    },
  );

  app.get(
    '/directory/mailboxes/:id',
    {
      config: { permission: 'queues.view' },
      schema: { params: Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }) }) },
    },
    async (request, reply) => {
      const id = request.params.id;
      const [state, history] = await Promise.all([
        deps.upstreams.directory.get<Record<string, unknown>>(`/admin/mailboxes/${id}`),
        deps.upstreams.directory.get<{
          items: {
            at: string;
            change: string;
            reason: string | null;
            actor: string;
            requestId: string | null;
          }[];
        }>(`/admin/mailboxes/${id}/history`),
      ]);
      if (state.status !== 200) {
        return sendPage(request, reply, {
          title: 'Hộp thư',
          current: 'directory',
          status: 404,
          notice: { kind: 'error', text: 'Không có hộp thư này.' },
          body: html`<p><a href="/directory">← Danh bạ</a></p>`,
        });
      }
      const s = state.body as {
        address?: string;
        state?: string;
        type?: string;
        displayName?: string;
        forwardTo?: string | null;
      };
      const session = request.consoleSession!;
      const items = history.status === 200 ? history.body.items : [];
      const actions =
        s.state === 'deleted'
          ? restoreDeletedForm({
              mailboxId: id,
              address: s.address ?? '',
              history: items,
              session,
              now: deps.clock.now(),
            })
          : can(session.role, 'mailboxes.act')
            ? html`<form method="post" action="/directory/mailboxes/${id}/actions" class="mailbox-actions">
<input type="hidden" name="_csrf" value="${session.csrfToken}">
<input type="hidden" name="idempotencyKey" value="${randomUUID()}">
<fieldset><legend>Thao tác trên hộp thư</legend>
<label><input type="radio" name="action" value="suspend" checked> Khóa ngay (bị chiếm đoạt, sử dụng sai quy định)</label>
<label><input type="radio" name="action" value="restore"> Mở lại</label>
<label><input type="radio" name="action" value="reset_password"> Đặt lại mật khẩu (theo báo cáo của cơ quan hoặc chủ hộp thư; mật khẩu mới hiện một lần cho cán bộ)</label>
<label for="reason">Lý do (bắt buộc)</label>
<textarea id="reason" name="reason" required maxlength="1000"></textarea>
<button type="submit">Gửi yêu cầu</button></fieldset></form>`
            : html`<p class="muted">Vai trò của bạn chỉ được xem hộp thư này.</p>`;
      const body = html`<dl><dt>Địa chỉ</dt><dd>${s.address ?? '—'}</dd><dt>Trạng thái</dt><dd>${label(STATE_LABEL, s.state)}</dd>
<dt>Loại</dt><dd>${label(MAILBOX_TYPE_LABEL, s.type)}</dd></dl>
<table><caption>Lịch sử hộp thư</caption><thead><tr><th scope="col">Lúc</th><th scope="col">Thay đổi</th><th scope="col">Lý do</th><th scope="col">Người thực hiện</th><th scope="col">Yêu cầu</th></tr></thead>
<tbody>${items.map(
        (
          h,
        ) => html`<tr><td>${time(h.at)}</td><td>${h.change}</td><td>${h.reason ?? '—'}</td><td>${h.actor}</td>
<td>${h.requestId ? html`<a href="/requests/${h.requestId}">xem</a>` : '—'}</td></tr>`,
      )}</tbody></table>
${actions}
${await aliasSection(deps, id, session)}
${s.state === 'deleted' ? '' : forwardSection(id, s.forwardTo ?? null, session)}
<h2>Trạng thái công bố</h2><pre>${JSON.stringify(state.body, null, 2)}</pre>
<p><a href="/directory">← Danh bạ</a></p>`;
      return sendPage(request, reply, { title: `Hộp thư ${s.address ?? id}`, current: 'directory', body });
    },
  );

  app.post(
    '/directory/mailboxes/:id/actions',
    {
      config: { permission: 'mailboxes.act' },
      schema: {
        params: Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }) }),
        body: Type.Object({
          _csrf: Type.String(),
          idempotencyKey: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }),
          action: Type.Union(MAILBOX_ACTIONS.map((a) => Type.Literal(a))),
          reason: Type.String({ maxLength: 1000 }),
        }),
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const state = await deps.upstreams.directory.get<{ address?: string; agencyId?: string }>(
        `/admin/mailboxes/${id}`,
      );
      const back = html`<p><a href="/directory/mailboxes/${id}">← Hộp thư</a></p>`;
      if (state.status !== 200 || !state.body.address || !state.body.agencyId) {
        return sendPage(request, reply, {
          title: 'Hộp thư',
          current: 'directory',
          status: 404,
          notice: { kind: 'error', text: 'Không có hộp thư này.' },
          body: back,
        });
      }
      if (request.body.reason.trim() === '') {
        return sendPage(request, reply, {
          title: `Hộp thư ${state.body.address}`,
          current: 'directory',
          status: 400,
          notice: { kind: 'error', text: 'Cần ghi lý do (trường "Lý do"). Chưa có gì thay đổi.' },
          body: back,
        });
      }
      const result = await actOnMailbox(deps, {
        mailboxId: id,
        address: state.body.address,
        agencyId: state.body.agencyId,
        action: request.body.action,
        reason: request.body.reason,
        idempotencyKey: request.body.idempotencyKey,
        operator: request.consoleSession!,
        clientIp: request.ip,
      });
      const what = {
        suspend: 'khóa',
        restore: 'mở lại',
        reset_password: 'đặt lại mật khẩu',
        restore_deleted: 'khôi phục từ lưu trữ',
      }[request.body.action];
      return sendPage(request, reply, {
        title: `Hộp thư ${state.body.address}`,
        current: 'directory',
        status: result.outcome === 'filed' ? 200 : 409,
        notice:
          result.outcome === 'filed'
            ? {
                kind: 'ok',
                text: `Đã gửi yêu cầu ${what} hộp thư ${state.body.address} (trạng thái: ${result.status === 'pending_approval' ? 'chờ phê duyệt' : result.status}).`,
              }
            : { kind: 'error', text: `Không gửi được yêu cầu ${what}: ${result.message}` },
        body: html`${result.outcome === 'filed' ? html`<p>Mã yêu cầu: <a href="/requests/${result.requestId}">${result.requestId}</a></p>` : ''}${
          result.outcome === 'filed' && ISSUES_PASSWORD.has(request.body.action)
            ? html`<p>Khi yêu cầu hoàn tất (sau phê duyệt nếu quy định của tỉnh yêu cầu), mật khẩu mới được mở một lần: <a href="/requests/${result.requestId}/items/${result.itemId}/credential" class="open-credential">mở mật khẩu mới</a>.</p>`
            : ''
        }${back}`,
      });
    },
  );
}
