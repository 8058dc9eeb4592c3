// The HTML side of the console: one scope with its own error page and security headers; the
// login page open to all, every other page behind a session, a permission its role must have
// (declared by each route in `config.permission`; a route without one cannot be registered) and a
// CSRF token on every POST.
import { type HttpApp, toAppError } from '@hopthu/shared/http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UpstreamError } from '../domain/admin-api.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import { registerAccountRoutes } from './account-routes.ts';
import { registerAgencyRoutes } from './agency-routes.ts';
import { registerApprovalRoutes } from './approval-routes.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { type AuthRouteOptions, registerAuthRoutes, registerLogoutRoute } from './auth-routes.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { registerDeadLetterRoutes } from './dead-letter-routes.ts';
import { registerDeadlineRoutes } from './deadline-routes.ts';
import { registerDirectoryRoutes } from './directory-routes.ts';
import { html } from './html.ts';
import { registerImportRoutes } from './import-routes.ts';
import { renderPage } from './layout.ts';
import { registerOperatorRoutes } from './operator-routes.ts';
import { registerParkedEventRoutes } from './parked-event-routes.ts';
import { sendPage } from './page-reply.ts';
import { registerMailboxRoutes } from './mailbox-routes.ts';
import { registerMaintenanceRoutes } from './maintenance-routes.ts';
import { registerPaperRequestRoutes } from './paper-request-routes.ts';
import { registerReclaimRoutes } from './reclaim-routes.ts';
import { registerReorganisationRoutes } from './reorganisation-routes.ts';
import { registerReportRoutes } from './report-routes.ts';
import { pageUser, requireCsrf, requireOperator, requirePermission } from './session-auth.ts';

export type PagesScope = HttpApp;

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function refusalPage(title: string, text: string) {
  return (request: FastifyRequest) =>
    renderPage({
      title,
      current: 'approvals',
      user: request.consoleSession ? pageUser(request.consoleSession) : undefined,
      notice: { kind: 'error', text },
      body: html`<p><a href="/approvals">Về trang Phê duyệt</a></p>`,
    });
}

function errorPage(error: Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof UpstreamError) {
    request.log.warn({ err: error, service: error.service }, 'upstream service failed');
    return sendPage(request, reply, {
      title: 'Dịch vụ không trả lời',
      current: 'approvals',
      status: 502,
      notice: {
        kind: 'error',
        text: `Dịch vụ ${error.service} hiện không trả lời hoặc gặp lỗi. Hãy thử lại sau ít phút.`,
      },
      body: html`<p><a href="${request.url}">Tải lại trang</a></p>`,
    });
  }
  const appError = toAppError(error);
  if (!appError || appError.status >= 500) request.log.error({ err: error }, 'console page failed');
  return sendPage(request, reply, {
    title: appError && appError.status < 500 ? 'Không thực hiện được' : 'Lỗi hệ thống',
    current: 'approvals',
    status: appError?.status ?? 500,
    notice: {
      kind: 'error',
      text:
        appError && appError.status < 500
          ? appError.text.vi
          : 'Đã xảy ra lỗi nội bộ; thao tác chưa hoàn tất.',
    },
    body: html`${fieldList(appError && appError.status < 500 ? appError.errors : [])}<p><a href="/approvals">Về trang Phê duyệt</a></p>`,
  });
}

/** What was wrong with a form, field by field (the same errors an API caller gets as problem+json). */
function fieldList(errors: readonly { field: string; message: { vi: string; en: string } }[]) {
  if (errors.length === 0) return '';
  return html`<ul class="field-errors">${errors.map(
    (e) =>
      html`<li data-field="${e.field}">Trường <code>${e.field.replace(/^\/?(body\/)?/, '')}</code>: ${e.message.vi} <span class="muted">(${e.message.en})</span></li>`,
  )}</ul>`;
}

export function registerPages(app: HttpApp, deps: ConsoleDeps, o: AuthRouteOptions) {
  app.register(async (scope) => {
    const pages = scope as unknown as PagesScope;
    pages.setErrorHandler((error, request, reply) => errorPage(error as Error, request, reply));
    pages.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      reply.header('cache-control', 'no-store');
      return payload;
    });
    registerAuthRoutes(pages, deps, o);

    pages.register(async (inner) => {
      const protectedPages = inner as unknown as PagesScope;
      protectedPages.addHook('onRoute', (route) => {
        if (!route.config?.permission) {
          throw new Error(`console page ${route.method} ${route.url} declares no permission`);
        }
      });
      protectedPages.addHook('onRequest', requireOperator(deps));
      protectedPages.addHook(
        'onRequest',
        requirePermission(
          deps,
          refusalPage('Không có quyền', 'Vai trò của bạn không được mở trang hoặc làm thao tác này.'),
        ),
      );
      protectedPages.addHook(
        'preValidation',
        requireCsrf(
          deps,
          refusalPage(
            'Biểu mẫu không hợp lệ',
            'Biểu mẫu đã hết hạn hoặc không đến từ bảng điều khiển (thiếu mã CSRF). Hãy tải lại trang và thử lại.',
          ),
        ),
      );
      registerLogoutRoute(protectedPages, deps, o);
      registerAccountRoutes(protectedPages, deps);
      registerDashboardRoutes(protectedPages, deps);
      registerReportRoutes(protectedPages, deps);
      registerApprovalRoutes(protectedPages, deps);
      registerDeadlineRoutes(protectedPages, deps);
      registerDeadLetterRoutes(protectedPages, deps);
      registerParkedEventRoutes(protectedPages, deps);
      registerDirectoryRoutes(protectedPages, deps);
      registerAgencyRoutes(protectedPages, deps);
      registerPaperRequestRoutes(protectedPages, deps);
      registerMailboxRoutes(protectedPages, deps);
      registerReclaimRoutes(protectedPages, deps);
      registerMaintenanceRoutes(protectedPages, deps);
      registerReorganisationRoutes(protectedPages, deps);
      registerImportRoutes(protectedPages, deps);
      registerAuditRoutes(protectedPages, deps);
      registerOperatorRoutes(protectedPages, deps);
    });
  });
}
