// The mailbox page's further actions: its aliases (add, remove, with a reason; each filed as a
// request, manage-mailbox-links.ts), its forward (set, end: the same) and the one-time
// opening of a new password an operator's reset produced, shown once to the operator who reads it
// out to the holder (the requests service erases it as it hands it out).
import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import type { RequestHistory } from '../domain/operations/approval-views.ts';
import { type MailboxLinkChange, manageMailboxLinks } from '../domain/operations/manage-mailbox-links.ts';
import { openMailboxCredential } from '../domain/operations/open-mailbox-credential.ts';
import type { SessionRecord } from '../db/session-repository.ts';
import { html, type SafeHtml, time } from './html.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const UUID = '^[0-9a-fA-F-]{36}$';
const MailboxParams = Type.Object({ id: Type.String({ pattern: UUID }) });
const ItemParams = Type.Object({
  id: Type.String({ pattern: UUID }),
  itemId: Type.String({ pattern: UUID }),
});
const AliasBody = Type.Object({
  _csrf: Type.String(),
  idempotencyKey: Type.String({ pattern: UUID }),
  alias: Type.String({ maxLength: 254 }),
  reason: Type.String({ maxLength: 500 }),
});

const ForwardBody = Type.Object({
  _csrf: Type.String(),
  idempotencyKey: Type.String({ pattern: UUID }),
  forwardTo: Type.Optional(Type.String({ maxLength: 254 })),
  reason: Type.String({ maxLength: 500 }),
});

interface Alias {
  address: string;
  kind: string;
  expiresAt: string | null;
}

/** The mailbox's aliases with a remove form each, and a form to add one (for roles that may act). */
export async function aliasSection(
  deps: ConsoleDeps,
  mailboxId: string,
  session: SessionRecord,
): Promise<SafeHtml> {
  const answer = await deps.upstreams.directory.get<{ items: Alias[] }>('/admin/aliases', { mailboxId });
  const aliases = answer.status === 200 ? answer.body.items : [];
  const mayAct = can(session.role, 'mailboxes.act');
  // each form files one request however often it is sent (its idempotency key)
  const csrf = html`<input type="hidden" name="_csrf" value="${session.csrfToken}">`;
  const key = () => html`<input type="hidden" name="idempotencyKey" value="${randomUUID()}">`;
  return html`<h2>Bí danh</h2>
${
  aliases.length === 0
    ? html`<p class="muted">Hộp thư chưa có bí danh.</p>`
    : html`<table class="aliases"><thead><tr><th scope="col">Bí danh</th><th scope="col">Loại</th><th scope="col">Hết hạn</th>${mayAct ? html`<th scope="col">Gỡ</th>` : ''}</tr></thead><tbody>${aliases.map(
        (a) =>
          html`<tr><td>${a.address}</td><td>${a.kind}</td><td>${a.expiresAt ? time(a.expiresAt) : '—'}</td>${
            mayAct
              ? html`<td><form method="post" action="/directory/mailboxes/${mailboxId}/aliases/remove" class="actions alias-remove">${csrf}${key()}
<input type="hidden" name="alias" value="${a.address}"><label>Lý do <input name="reason" required maxlength="500"></label>
<button type="submit" class="danger">Gỡ</button></form></td>`
              : ''
          }</tr>`,
      )}</tbody></table>`
}
${
  mayAct
    ? html`<form method="post" action="/directory/mailboxes/${mailboxId}/aliases" class="alias-add">${csrf}${key()}
<fieldset><legend>Thêm bí danh</legend>
<div class="field"><label for="alias">Địa chỉ bí danh (cùng tên miền)</label><input id="alias" name="alias" required maxlength="254"></div>
<div class="field"><label for="alias-reason">Lý do (bắt buộc)</label><input id="alias-reason" name="reason" required maxlength="500"></div>
<button type="submit">Thêm bí danh</button></fieldset></form>`
    : ''
}`;
}

/**
 * The mailbox's forward (where its mail goes too, a copy kept): the current one with a form to end
 * it, and a form to set one (for roles that may act). Pure: the page passes the published state's
 * forwardTo.
 */
export function forwardSection(
  mailboxId: string,
  forwardTo: string | null,
  session: SessionRecord,
): SafeHtml {
  const mayAct = can(session.role, 'mailboxes.act');
  const hidden = html`<input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="idempotencyKey" value="${randomUUID()}">`;
  const current = forwardTo
    ? html`<p class="forward-current">Thư đến được chuyển tiếp tới <strong>${forwardTo}</strong> (hộp thư vẫn giữ một bản).</p>${
        mayAct
          ? html`<form method="post" action="/directory/mailboxes/${mailboxId}/forward/clear" class="actions forward-clear">${hidden}
<label>Lý do <input name="reason" required maxlength="500"></label> <button type="submit" class="danger">Dừng chuyển tiếp</button></form>`
          : ''
      }`
    : html`<p class="muted forward-current">Hộp thư không chuyển tiếp thư.</p>`;
  const form = mayAct
    ? html`<form method="post" action="/directory/mailboxes/${mailboxId}/forward" class="forward-set">${hidden}
<fieldset><legend>${forwardTo ? 'Đổi địa chỉ chuyển tiếp' : 'Chuyển tiếp thư'}</legend>
<div class="field"><label for="forwardTo">Chuyển tiếp tới (hộp thư của tỉnh hoặc thuộc gov.vn)</label><input id="forwardTo" name="forwardTo" type="email" required maxlength="254"></div>
<div class="field"><label for="forward-reason">Lý do (bắt buộc)</label><input id="forward-reason" name="reason" required maxlength="500"></div>
<button type="submit">Chuyển tiếp</button></fieldset></form>`
    : '';
  return html`<h2>Chuyển tiếp thư</h2>
${current}
${form}`;
}

/** The operator actions whose request issues a new password, opened once when it is done. */
export const ISSUES_PASSWORD: ReadonlySet<string> = new Set(['reset_password', 'restore_deleted']);

/**
 * On a request's page: the new passwords of resets (and restores from retention) an operator
 * filed, each to be opened once.
 */
export function credentialLinks(
  r: RequestHistory,
  session: SessionRecord & { role: string },
): SafeHtml | string {
  const resets = r.items.filter((i) => ISSUES_PASSWORD.has(i.operation) && i.status === 'completed');
  if (!r.clientId?.startsWith('operator:') || resets.length === 0 || !can(session.role, 'mailboxes.act'))
    return '';
  return html`<h2>Mật khẩu mới</h2><ul>${resets.map(
    (i) =>
      html`<li>${i.address ?? ''}: <a href="/requests/${r.id}/items/${i.id}/credential">mở mật khẩu mới (chỉ một lần)</a></li>`,
  )}</ul>`;
}

export function registerMailboxRoutes(app: PagesScope, deps: ConsoleDeps) {
  // The four link changes share one form handling: the fields the change needs and a reason, then
  // one request filed; what each says to the operator differs.
  const linkForms = [
    {
      url: '/directory/mailboxes/:id/aliases',
      body: AliasBody,
      title: 'Bí danh',
      required: ['alias', '"Địa chỉ bí danh"'],
      change: (v: string): MailboxLinkChange => ({ action: 'add_alias', alias: v }),
      what: (v: string) => `thêm bí danh ${v}`,
    },
    {
      url: '/directory/mailboxes/:id/aliases/remove',
      body: AliasBody,
      title: 'Bí danh',
      required: ['alias', '"Địa chỉ bí danh"'],
      change: (v: string): MailboxLinkChange => ({ action: 'remove_alias', alias: v }),
      what: (v: string) => `gỡ bí danh ${v}`,
    },
    {
      url: '/directory/mailboxes/:id/forward',
      body: ForwardBody,
      title: 'Chuyển tiếp thư',
      required: ['forwardTo', '"Chuyển tiếp tới"'],
      change: (v: string): MailboxLinkChange => ({ action: 'set_forward', forwardTo: v }),
      what: (v: string) => `chuyển tiếp thư tới ${v}`,
    },
    {
      url: '/directory/mailboxes/:id/forward/clear',
      body: ForwardBody,
      title: 'Chuyển tiếp thư',
      required: null,
      change: (): MailboxLinkChange => ({ action: 'clear_forward' }),
      what: () => 'dừng chuyển tiếp thư',
    },
  ] as const;
  for (const form of linkForms) {
    app.post(
      form.url,
      { config: { permission: 'mailboxes.act' }, schema: { params: MailboxParams, body: form.body } },
      async (request, reply) => {
        const id = request.params.id;
        const body = request.body as {
          alias?: string;
          forwardTo?: string;
          reason: string;
          idempotencyKey: string;
        };
        const back = html`<p><a href="/directory/mailboxes/${id}">← Hộp thư</a></p>`;
        const value = form.required ? (body[form.required[0]] ?? '').trim().toLowerCase() : '';
        const missing = [
          ...(form.required && value === '' ? [form.required[1]] : []),
          ...(body.reason.trim() === '' ? ['"Lý do"'] : []),
        ];
        if (missing.length > 0) {
          return sendPage(request, reply, {
            title: form.title,
            current: 'directory',
            status: 400,
            notice: { kind: 'error', text: `Cần ghi ${missing.join(' và ')}. Chưa có gì thay đổi.` },
            body: back,
          });
        }
        const result = await manageMailboxLinks(deps, {
          change: form.change(value),
          mailboxId: id,
          reason: body.reason.trim(),
          idempotencyKey: body.idempotencyKey,
          operator: request.consoleSession!,
          clientIp: request.ip,
        });
        const what = form.what(value);
        return sendPage(request, reply, {
          title: form.title,
          current: 'directory',
          status: result.outcome === 'filed' ? 200 : 409,
          notice:
            result.outcome === 'filed'
              ? {
                  kind: 'ok',
                  text: `Đã gửi yêu cầu ${what} (trạng thái: ${result.status === 'pending_approval' ? 'chờ phê duyệt' : result.status}).`,
                }
              : { kind: 'error', text: `Không ${what} được: ${result.message}` },
          body: html`${result.outcome === 'filed' ? html`<p>Mã yêu cầu: <a href="/requests/${result.requestId}">${result.requestId}</a></p>` : ''}${back}`,
        });
      },
    );
  }

  const credentialForm = (requestId: string, itemId: string, csrf: string) =>
    html`<form method="post" action="/requests/${requestId}/items/${itemId}/credential" class="credential-open">
<input type="hidden" name="_csrf" value="${csrf}">
<p>Mật khẩu mới chỉ hiện <strong>một lần</strong>: hãy sẵn sàng đọc cho chủ hộp thư (hoặc ghi vào phiếu giao) trước khi mở.</p>
<button type="submit">Mở mật khẩu mới</button></form>`;

  app.get(
    '/requests/:id/items/:itemId/credential',
    { config: { permission: 'mailboxes.act' }, schema: { params: ItemParams } },
    async (request, reply) =>
      sendPage(request, reply, {
        title: 'Mật khẩu mới',
        current: 'directory',
        body: html`${credentialForm(request.params.id, request.params.itemId, request.consoleSession!.csrfToken)}
<p><a href="/requests/${request.params.id}">← Yêu cầu</a></p>`,
      }),
  );

  app.post(
    '/requests/:id/items/:itemId/credential',
    {
      config: { permission: 'mailboxes.act' },
      schema: { params: ItemParams, body: Type.Object({ _csrf: Type.String() }) },
    },
    async (request, reply) => {
      const { id, itemId } = request.params;
      const result = await openMailboxCredential(deps, {
        requestId: id,
        itemId,
        operator: request.consoleSession!,
        clientIp: request.ip,
      });
      if (result.outcome !== 'opened') {
        return sendPage(request, reply, {
          title: 'Mật khẩu mới',
          current: 'directory',
          status: result.outcome === 'gone' ? 410 : result.outcome === 'not_ready' ? 409 : 400,
          notice: { kind: 'error', text: result.message },
          body: html`${result.outcome === 'not_ready' ? credentialForm(id, itemId, request.consoleSession!.csrfToken) : ''}
<p><a href="/requests/${id}">← Yêu cầu</a></p>`,
        });
      }
      return sendPage(request, reply, {
        title: 'Mật khẩu mới',
        current: 'directory',
        notice: {
          kind: 'ok',
          text: 'Đây là lần duy nhất mật khẩu này được hiển thị; trang này không mở lại được.',
        },
        body: html`<dl class="credential"><dt>Hộp thư</dt><dd>${result.address}</dd>
<dt>Mật khẩu mới</dt><dd><code id="new-password">${result.password}</code></dd></dl>
<p><a href="/requests/${id}">← Yêu cầu</a></p>`,
      });
    },
  );
}
