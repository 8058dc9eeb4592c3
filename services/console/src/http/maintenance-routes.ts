// Bảo trì: an operator schedules planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b). The notifier
// checks the window against the provinces' rules (only on Saturday or Sunday, announced at least 2
// working days ahead) and mails the notice to every agency mailbox; a refused window comes back on
// the form with the notifier's reasons, which name the article. Works without JavaScript.
import { Type } from '@sinclair/typebox';
import type { ConsoleDeps } from '../domain/deps.ts';
import { html, type SafeHtml } from './html.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const Form = Type.Object({
  _csrf: Type.String(),
  startsAt: Type.String({ maxLength: 20 }),
  endsAt: Type.String({ maxLength: 20 }),
  reason: Type.String({ maxLength: 500 }),
});

interface Problem {
  field: string;
  message: { vi: string; en: string };
}

const FIELD_LABEL: Record<string, string> = {
  '/startsAt': 'Bắt đầu',
  '/endsAt': 'Kết thúc',
  '/reason': 'Nội dung',
};

/** `2026-12-12T22:00` from the form, read as Vietnam time. */
const vnInstant = (local: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+07:00` : local;

function form(
  csrf: string,
  values: { startsAt?: string; endsAt?: string; reason?: string },
  problems: Problem[],
) {
  const errors: SafeHtml | string = problems.length
    ? html`<div class="notice error" role="alert"><p>Lịch bảo trì bị từ chối:</p><ul>${problems.map(
        (p) => html`<li><strong>${FIELD_LABEL[p.field] ?? p.field}</strong>: ${p.message.vi}</li>`,
      )}</ul></div>`
    : '';
  return html`${errors}
<p>Theo Quy chế của Bắc Ninh (Điều 10 khoản 2 điểm b), việc tạm ngừng hệ thống để bảo trì phải thông báo trước ít nhất 02 ngày làm việc và thực hiện vào thứ Bảy hoặc Chủ nhật. Mọi hộp thư cơ quan nhận thông báo qua thư.</p>
<form method="post" action="/maintenance" aria-label="Lên lịch bảo trì">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div class="field"><label for="m-start">Bắt đầu (giờ Việt Nam)</label>
    <input id="m-start" name="startsAt" type="datetime-local" required value="${values.startsAt ?? ''}"></div>
  <div class="field"><label for="m-end">Kết thúc (giờ Việt Nam)</label>
    <input id="m-end" name="endsAt" type="datetime-local" required value="${values.endsAt ?? ''}"></div>
  <div class="field"><label for="m-reason">Nội dung bảo trì</label>
    <input id="m-reason" name="reason" required maxlength="500" value="${values.reason ?? ''}"></div>
  <button type="submit" data-action="maintenance-schedule">Lên lịch và gửi thông báo</button>
</form>`;
}

export function registerMaintenanceRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get('/maintenance', { config: { permission: 'mailboxes.act' } }, async (request, reply) => {
    const sent = (request.query as { sent?: string }).sent;
    return sendPage(request, reply, {
      title: 'Bảo trì hệ thống',
      current: 'maintenance',
      ...(sent && /^\d{1,6}$/.test(sent)
        ? {
            notice: {
              kind: 'ok' as const,
              text: `Đã lên lịch bảo trì và gửi thông báo tới ${sent} hộp thư cơ quan.`,
            },
          }
        : {}),
      body: form(request.consoleSession!.csrfToken, {}, []),
    });
  });

  app.post(
    '/maintenance',
    { config: { permission: 'mailboxes.act' }, schema: { body: Form } },
    async (request, reply) => {
      const session = request.consoleSession!;
      const { startsAt, endsAt, reason } = request.body;
      const answer = await deps.upstreams.notifier.post<{ recipients?: number; errors?: Problem[] }>(
        '/admin/maintenance',
        { startsAt: vnInstant(startsAt), endsAt: vnInstant(endsAt), reason, operator: session.username },
        { name: session.username, role: session.role },
      );
      if (answer.status === 201)
        return reply.redirect(`/maintenance?sent=${answer.body.recipients ?? 0}`, 303);
      const problems = answer.body.errors ?? [
        { field: '/startsAt', message: { vi: 'Dịch vụ thông báo từ chối lịch này', en: 'refused' } },
      ];
      return sendPage(request, reply, {
        title: 'Bảo trì hệ thống',
        current: 'maintenance',
        status: 400,
        body: form(session.csrfToken, { startsAt, endsAt, reason }, problems),
      });
    },
  );
}
