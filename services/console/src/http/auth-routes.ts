// Login and logout pages. The login form is protected by a double-submit token (a cookie and a
// hidden field) since no session exists yet; a successful login always opens a new session.
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { logIn } from '../domain/auth/log-in.ts';
import { logOut } from '../domain/auth/log-out.ts';
import { csrfTokenMatches } from '../domain/auth/session-policy.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html } from './html.ts';
import { type Notice, renderPage } from './layout.ts';
import { noticeFrom } from './page-reply.ts';
import {
  cookie,
  expiredCookie,
  LOGIN_COOKIE,
  parseCookies,
  SESSION_COOKIE,
  safeNext,
} from './session-auth.ts';
import type { PagesScope } from './pages.ts';

export interface AuthRouteOptions {
  secureCookies: boolean;
  sessionMaxSeconds: number;
}

function loginPage(
  reply: FastifyReply,
  o: AuthRouteOptions,
  p: { next: string; username?: string; notice?: Notice | undefined; status?: number },
) {
  const token = randomBytes(24).toString('base64url');
  return reply
    .status(p.status ?? 200)
    .header(
      'set-cookie',
      cookie(LOGIN_COOKIE, token, { secure: o.secureCookies, path: '/login', maxAgeSeconds: 1800 }),
    )
    .type('text/html; charset=utf-8')
    .send(
      renderPage({
        title: 'Đăng nhập',
        current: 'login',
        notice: p.notice,
        body: html`<form class="login" method="post" action="/login" aria-labelledby="login-title">
  <h2 id="login-title" style="margin-top:0">Đăng nhập bảng điều khiển</h2>
  <input type="hidden" name="_csrf" value="${token}">
  <input type="hidden" name="next" value="${p.next}">
  <div class="field"><label for="username">Tên đăng nhập</label>
    <input id="username" name="username" autocomplete="username" required maxlength="64" value="${p.username ?? ''}" style="width:100%"></div>
  <div class="field"><label for="password">Mật khẩu</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200" style="width:100%"></div>
  <button type="submit">Đăng nhập</button>
</form>`,
      }),
    );
}

export function registerAuthRoutes(app: PagesScope, deps: ConsoleDeps, o: AuthRouteOptions) {
  app.get('/', async (_request, reply) => reply.redirect('/dashboard', 303));

  app.get('/login', async (request: FastifyRequest, reply) => {
    const query = request.query as { next?: string };
    return loginPage(reply, o, { next: safeNext(query.next), notice: noticeFrom(request.query) });
  });

  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const cookies = parseCookies(request.headers.cookie);
    const next = safeNext(body.next);
    const username = typeof body.username === 'string' ? body.username.slice(0, 64) : '';
    const password = typeof body.password === 'string' ? body.password.slice(0, 200) : '';
    const expected = cookies[LOGIN_COOKIE];
    if (!expected || !csrfTokenMatches(expected, body._csrf)) {
      return loginPage(reply, o, {
        next,
        username,
        status: 403,
        notice: {
          kind: 'error',
          text: 'Biểu mẫu đăng nhập không hợp lệ hoặc đã quá hạn; hãy nhập lại.',
        },
      });
    }
    if (!username || !password) {
      return loginPage(reply, o, {
        next,
        username,
        status: 400,
        notice: { kind: 'error', text: 'Hãy nhập tên đăng nhập và mật khẩu.' },
      });
    }
    const result = await logIn(deps, {
      username,
      password,
      clientIp: request.ip,
      previousToken: cookies[SESSION_COOKIE],
    });
    if (!result.ok) {
      const limited = result.reason === 'rate_limited';
      return loginPage(reply, o, {
        next,
        username,
        status: limited ? 429 : 401,
        notice: {
          kind: 'error',
          text: limited
            ? `Đăng nhập sai quá nhiều lần. Hãy thử lại sau ${Math.ceil(deps.login.windowMs / 60_000)} phút.`
            : 'Tên đăng nhập hoặc mật khẩu không đúng.',
        },
      });
    }
    request.log.info({ username: result.username }, 'operator logged in');
    return reply
      .header('set-cookie', [
        cookie(SESSION_COOKIE, result.token, { secure: o.secureCookies, maxAgeSeconds: o.sessionMaxSeconds }),
        expiredCookie(LOGIN_COOKIE, { secure: o.secureCookies, path: '/login' }),
      ])
      .redirect(next, 303);
  });
}

/** Logout needs the session and its CSRF token, so it lives among the protected pages. */
export function registerLogoutRoute(app: PagesScope, deps: ConsoleDeps, o: AuthRouteOptions) {
  app.post('/logout', { config: { permission: 'account.self' } }, async (request, reply) => {
    await logOut(deps, { session: request.consoleSession!, clientIp: request.ip });
    return reply
      .header('set-cookie', expiredCookie(SESSION_COOKIE, { secure: o.secureCookies }))
      .redirect('/login?notice=logged_out', 303);
  });
}
