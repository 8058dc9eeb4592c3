// Bảo trì: an operator schedules planned downtime (Bắc Ninh Điều 10 khoản 2 điểm b). The notifier
// checks the window against the provinces' rules (only on Saturday or Sunday, announced at least 2
// working days ahead) and mails the notice to every agency mailbox; a refused window comes back on
// the form with the notifier's reasons, which name the article. Works without JavaScript. Every
// schedule, accepted or refused, is in the audit chain (domain/operations/schedule-maintenance.ts).
import { listPolicies } from '@hopthu/naming';
import { Type } from '@sinclair/typebox';
import type { ConsoleDeps } from '../domain/deps.ts';
import { type MaintenanceProblem, scheduleMaintenanceAs } from '../domain/operations/schedule-maintenance.ts';
import { html, type SafeHtml } from './html.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const Form = Type.Object({
  _csrf: Type.String(),
  startsAt: Type.String({ maxLength: 20 }),
  endsAt: Type.String({ maxLength: 20 }),
  reason: Type.String({ maxLength: 500 }),
  /** One province's agencies only (its rules alone apply); empty: every province. */
  province: Type.Optional(Type.String({ maxLength: 64 })),
});

type Problem = MaintenanceProblem;

const FIELD_LABEL: Record<string, string> = {
  '/startsAt': 'Bắt đầu',
  '/endsAt': 'Kết thúc',
  '/reason': 'Nội dung',
  '/provinces': 'Tỉnh',
};

/** `2026-12-12T22:00` from the form, read as Vietnam time. */
const vnInstant = (local: string) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) ? `${local}:00+07:00` : local;

function form(
  csrf: string,
  values: { startsAt?: string; endsAt?: string; reason?: string; province?: string | undefined },
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
  <div class="field"><label for="m-province">Tỉnh được thông báo</label>
    <select id="m-province" name="province">
      <option value="">Tất cả các tỉnh</option>
      ${listPolicies().map(
        (p) =>
          html`<option value="${p.id}"${values.province === p.id ? html` selected` : ''}>${p.name}</option>`,
      )}
    </select></div>
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
      const { startsAt, endsAt, reason, province } = request.body;
      const result = await scheduleMaintenanceAs(deps, {
        startsAt: vnInstant(startsAt),
        endsAt: vnInstant(endsAt),
        reason,
        provinces: province ? [province] : undefined,
        operator: session,
        clientIp: request.ip,
      });
      if (result.outcome === 'scheduled')
        return reply.redirect(`/maintenance?sent=${result.recipients}`, 303);
      return sendPage(request, reply, {
        title: 'Bảo trì hệ thống',
        current: 'maintenance',
        status: 400,
        body: form(session.csrfToken, { startsAt, endsAt, reason, province }, result.problems),
      });
    },
  );
}
