// Lỗi cấp phát: the provisioner's dead letters (commands that could not be applied), one in
// detail, and replay.
import { type Static, Type } from '@sinclair/typebox';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { replayDeadLetter } from '../domain/operations/replay-dead-letter.ts';
import { formatDateTime } from '../domain/display/vn-time.ts';
import { html, time } from './html.ts';
import { offsetOf, PAGE_SIZE, pager, sendCsv } from './list-page.ts';
import { label, noticeFrom, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

interface DeadLetter {
  id: string;
  commandId: string | null;
  mailboxId: string | null;
  /** The address and action the command was for, when its payload could be read. */
  address?: string | null;
  action?: string | null;
  topic: string;
  error: string;
  attempts: number;
  createdAt: string;
  replayedAt: string | null;
  replayEventId: string | null;
  payload?: unknown;
  headers?: unknown;
}

/**
 * The "Hiển thị" filter of a list of failures waiting for an operator (dead letters, parked events):
 * the open ones, those replayed, or all; `labels` names the first two as the list calls them.
 */
export function showField(show: string, labels: { open: string; replayed: string }) {
  const choices = [
    ['open', labels.open],
    ['replayed', labels.replayed],
    ['all', 'Tất cả'],
  ] as const;
  return html`<div class="field"><label for="show">Hiển thị</label><select id="show" name="show">
    ${choices.map(([v, l]) => html`<option value="${v}"${v === show ? html` selected` : ''}>${l}</option>`)}
  </select></div>`;
}

const ACTION_LABEL: Record<string, string> = {
  create: 'Tạo hộp thư',
  set_password: 'Đặt mật khẩu',
  set_quota: 'Đổi dung lượng',
  suspend: 'Tạm khóa',
  restore: 'Mở lại',
  delete: 'Xóa',
  rename: 'Đổi địa chỉ',
  set_alias: 'Đặt bí danh',
  remove_alias: 'Gỡ bí danh',
};

/** The mailbox as operators know it: its address, linked to its page; the id only if nothing else is known. */
function mailboxCell(d: DeadLetter) {
  if (!d.mailboxId) return html`${d.address ?? '—'}`;
  return html`<a href="/directory/mailboxes/${d.mailboxId}">${d.address ?? d.mailboxId}</a>`;
}

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }) });

export function registerDeadLetterRoutes(app: PagesScope, deps: ConsoleDeps) {
  const ListQuery = Type.Object({
    show: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('replayed'), Type.Literal('all')])),
    address: Type.Optional(Type.String({ maxLength: 320 })),
    trang: Type.Optional(Type.String({ maxLength: 6 })),
    notice: Type.Optional(Type.String({ maxLength: 40 })),
  });
  type ListQuery = Static<typeof ListQuery>;

  async function loadLetters(query: ListQuery, offset: number, limit: number) {
    const show = query.show ?? 'open';
    const answer = await deps.upstreams.provisioner.get<{ deadLetters: DeadLetter[]; total: number }>(
      '/admin/dead-letters',
      {
        replayed: show === 'all' ? undefined : String(show === 'replayed'),
        address: query.address?.trim() || undefined,
        limit: String(limit),
        offset: String(offset),
      },
    );
    return answer.status === 200 ? answer.body : { deadLetters: [], total: 0 };
  }

  app.get(
    '/dead-letters',
    { config: { permission: 'queues.view' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const show = request.query.show ?? 'open';
      const offset = offsetOf(request.query);
      const { deadLetters: letters, total } = await loadLetters(request.query, offset, PAGE_SIZE);
      const csrf = request.consoleSession!.csrfToken;
      const mayReplay = can(request.consoleSession!.role, 'dead_letters.replay');
      const { notice: _notice, ...query } = request.query;
      const nav = pager({
        path: '/dead-letters',
        query,
        offset,
        shown: letters.length,
        total,
        csvPath: '/dead-letters.csv',
      });
      const body = html`
<form class="filters" method="get" action="/dead-letters" role="search" aria-label="Lọc lệnh lỗi">
  ${showField(show, { open: 'Chưa gửi lại', replayed: 'Đã gửi lại' })}
  <div class="field"><label for="f-address">Địa chỉ hộp thư</label><input id="f-address" name="address" value="${request.query.address ?? ''}" maxlength="320"></div>
  <button type="submit" class="secondary">Xem</button></form>
${
  letters.length === 0
    ? html`<p>Không có lệnh cấp phát lỗi nào.</p>`
    : html`${nav}<table><caption>${total} lệnh cấp phát không thực hiện được (mới nhất trước)</caption>
<thead><tr><th scope="col">Lúc</th><th scope="col">Hộp thư</th><th scope="col">Lệnh</th><th scope="col">Lỗi</th><th scope="col">Số lần thử</th><th scope="col">Gửi lại</th></tr></thead>
<tbody>${letters.map(
        (d) => html`<tr id="dl-${d.id}"><td><a href="/dead-letters/${d.id}">${time(d.createdAt)}</a></td>
<td>${mailboxCell(d)}</td><td>${label(ACTION_LABEL, d.action)}</td>
<td>${d.error}</td><td>${d.attempts}</td>
<td>${
          d.replayedAt
            ? html`<span class="badge ok">Đã gửi lại</span> ${time(d.replayedAt)}`
            : !mayReplay
              ? html`<span class="muted">Chưa gửi lại</span>`
              : html`<form method="post" action="/dead-letters/${d.id}/replay"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">Gửi lại</button></form>`
        }</td></tr>`,
      )}</tbody></table>${nav}`
}`;
      return sendPage(request, reply, {
        title: 'Lỗi cấp phát',
        current: 'dead-letters',
        notice: noticeFrom(request.query),
        body,
      });
    },
  );

  app.get(
    '/dead-letters.csv',
    { config: { permission: 'queues.view' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const { deadLetters: letters } = await loadLetters(request.query, 0, 500);
      return sendCsv(
        reply,
        'lenh-cap-phat-loi.csv',
        ['Lúc', 'Hộp thư', 'Lệnh', 'Lỗi', 'Số lần thử', 'Đã gửi lại lúc', 'Mã thư lỗi'],
        letters.map((d) => [
          formatDateTime(d.createdAt),
          d.address ?? d.mailboxId ?? '',
          label(ACTION_LABEL, d.action),
          d.error,
          d.attempts,
          d.replayedAt ? formatDateTime(d.replayedAt) : '',
          d.id,
        ]),
      );
    },
  );

  app.get(
    '/dead-letters/:id',
    { config: { permission: 'queues.view' }, schema: { params: Id } },
    async (request, reply) => {
      const answer = await deps.upstreams.provisioner.get<DeadLetter>(
        `/admin/dead-letters/${request.params.id}`,
      );
      if (answer.status !== 200) {
        return sendPage(request, reply, {
          title: 'Lỗi cấp phát',
          current: 'dead-letters',
          status: 404,
          notice: { kind: 'error', text: 'Không tìm thấy thư lỗi này.' },
          body: html`<p><a href="/dead-letters">← Danh sách</a></p>`,
        });
      }
      const d = answer.body;
      const body = html`<dl><dt>Lỗi</dt><dd>${d.error}</dd><dt>Số lần thử</dt><dd>${d.attempts}</dd>
<dt>Hộp thư</dt><dd>${mailboxCell(d)}</dd><dt>Lệnh</dt><dd>${label(ACTION_LABEL, d.action)} <span class="muted">${d.commandId ?? ''}</span></dd><dt>Lúc</dt><dd>${time(d.createdAt)}</dd>
<dt>Đã gửi lại</dt><dd>${d.replayedAt ? time(d.replayedAt) : 'Chưa'}</dd></dl>
<h2>Nội dung lệnh</h2><pre>${JSON.stringify(d.payload, null, 2)}</pre>
<h2>Tiêu đề Kafka</h2><pre>${JSON.stringify(d.headers, null, 2)}</pre>
<p><a href="/dead-letters">← Danh sách</a></p>`;
      return sendPage(request, reply, { title: 'Lệnh cấp phát lỗi', current: 'dead-letters', body });
    },
  );

  app.post(
    '/dead-letters/:id/replay',
    { config: { permission: 'dead_letters.replay' }, schema: { params: Id } },
    async (request, reply) => {
      const result = await replayDeadLetter(deps, {
        id: request.params.id,
        operator: request.consoleSession!,
        clientIp: request.ip,
      });
      return reply.redirect(
        `/dead-letters?notice=${result.outcome === 'replayed' ? 'replayed' : 'replay_refused'}`,
        303,
      );
    },
  );
}
