// Cán bộ vận hành: the operator accounts (admins and auditors read them), and for admins a form to
// create one and a button to disable or re-enable each.
import { Type } from '@sinclair/typebox';
import { listOperators } from '../db/operator-repository.ts';
import { createOperator, USERNAME_PATTERN } from '../domain/auth/create-operator.ts';
import { can, ROLE_LABEL, ROLES } from '../domain/auth/permissions.ts';
import { setOperatorDisabled } from '../domain/auth/set-operator-disabled.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html, time } from './html.ts';
import { noticeFrom, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
const UsernameParams = Type.Object({ username: Type.String({ pattern: USERNAME_PATTERN }) });

export function registerOperatorRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/operators',
    {
      config: { permission: 'operators.view' },
      schema: { querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) }) },
    },
    async (request, reply) => {
      const operators = await listOperators(deps.db);
      const session = request.consoleSession!;
      const csrf = session.csrfToken;
      const manage = can(session.role, 'operators.manage');
      const toggle = (o: (typeof operators)[number]) => {
        if (!manage) return '';
        if (o.id === session.operatorId) return html`<span class="muted">(bạn)</span>`;
        const verb = o.disabled ? 'enable' : 'disable';
        return html`<form method="post" action="/operators/${o.username}/${verb}" style="margin:0">
<input type="hidden" name="_csrf" value="${csrf}">
<button type="submit" class="${o.disabled ? 'secondary' : 'danger'}" data-action="${verb}" aria-label="${o.disabled ? 'Mở khóa' : 'Khóa'} tài khoản ${o.username}">${o.disabled ? 'Mở khóa' : 'Khóa'}</button></form>`;
      };
      const body = html`<table><thead><tr><th scope="col">Tên đăng nhập</th><th scope="col">Họ tên</th><th scope="col">Vai trò</th><th scope="col">Tạo lúc</th><th scope="col">Tình trạng</th>${
        manage ? html`<th scope="col">Thao tác</th>` : ''
      }</tr></thead>
<tbody>${operators.map(
        (
          o,
        ) => html`<tr id="operator-${o.username}" data-disabled="${String(o.disabled)}"><td>${o.username}</td><td>${o.displayName}</td><td>${ROLE_LABEL[o.role] ?? o.role}</td>
<td>${time(o.createdAt)}</td><td>${o.disabled ? html`<span class="badge err">Đã khóa</span>` : html`<span class="badge ok">Đang dùng</span>`}</td>${
          manage ? html`<td>${toggle(o)}</td>` : ''
        }</tr>`,
      )}</tbody></table>
${
  manage
    ? html`<h2>Tạo tài khoản cán bộ</h2>
<form method="post" action="/operators" style="max-width:420px">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div class="field"><label for="new-username">Tên đăng nhập</label><input id="new-username" name="username" required maxlength="64" pattern="[a-z0-9][a-z0-9._@+\\-]{1,63}" aria-describedby="username-help" style="width:100%">
    <div id="username-help" class="muted">Chữ thường không dấu, số và . _ @ + -</div></div>
  <div class="field"><label for="new-name">Họ tên</label><input id="new-name" name="displayName" required maxlength="200" style="width:100%"></div>
  <div class="field"><label for="new-role">Vai trò</label><select id="new-role" name="role">${ROLES.map(
    (r) => html`<option value="${r}">${ROLE_LABEL[r]}</option>`,
  )}</select></div>
  <div class="field"><label for="new-password">Mật khẩu ban đầu</label><input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="200" aria-describedby="password-help" style="width:100%">
    <div id="password-help" class="muted">Ít nhất 12 ký tự, có cả chữ và số.</div></div>
  <button type="submit">Tạo tài khoản</button>
</form>`
    : ''
}`;
      return sendPage(request, reply, {
        title: 'Cán bộ vận hành',
        current: 'operators',
        notice: noticeFrom(request.query),
        body,
      });
    },
  );

  app.post(
    '/operators',
    {
      config: { permission: 'operators.manage' },
      schema: {
        body: Type.Object({
          _csrf: Type.String(),
          username: Type.String({ minLength: 1, maxLength: 64 }),
          displayName: Type.String({ maxLength: 200 }),
          role: RoleSchema,
          password: Type.String({ minLength: 1, maxLength: 200 }),
        }),
      },
    },
    async (request, reply) => {
      const s = request.consoleSession!;
      await createOperator(deps, {
        username: request.body.username,
        displayName: request.body.displayName,
        role: request.body.role,
        password: request.body.password,
        actor: { operatorId: s.operatorId, username: s.username, clientIp: request.ip },
      });
      return reply.redirect('/operators?notice=operator_created', 303);
    },
  );

  for (const verb of ['disable', 'enable'] as const) {
    app.post(
      `/operators/:username/${verb}`,
      {
        config: { permission: 'operators.manage' },
        schema: { params: UsernameParams, body: Type.Object({ _csrf: Type.String() }) },
      },
      async (request, reply) => {
        const s = request.consoleSession!;
        await setOperatorDisabled(deps, {
          username: request.params.username,
          disabled: verb === 'disable',
          actor: { operatorId: s.operatorId, username: s.username, clientIp: request.ip },
        });
        return reply.redirect(`/operators?notice=operator_${verb}d`, 303);
      },
    );
  }
}
