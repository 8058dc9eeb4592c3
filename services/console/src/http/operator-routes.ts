// Cán bộ vận hành (admins): the operator accounts, and a form to create one.
import { Type } from '@sinclair/typebox';
import { listOperators } from '../db/operator-repository.ts';
import { createOperator } from '../domain/auth/create-operator.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html, time } from './html.ts';
import { noticeFrom, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

export function registerOperatorRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/operators',
    { schema: { querystring: Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) }) } },
    async (request, reply) => {
      const operators = await listOperators(deps.db);
      const csrf = request.consoleSession!.csrfToken;
      const body = html`<table><thead><tr><th scope="col">Tên đăng nhập</th><th scope="col">Họ tên</th><th scope="col">Vai trò</th><th scope="col">Tạo lúc</th><th scope="col">Tình trạng</th></tr></thead>
<tbody>${operators.map(
        (
          o,
        ) => html`<tr><td>${o.username}</td><td>${o.displayName}</td><td>${o.role === 'admin' ? 'Quản trị' : 'Cán bộ vận hành'}</td>
<td>${time(o.createdAt)}</td><td>${o.disabled ? 'Đã khóa' : 'Đang dùng'}</td></tr>`,
      )}</tbody></table>
<h2>Tạo tài khoản cán bộ</h2>
<form method="post" action="/operators" style="max-width:420px">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div class="field"><label for="new-username">Tên đăng nhập</label><input id="new-username" name="username" required maxlength="64" pattern="[a-z0-9][a-z0-9._@+\\-]{1,63}" aria-describedby="username-help" style="width:100%">
    <div id="username-help" class="muted">Chữ thường không dấu, số và . _ @ + -</div></div>
  <div class="field"><label for="new-name">Họ tên</label><input id="new-name" name="displayName" required maxlength="200" style="width:100%"></div>
  <div class="field"><label for="new-role">Vai trò</label><select id="new-role" name="role"><option value="operator">Cán bộ vận hành</option><option value="admin">Quản trị</option></select></div>
  <div class="field"><label for="new-password">Mật khẩu ban đầu</label><input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="200" aria-describedby="password-help" style="width:100%">
    <div id="password-help" class="muted">Ít nhất 12 ký tự, có cả chữ và số.</div></div>
  <button type="submit">Tạo tài khoản</button>
</form>`;
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
      schema: {
        body: Type.Object({
          _csrf: Type.String(),
          username: Type.String({ minLength: 1, maxLength: 64 }),
          displayName: Type.String({ maxLength: 200 }),
          role: Type.Union([Type.Literal('operator'), Type.Literal('admin')]),
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
}
