// Danh bạ: search the directory (name with or without diacritics, agency, address) and read a
// mailbox's state and history.
import { Type } from '@sinclair/typebox';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html, time } from './html.ts';
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
}

const STATE_LABEL: Record<string, string> = {
  provisioning: 'Đang cấp phát',
  active: 'Đang hoạt động',
  suspended: 'Tạm khóa',
  locked: 'Bị khóa',
  deleted: 'Đã xóa',
};

export function registerDirectoryRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/directory',
    {
      config: { permission: 'queues.view' },
      schema: {
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 200 })),
          agency: Type.Optional(Type.String({ maxLength: 100 })),
          address: Type.Optional(Type.String({ maxLength: 254 })),
        }),
      },
    },
    async (request, reply) => {
      const { q, agency, address } = request.query;
      const asked = Boolean(q?.trim() || agency?.trim() || address?.trim());
      let entries: Entry[] = [];
      if (asked) {
        const query = { q: q?.trim(), agency: agency?.trim(), address: address?.trim(), limit: '100' };
        // The admin search carries each mailbox's id (for its history); the public one does not.
        let answer = await deps.upstreams.directory.get<{ items: Entry[] }>('/admin/directory/search', query);
        if (answer.status === 404) answer = await deps.upstreams.directory.get('/v1/directory/search', query);
        entries = answer.status === 200 ? answer.body.items : [];
      }
      const body = html`
<form class="filters" method="get" action="/directory" role="search" aria-label="Tìm trong danh bạ">
  <div class="field"><label for="q">Họ tên (có dấu hoặc không)</label><input id="q" name="q" value="${q ?? ''}" maxlength="200"></div>
  <div class="field"><label for="agency">Cơ quan (viết tắt hoặc mã)</label><input id="agency" name="agency" value="${agency ?? ''}" maxlength="100"></div>
  <div class="field"><label for="address">Địa chỉ thư</label><input id="address" name="address" value="${address ?? ''}" maxlength="254"></div>
  <button type="submit">Tìm</button>
</form>
${
  !asked
    ? html`<p class="muted">Nhập họ tên, cơ quan hoặc địa chỉ để tìm hộp thư đang hoạt động.</p>`
    : entries.length === 0
      ? html`<p>Không tìm thấy hộp thư nào.</p>`
      : html`<table><caption>${entries.length} hộp thư</caption><thead><tr><th scope="col">Địa chỉ</th><th scope="col">Tên</th><th scope="col">Loại</th><th scope="col">Chức vụ, phòng</th><th scope="col">Cơ quan</th></tr></thead><tbody>${entries.map(
          (
            e,
          ) => html`<tr><td>${e.mailboxId ? html`<a href="/directory/mailboxes/${e.mailboxId}">${e.address}</a>` : e.address}</td>
<td>${e.displayName}</td><td>${label(MAILBOX_TYPE_LABEL, e.type)}</td>
<td>${[e.position, e.department].filter(Boolean).join(', ') || '—'}</td><td>${e.agencyName} <span class="muted">(${e.agencyAbbreviation})</span></td></tr>`,
        )}</tbody></table>`
}`;
      return sendPage(request, reply, { title: 'Danh bạ', current: 'directory', body });
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
      const s = state.body as { address?: string; state?: string; type?: string; displayName?: string };
      const items = history.status === 200 ? history.body.items : [];
      const body = html`<dl><dt>Địa chỉ</dt><dd>${s.address ?? '—'}</dd><dt>Trạng thái</dt><dd>${label(STATE_LABEL, s.state)}</dd>
<dt>Loại</dt><dd>${label(MAILBOX_TYPE_LABEL, s.type)}</dd></dl>
<table><caption>Lịch sử hộp thư</caption><thead><tr><th scope="col">Lúc</th><th scope="col">Thay đổi</th><th scope="col">Lý do</th><th scope="col">Người thực hiện</th><th scope="col">Yêu cầu</th></tr></thead>
<tbody>${items.map(
        (
          h,
        ) => html`<tr><td>${time(h.at)}</td><td>${h.change}</td><td>${h.reason ?? '—'}</td><td>${h.actor}</td>
<td>${h.requestId ? html`<a href="/requests/${h.requestId}">xem</a>` : '—'}</td></tr>`,
      )}</tbody></table>
<h2>Trạng thái công bố</h2><pre>${JSON.stringify(state.body, null, 2)}</pre>
<p><a href="/directory">← Danh bạ</a></p>`;
      return sendPage(request, reply, { title: `Hộp thư ${s.address ?? id}`, current: 'directory', body });
    },
  );
}
