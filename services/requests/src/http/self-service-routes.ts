// The mailbox holder's own password change (regulations §5), on the requests service's base URL:
//   POST /v1/self-service/password  JSON { address, currentPassword, newPassword } → 204; 401 wrong
//     current password; 422 every broken rule of the province (Vietnamese and English); 429 with
//     Retry-After after repeated failures for one address or one client address. For webmail
//     plugins (Roundcube's password plugin, HTTP driver). A JSON body cannot be sent cross-site
//     without a CORS preflight this service never grants, so it needs no CSRF token.
//   GET/POST /doi-mat-khau           the same as a Vietnamese web page that works on a phone; its
//     form carries a CSRF token matched against a SameSite=Strict cookie (double submit), and a
//     cross-site Origin is refused.
// Thin: both call changeOwnPassword. No password is ever logged or echoed back.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, type FieldError } from '@hopthu/shared/errors';
import type { HttpApp } from '@hopthu/shared/http';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type ChangeOwnPasswordResult,
  changeOwnPassword,
  type SelfServiceDeps,
} from '../domain/self-service/change-own-password.ts';

export const SELF_SERVICE_PAGE = '/doi-mat-khau';
const CSRF_COOKIE = 'hopthu_doimatkhau_csrf';

const PasswordBody = Type.Object(
  {
    address: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    newPassword: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export interface SelfServiceRouteDeps extends SelfServiceDeps {
  publicUrl: string;
  /** Client addresses of reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: readonly string[];
}

export function registerSelfServiceRoutes(app: HttpApp, deps: SelfServiceRouteDeps) {
  // In a plugin, so the OpenAPI document (registered before) sees the route.
  app.register(async (api) => registerPasswordApi(api as unknown as HttpApp, deps));

  // The page (forms arrive url-encoded; the app parses them into an object).
  app.register(async (page) => {
    page.get(SELF_SERVICE_PAGE, { schema: { hide: true } }, async (request, reply) => {
      const address =
        typeof (request.query as { address?: unknown }).address === 'string'
          ? (request.query as { address: string }).address
          : '';
      return sendPage(reply, 200, { address });
    });
    page.post(SELF_SERVICE_PAGE, { schema: { hide: true } }, async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, unknown>;
      const field = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : '');
      const address = field('address').slice(0, 254);
      if (!sameOrigin(request, deps.publicUrl) || !csrfMatches(request, field('_csrf'))) {
        request.log.warn('self-service page: CSRF check failed');
        return sendPage(reply, 403, {
          address,
          error: 'Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ. Hãy tải lại trang và thử lại.',
        });
      }
      if (field('newPassword') !== field('confirmPassword')) {
        return sendPage(reply, 422, { address, error: 'Mật khẩu mới nhập lại không khớp.' });
      }
      if (!address || !field('currentPassword') || !field('newPassword')) {
        return sendPage(reply, 400, {
          address,
          error: 'Hãy điền đủ địa chỉ, mật khẩu hiện tại và mật khẩu mới.',
        });
      }
      const result = await changeOwnPassword(deps, {
        address,
        currentPassword: field('currentPassword').slice(0, 256),
        newPassword: field('newPassword').slice(0, 256),
        clientIp: clientIpOf(request, deps),
      });
      switch (result.kind) {
        case 'changed':
          return sendPage(reply, 200, {
            address: result.address,
            done: `Đã đổi mật khẩu của ${result.address}. Mật khẩu mới có hiệu lực trong ít phút; hãy đăng nhập lại ứng dụng thư bằng mật khẩu mới.`,
          });
        case 'wrong_password':
          return sendPage(reply, 401, { address, error: 'Địa chỉ hoặc mật khẩu hiện tại không đúng.' });
        case 'rejected':
          return sendPage(reply, 422, {
            address,
            error: 'Mật khẩu mới chưa đạt quy định:',
            rules: result.violations.map(
              (v) => `${v.vi} (${v.article === 'hopthu' ? 'quy định của hệ thống' : v.article})`,
            ),
          });
        case 'too_many':
          reply.header('retry-after', String(result.retryAfterSeconds));
          return sendPage(reply, 429, {
            address,
            error: `Đã nhập sai quá nhiều lần. Hãy thử lại sau ${Math.ceil(result.retryAfterSeconds / 60)} phút.`,
          });
      }
    });
  });
}

function toError(
  result: Exclude<ChangeOwnPasswordResult, { kind: 'changed' }>,
  reply: FastifyReply,
): AppError {
  switch (result.kind) {
    case 'wrong_password':
      return new AppError(
        'unauthorized',
        { vi: 'Địa chỉ hoặc mật khẩu hiện tại không đúng', en: 'Wrong address or current password' },
        {
          errors: [
            {
              field: '/currentPassword',
              message: { vi: 'Mật khẩu hiện tại không đúng', en: 'The current password is wrong' },
            },
          ],
        },
      );
    case 'rejected':
      return new AppError(
        'validation_failed',
        { vi: 'Mật khẩu mới chưa đạt quy định của tỉnh', en: "The new password breaks the province's rules" },
        {
          status: 422,
          errors: result.violations.map(
            (v) =>
              ({
                field: '/newPassword',
                message: { vi: v.vi, en: v.en },
                rule: v.code,
                article: v.article,
              }) as FieldError,
          ),
        },
      );
    case 'too_many':
      reply.header('retry-after', String(result.retryAfterSeconds));
      return new AppError('rate_limited', {
        vi: `Đã nhập sai quá nhiều lần; thử lại sau ${result.retryAfterSeconds} giây`,
        en: `Too many failed attempts; retry in ${result.retryAfterSeconds} seconds`,
      });
  }
}

/** The client's address: the peer, or the nearest untrusted hop a trusted proxy reports. */
export function clientIpOf(request: FastifyRequest, deps: { trustedProxies: readonly string[] }): string {
  const peer = request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? request.ip;
  const forwarded = request.headers['x-forwarded-for'];
  if (!deps.trustedProxies.includes(peer) || typeof forwarded !== 'string') return peer;
  const hops = forwarded
    .split(',')
    .map((h) => h.trim())
    .filter((h) => /^[0-9a-fA-F:.]{2,45}$/.test(h));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (!deps.trustedProxies.includes(hop)) return hop;
  }
  return peer;
}

function sameOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true; // old browsers; the token still has to match
  const host = request.headers.host;
  return origin === new URL(publicUrl).origin || (host !== undefined && origin.endsWith(`//${host}`));
}

function csrfMatches(request: FastifyRequest, sent: string): boolean {
  const cookie = readCookie(request, CSRF_COOKIE);
  if (!cookie || !sent || cookie.length !== sent.length) return false;
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(sent));
}

function readCookie(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

interface PageState {
  address: string;
  error?: string;
  rules?: string[];
  done?: string;
}

function sendPage(reply: FastifyReply, status: number, state: PageState) {
  const token = randomBytes(24).toString('base64url');
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    )
    .header('set-cookie', `${CSRF_COOKIE}=${token}; Path=${SELF_SERVICE_PAGE}; HttpOnly; SameSite=Strict`)
    .send(renderPage(state, token));
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export function renderPage(state: PageState, csrfToken: string): string {
  const notice = state.done
    ? `<p class="ok" role="status">${escapeHtml(state.done)}</p>`
    : state.error
      ? `<div class="err" role="alert"><p>${escapeHtml(state.error)}</p>${
          state.rules?.length
            ? `<ul>${state.rules.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
            : ''
        }</div>`
      : '';
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đổi mật khẩu hộp thư công vụ</title>
<style>
  *{box-sizing:border-box}
  body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f8;color:#1b1f24}
  main{max-width:28rem;margin:0 auto;padding:1.25rem}
  h1{font-size:1.35rem;margin:.5rem 0 1rem}
  form{background:#fff;border:1px solid #d5dbe1;border-radius:.5rem;padding:1rem}
  label{display:block;font-weight:600;margin:.75rem 0 .25rem}
  input{width:100%;font-size:1rem;padding:.65rem;border:1px solid #9aa5b1;border-radius:.35rem}
  button{width:100%;margin-top:1.25rem;padding:.8rem;font-size:1rem;font-weight:600;color:#fff;background:#0b5cad;border:0;border-radius:.35rem}
  .ok{background:#e6f4ea;border:1px solid #8cc79b;padding:.75rem;border-radius:.35rem}
  .err{background:#fdecea;border:1px solid #e59a93;padding:.75rem;border-radius:.35rem}
  .err p{margin:0}.err ul{margin:.5rem 0 0;padding-left:1.25rem}
  .hint{font-size:.9rem;color:#4a5561}
</style>
</head>
<body>
<main>
<h1>Đổi mật khẩu hộp thư công vụ</h1>
${notice}
<form method="post" action="${SELF_SERVICE_PAGE}" autocomplete="on">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <label for="address">Địa chỉ hộp thư</label>
  <input id="address" name="address" type="email" inputmode="email" autocomplete="username" required maxlength="254" value="${escapeHtml(state.address)}">
  <label for="currentPassword">Mật khẩu hiện tại (hoặc mật khẩu được cấp)</label>
  <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required maxlength="256">
  <label for="newPassword">Mật khẩu mới</label>
  <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required maxlength="256">
  <label for="confirmPassword">Nhập lại mật khẩu mới</label>
  <input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required maxlength="256">
  <p class="hint">Mật khẩu mới phải theo quy chế của tỉnh (thường là ít nhất 8 ký tự, có chữ hoa, chữ thường, chữ số và ký tự đặc biệt) và không được chứa địa chỉ hộp thư, họ tên của bạn hay mật khẩu hiện tại.</p>
  <button type="submit">Đổi mật khẩu</button>
</form>
</main>
</body>
</html>
`;
}

/** The JSON API for webmail plugins (Roundcube's password plugin has an HTTP driver). */
function registerPasswordApi(app: HttpApp, deps: SelfServiceRouteDeps) {
  app.post(
    '/v1/self-service/password',
    {
      schema: {
        summary: "The mailbox holder changes the mailbox's password (the province's rule applies)",
        description:
          '204 when changed (in force on the mail server within seconds); 401 when the current password is wrong; ' +
          '422 lists every rule the new password breaks; 429 with Retry-After after repeated failures.',
        tags: ['self-service'],
        // The holder's current password is the credential: no token.
        security: [],
        body: PasswordBody,
      },
    },
    async (request, reply) => {
      // JSON only: an HTML form of another site can post url-encoded bodies without a preflight
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? ''))
        throw new AppError('unsupported_media_type', {
          vi: 'Nội dung phải là application/json',
          en: 'The body must be application/json',
        });
      const result = await changeOwnPassword(deps, { ...request.body, clientIp: clientIpOf(request, deps) });
      if (result.kind === 'changed') return reply.status(204).header('cache-control', 'no-store').send();
      throw toError(result, reply);
    },
  );
}
