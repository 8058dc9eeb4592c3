// Sự kiện bị tạm giữ: the messages the back-end services' consumers could not handle (kept in each
// service's parked_events, nothing lost), listed together, newest first, and replayed one by one
// once the cause is fixed. Server-rendered, forms only (works without JavaScript).
import { Topics } from '@hopthu/shared/events';
import type { ParkedEvent } from '@hopthu/shared/parked-events';
import { Type } from '@sinclair/typebox';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import {
  PARKING_SERVICES,
  type ParkingService,
  actOnParkedEvent,
  readParkedEvents,
} from '../domain/operations/replay-parked-event.ts';
import { showField } from './dead-letter-routes.ts';
import { html, time } from './html.ts';
import type { Notice } from './layout.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

const SERVICE_LABEL: Record<ParkingService, string> = {
  requests: 'Tiếp nhận yêu cầu',
  directory: 'Danh bạ',
  provisioner: 'Cấp phát hộp thư',
  notifier: 'Thông báo',
};

/** Events shown per service (the newest); the caption says how many there are in all. */
const PER_SERVICE = 100;

const NOTICES: Record<string, Notice> = {
  replayed: { kind: 'ok', text: 'Đã xử lý lại sự kiện; sự kiện không còn bị tạm giữ.' },
  replay_failed: {
    kind: 'error',
    text: 'Xử lý lại vẫn lỗi: sự kiện vẫn bị tạm giữ, lỗi mới ghi trong bảng. Hãy khắc phục nguyên nhân rồi thử lại.',
  },
  replay_refused: {
    kind: 'error',
    text: 'Dịch vụ không nhận thao tác này (sự kiện đã được xử lý lại hoặc đã đóng, không còn, hoặc bộ tiêu thụ không chạy).',
  },
  dismissed: { kind: 'ok', text: 'Đã đóng sự kiện mà không xử lý lại; lý do được ghi lại.' },
  dismiss_refused: {
    kind: 'error',
    text: 'Chưa đóng được: cần ghi lý do (ít nhất 3 ký tự), hoặc sự kiện đã được xử lý lại hay đã đóng.',
  },
};

const ServiceParam = Type.Union(PARKING_SERVICES.map((s) => Type.Literal(s)));
const ListQuery = Type.Object({
  show: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('replayed'), Type.Literal('all')])),
  service: Type.Optional(Type.Union([Type.Literal(''), ServiceParam])),
  notice: Type.Optional(Type.String({ maxLength: 40 })),
});
const ActionParams = Type.Object({
  service: ServiceParam,
  id: Type.String({ pattern: '^[0-9a-fA-F-]{36}$' }),
  action: Type.Union([Type.Literal('replay'), Type.Literal('dismiss')]),
});
const ActionBody = Type.Object({
  _csrf: Type.String(),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});

/**
 * Items the directory answered failed when it parked them (its onPoison): a replay would create
 * what the agency was told failed, so the page says so next to the buttons.
 */
const answeredFailed = (service: ParkingService, e: ParkedEvent) =>
  service === 'directory' && e.eventType === 'vn.gov.hopthu.request.item.approved.v1';

/**
 * A provisioning command the provisioner also keeps as a dead letter (its own onPoison): replayed
 * there, as a new event, which closes this record too; one way to replay it.
 */
const hasDeadLetter = (service: ParkingService, e: ParkedEvent) =>
  service === 'provisioner' && e.topic === Topics.provisioningCommands;

/** The event type as operators read it: without the product's prefix. */
const shortType = (type: string | null) => (type ? type.replace(/^vn\.gov\.hopthu\./, '') : 'không đọc được');

export function registerParkedEventRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/parked-events',
    { config: { permission: 'queues.view' }, schema: { querystring: ListQuery } },
    async (request, reply) => {
      const show = request.query.show ?? 'open';
      const only = request.query.service || undefined;
      const lists = await readParkedEvents(deps, {
        state: show,
        services: only ? [only] : PARKING_SERVICES,
        limit: PER_SERVICE,
      });
      const rows = lists
        .flatMap((l) => l.parkedEvents.map((event) => ({ service: l.service, event })))
        .sort((a, b) => b.event.parkedAt.localeCompare(a.event.parkedAt));
      const total = lists.reduce((n, l) => n + l.total, 0);
      const down = lists.filter((l) => l.unavailable).map((l) => SERVICE_LABEL[l.service]);
      const csrf = request.consoleSession!.csrfToken;
      const mayReplay = can(request.consoleSession!.role, 'dead_letters.replay');
      const actions = (service: ParkingService, e: ParkedEvent) => {
        const path = `/parked-events/${service}/${e.id}`;
        return html`${answeredFailed(service, e) ? html`<p class="muted">Mục này đã được trả lời thất bại cho cơ quan: xử lý lại sẽ thực hiện mục đã báo thất bại.</p>` : ''}
<form method="post" action="${path}/replay"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">Xử lý lại</button></form>
<form method="post" action="${path}/dismiss"><input type="hidden" name="_csrf" value="${csrf}"><label for="r-${e.id}">Lý do đóng</label> <input id="r-${e.id}" name="reason" required minlength="3" maxlength="500"> <button type="submit" class="secondary">Đóng, không xử lý lại</button></form>`;
      };
      const replayCell = (service: ParkingService, e: ParkedEvent) =>
        e.replayOutcome === 'republished'
          ? html`<span class="badge ok">Đã gửi lại ở Lỗi cấp phát</span> ${time(e.replayedAt)}`
          : e.replayOutcome === 'dismissed'
            ? html`<span class="badge">Đã đóng</span> ${time(e.replayedAt)} <span class="muted">bởi ${e.replayedBy ?? ''}: ${e.dismissReason ?? ''}</span>`
            : e.replayedAt
              ? html`<span class="badge ok">Đã xử lý lại</span> ${time(e.replayedAt)} <span class="muted">bởi ${e.replayedBy ?? ''}</span>`
              : hasDeadLetter(service, e)
                ? html`<a href="/dead-letters">Gửi lại ở Lỗi cấp phát</a>`
                : !mayReplay
                  ? html`<span class="muted">Đang tạm giữ</span>`
                  : actions(service, e);
      const body = html`
<p>Sự kiện mà một dịch vụ không xử lý được (sai định dạng, hoặc lỗi lặp lại) được giữ lại, không bị mất. Khắc phục nguyên nhân rồi bấm <strong>Xử lý lại</strong>: sự kiện được xử lý đúng một lần.</p>
<form class="filters" method="get" action="/parked-events" role="search" aria-label="Lọc sự kiện bị tạm giữ">
  ${showField(show, { open: 'Đang tạm giữ', replayed: 'Đã xử lý lại' })}
  <div class="field"><label for="service">Dịch vụ</label><select id="service" name="service">
    <option value="">Tất cả</option>
    ${PARKING_SERVICES.map(
      (s) => html`<option value="${s}"${s === only ? html` selected` : ''}>${SERVICE_LABEL[s]}</option>`,
    )}
  </select></div>
  <button type="submit" class="secondary">Xem</button></form>
${down.length > 0 ? html`<p class="notice error" role="alert">Không đọc được danh sách của: ${down.join(', ')}. Hãy thử lại sau ít phút.</p>` : ''}
${
  rows.length === 0
    ? html`<p id="no-parked-events">Không có sự kiện nào bị tạm giữ.</p>`
    : html`<table id="parked-events"><caption>${total} sự kiện (mới nhất trước; tối đa ${PER_SERVICE} mỗi dịch vụ)</caption>
<thead><tr><th scope="col">Lúc</th><th scope="col">Dịch vụ</th><th scope="col">Sự kiện</th><th scope="col">Vị trí trong Kafka</th><th scope="col">Lỗi</th><th scope="col">Số lần thử</th><th scope="col">Xử lý lại</th></tr></thead>
<tbody>${rows.map(
        ({ service, event: e }) => html`<tr id="pe-${e.id}"><td>${time(e.parkedAt)}</td>
<td>${SERVICE_LABEL[service]}<br><span class="muted">${e.consumer}</span></td>
<td>${shortType(e.eventType)}<br><span class="muted">${e.eventId ?? ''}</span></td>
<td><span class="muted">${e.topic} / ${e.partition} / ${e.offset}</span></td>
<td>${e.error}${e.replayAttempts > 0 && !e.replayedAt ? html`<br><span class="muted">${e.replayAttempts} lần xử lý lại chưa thành công</span>` : ''}</td>
<td>${e.attempts}</td><td>${replayCell(service, e)}</td></tr>`,
      )}</tbody></table>`
}`;
      const notice = request.query.notice ? NOTICES[request.query.notice] : undefined;
      return sendPage(request, reply, {
        title: 'Sự kiện bị tạm giữ',
        current: 'parked-events',
        notice,
        body,
      });
    },
  );

  app.post(
    '/parked-events/:service/:id/:action',
    { config: { permission: 'dead_letters.replay' }, schema: { params: ActionParams, body: ActionBody } },
    async (request, reply) => {
      const { service, id, action } = request.params;
      const result = await actOnParkedEvent(deps, {
        service,
        id,
        action,
        ...(action === 'dismiss' ? { reason: request.body.reason?.trim() ?? '' } : {}),
        operator: request.consoleSession!,
        clientIp: request.ip,
      });
      const notice =
        action === 'dismiss'
          ? result.outcome === 'done'
            ? 'dismissed'
            : 'dismiss_refused'
          : result.outcome === 'done'
            ? 'replayed'
            : result.failedAgain
              ? 'replay_failed'
              : 'replay_refused';
      return reply.redirect(`/parked-events?notice=${notice}`, 303);
    },
  );
}
