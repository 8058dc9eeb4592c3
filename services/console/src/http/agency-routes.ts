// Cơ quan, đơn vị: the agency tree of a province (unit codes of QĐ 20/2020/QĐ-TTg, official
// mailboxes, dissolved units marked), one unit's page with its effective-dated versions, and, for
// roles that may change the tree, the forms to register a unit, rename it, move it, re-code it and
// file its dissolution (two operators then approve it in Phê duyệt). Every form asks for a reason;
// a refusal shows the service's error field by field and changes nothing.
import { randomUUID } from 'node:crypto';
import { listPolicies, UNIT_TYPES } from '@hopthu/naming';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRecord } from '../db/session-repository.ts';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import {
  type AgencyAction,
  type AgencyActionResult,
  actOnAgency,
  type FieldProblem,
} from '../domain/operations/manage-agency.ts';
import { html, type SafeHtml, time } from './html.ts';
import type { Notice } from './layout.ts';
import { sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

interface AgencyView {
  agencyId: string;
  province: string;
  name: string;
  abbreviation: string;
  parentId: string | null;
  unitType: string;
  officialMailbox: string | null;
  officialMailboxId?: string | null;
  unitCode: string | null;
  validFrom: string;
  dissolvedAt: string | null;
}

interface VersionView {
  name: string;
  abbreviation: string;
  parentId: string | null;
  unitCode: string | null;
  validFrom: string;
  validTo: string | null;
  reason: string | null;
  actor: string | null;
}

const UUID = '^[0-9a-fA-F-]{36}$';
const Params = Type.Object({ id: Type.String({ pattern: UUID }) });
const DATE = '^$|^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const Common = {
  _csrf: Type.String(),
  reason: Type.String({ maxLength: 500 }),
  idempotencyKey: Type.String({ pattern: UUID }),
};
const Dated = { ...Common, effectiveFrom: Type.Optional(Type.String({ pattern: DATE })) };

const UNIT_TYPE_LABEL: Record<string, string> = {
  agency: 'Cơ quan cấp tỉnh',
  department: 'Sở, ban, ngành',
  subunit: 'Đơn vị trực thuộc',
  district: 'Cấp huyện',
  city: 'Thành phố, thị xã',
  commune: 'Xã',
  ward: 'Phường',
};

const ACTION_DONE: Record<AgencyAction['kind'], string> = {
  create: 'Đã đăng ký đơn vị và hộp thư cơ quan của đơn vị.',
  rename:
    'Đã đổi tên đơn vị; địa chỉ hộp thư cơ quan và của cán bộ đổi theo, địa chỉ cũ vẫn nhận thư trong thời gian chuyển tiếp.',
  move: 'Đã chuyển đơn vị sang cơ quan cấp trên mới; địa chỉ đổi theo cây tổ chức.',
  recode: 'Đã đổi mã định danh của đơn vị.',
  dissolve:
    'Đã gửi đề nghị giải thể đơn vị. Đề nghị cần phê duyệt của hai cán bộ khác nhau tại trang Phê duyệt; khi đủ, các hộp thư của đơn vị bị xóa.',
};

const provinces = () => listPolicies().map((p) => ({ id: p.id, name: p.name }));
const provinceName = (id: string) => provinces().find((p) => p.id === id)?.name ?? id;
/** A date from the form as the start of that day in Vietnam. */
const dayStart = (day: string | undefined) => (day ? `${day}T00:00:00+07:00` : undefined);

async function listProvince(deps: ConsoleDeps, province: string): Promise<AgencyView[]> {
  const answer = await deps.upstreams.directory.get<{ items: AgencyView[] }>('/admin/agencies', { province });
  return answer.status === 200 ? answer.body.items : [];
}

function tree(agencies: AgencyView[]): SafeHtml {
  const ids = new Set(agencies.map((a) => a.agencyId));
  const children = new Map<string | null, AgencyView[]>();
  for (const a of agencies) {
    const parent = a.parentId && ids.has(a.parentId) ? a.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), a]);
  }
  const branch = (parent: string | null, depth: number): SafeHtml | string => {
    const list = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    if (list.length === 0 || depth > 32) return '';
    return html`<ul>${list.map(
      (a) =>
        html`<li data-agency="${a.abbreviation}"><a href="/agencies/${a.agencyId}">${a.name}</a> <span class="muted">(${a.abbreviation}${a.unitCode ? html`, mã ${a.unitCode}` : ''})</span>${
          a.dissolvedAt
            ? html` <span class="badge err">đã giải thể ${time(a.dissolvedAt)}</span>`
            : a.officialMailbox
              ? html` <span class="muted">${a.officialMailbox}</span>`
              : ''
        }${branch(a.agencyId, depth + 1)}</li>`,
    )}</ul>`;
  };
  return html`<div class="agency-tree">${branch(null, 0)}</div>`;
}

function problems(errors: readonly FieldProblem[]): SafeHtml | string {
  if (errors.length === 0) return '';
  return html`<ul class="field-errors">${errors.map(
    (e) =>
      html`<li data-field="${e.field}">Trường <code>${e.field.replace(/^\/?(body\/)?/, '')}</code>: ${e.message.vi} <span class="muted">(${e.message.en})</span></li>`,
  )}</ul>`;
}

const hidden = (session: SessionRecord) =>
  html`<input type="hidden" name="_csrf" value="${session.csrfToken}"><input type="hidden" name="idempotencyKey" value="${randomUUID()}">`;

const reasonField = (id: string) =>
  html`<div class="field"><label for="${id}">Lý do, căn cứ (bắt buộc)</label><input id="${id}" name="reason" required maxlength="500" size="50"></div>`;

const dateField = (id: string) =>
  html`<div class="field"><label for="${id}">Có hiệu lực từ ngày (để trống: hôm nay; không được ở tương lai)</label><input id="${id}" name="effectiveFrom" type="date"></div>`;

function parentOptions(agencies: AgencyView[], except: string | null, selected: string | null): SafeHtml {
  return html`${agencies
    .filter((a) => !a.dissolvedAt && a.agencyId !== except)
    .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
    .map(
      (a) =>
        html`<option value="${a.agencyId}"${a.agencyId === selected ? html` selected` : ''}>${a.name} (${a.abbreviation})</option>`,
    )}`;
}

function changeForms(a: AgencyView, agencies: AgencyView[], session: SessionRecord): SafeHtml {
  const base = `/agencies/${a.agencyId}`;
  return html`<h2>Thay đổi đơn vị</h2>
<form method="post" action="${base}/rename" class="agency-rename">${hidden(session)}<fieldset><legend>Đổi tên</legend>
<div class="field"><label for="rename-name">Tên mới</label><input id="rename-name" name="name" maxlength="300" size="50" value="${a.name}"></div>
<div class="field"><label for="rename-abbreviation">Tên viết tắt mới (địa chỉ hộp thư đổi theo)</label><input id="rename-abbreviation" name="abbreviation" maxlength="32" value="${a.abbreviation}"></div>
${dateField('rename-date')}${reasonField('rename-reason')}<button type="submit">Đổi tên</button></fieldset></form>
<form method="post" action="${base}/move" class="agency-move">${hidden(session)}<fieldset><legend>Chuyển sang cơ quan cấp trên khác</legend>
<div class="field"><label for="move-parent">Cơ quan cấp trên</label><select id="move-parent" name="parentId"><option value="">(không có: đơn vị cấp tỉnh)</option>${parentOptions(agencies, a.agencyId, a.parentId)}</select></div>
${dateField('move-date')}${reasonField('move-reason')}<button type="submit">Chuyển</button></fieldset></form>
<form method="post" action="${base}/recode" class="agency-recode">${hidden(session)}<fieldset><legend>Đổi mã định danh (Quyết định 20/2020/QĐ-TTg)</legend>
<div class="field"><label for="recode-code">Mã định danh (dạng 000.00.21.H56; để trống: xóa mã)</label><input id="recode-code" name="unitCode" maxlength="32" value="${a.unitCode ?? ''}"></div>
${dateField('recode-date')}${reasonField('recode-reason')}<button type="submit">Đổi mã</button></fieldset></form>
<form method="post" action="${base}/dissolve" class="agency-dissolve">${hidden(session)}<fieldset><legend>Giải thể đơn vị</legend>
<p class="muted">Các hộp thư của đơn vị sẽ bị xóa (địa chỉ được giữ lại theo quy chế). Đề nghị cần hai cán bộ khác nhau phê duyệt tại trang Phê duyệt. Đơn vị còn đơn vị trực thuộc thì phải chuyển hoặc giải thể các đơn vị đó trước.</p>
<div class="field"><label for="dissolve-letter">Số văn bản (quyết định giải thể)</label><input id="dissolve-letter" name="letterNumber" required maxlength="100"></div>
${reasonField('dissolve-reason')}<button type="submit" class="danger">Đề nghị giải thể</button></fieldset></form>`;
}

function versionsTable(versions: VersionView[], names: Map<string, string>): SafeHtml {
  return html`<h2>Các phiên bản</h2><table class="versions"><thead><tr><th scope="col">Từ</th><th scope="col">Đến</th><th scope="col">Tên</th><th scope="col">Viết tắt</th><th scope="col">Mã định danh</th><th scope="col">Cấp trên</th><th scope="col">Lý do</th><th scope="col">Người thực hiện</th></tr></thead><tbody>${versions
    .slice()
    .reverse()
    .map(
      (v) =>
        html`<tr><td>${time(v.validFrom)}</td><td>${v.validTo ? time(v.validTo) : 'nay'}</td><td>${v.name}</td><td>${v.abbreviation}</td><td>${v.unitCode ?? '—'}</td><td>${v.parentId ? (names.get(v.parentId) ?? v.parentId) : '—'}</td><td>${v.reason ?? ''}</td><td>${v.actor ?? ''}</td></tr>`,
    )}</tbody></table>`;
}

async function agencyPage(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  outcome?: { notice: Notice; errors?: readonly FieldProblem[]; status?: number; extra?: SafeHtml },
) {
  const session = request.consoleSession!;
  const answer = await deps.upstreams.directory.get<AgencyView & { versions: VersionView[] }>(
    `/admin/agencies/${encodeURIComponent(id)}`,
  );
  if (answer.status !== 200) {
    return sendPage(request, reply, {
      title: 'Đơn vị',
      current: 'agencies',
      status: 404,
      notice: { kind: 'error', text: 'Không tìm thấy đơn vị này.' },
      body: html`<p><a href="/agencies">← Cơ quan, đơn vị</a></p>`,
    });
  }
  const a = answer.body;
  const agencies = await listProvince(deps, a.province);
  const names = new Map(agencies.map((x) => [x.agencyId, x.name]));
  const mayChange = can(session.role, 'agencies.manage') && !a.dissolvedAt;
  return sendPage(request, reply, {
    title: a.name,
    current: 'agencies',
    status: outcome?.status ?? 200,
    notice: outcome?.notice,
    body: html`${problems(outcome?.errors ?? [])}${outcome?.extra ?? ''}<p><a href="/agencies?province=${a.province}">← Cơ quan, đơn vị của ${provinceName(a.province)}</a></p>
<dl class="agency"><dt>Tên</dt><dd id="agency-name">${a.name}</dd><dt>Tên viết tắt</dt><dd id="agency-abbreviation">${a.abbreviation}</dd>
<dt>Loại đơn vị</dt><dd>${UNIT_TYPE_LABEL[a.unitType] ?? a.unitType}</dd><dt>Mã định danh</dt><dd id="agency-unit-code">${a.unitCode ?? '—'}</dd>
<dt>Cơ quan cấp trên</dt><dd>${a.parentId ? html`<a href="/agencies/${a.parentId}">${names.get(a.parentId) ?? a.parentId}</a>` : '—'}</dd>
<dt>Hộp thư cơ quan</dt><dd id="agency-mailbox">${a.officialMailbox ? (a.officialMailboxId ? html`<a href="/directory/mailboxes/${a.officialMailboxId}">${a.officialMailbox}</a>` : a.officialMailbox) : '—'}</dd>
<dt>Phiên bản hiện tại từ</dt><dd>${time(a.validFrom)}</dd>${a.dissolvedAt ? html`<dt>Giải thể</dt><dd><span class="badge err">${time(a.dissolvedAt)}</span></dd>` : ''}</dl>
${versionsTable(a.versions, names)}${mayChange ? changeForms(a, agencies, session) : ''}`,
  });
}

function createForm(
  session: SessionRecord,
  province: string,
  agencies: AgencyView[],
  values: Record<string, string> = {},
): SafeHtml {
  const v = (k: string) => values[k] ?? '';
  return html`<form method="get" action="/agencies/new" class="filters"><div class="field"><label for="province-pick">Tỉnh</label><select id="province-pick" name="province">${provinces().map(
    (p) => html`<option value="${p.id}"${p.id === province ? html` selected` : ''}>${p.name}</option>`,
  )}</select></div><button type="submit" class="secondary">Chọn tỉnh</button></form>
<form method="post" action="/agencies" class="agency-create">${hidden(session)}<input type="hidden" name="province" value="${province}">
<fieldset><legend>Đơn vị mới của ${provinceName(province)}</legend>
<div class="field"><label for="create-name">Tên đơn vị</label><input id="create-name" name="name" required maxlength="300" size="50" value="${v('name')}"></div>
<div class="field"><label for="create-abbreviation">Tên viết tắt (chữ thường không dấu, ví dụ snv)</label><input id="create-abbreviation" name="abbreviation" required maxlength="32" value="${v('abbreviation')}"></div>
<div class="field"><label for="create-type">Loại đơn vị</label><select id="create-type" name="unitType">${UNIT_TYPES.map(
    (t) =>
      html`<option value="${t}"${t === (v('unitType') || 'department') ? html` selected` : ''}>${UNIT_TYPE_LABEL[t] ?? t}</option>`,
  )}</select></div>
<div class="field"><label for="create-parent">Cơ quan cấp trên</label><select id="create-parent" name="parentId"><option value="">(không có: đơn vị cấp tỉnh)</option>${parentOptions(agencies, null, v('parentId') || null)}</select></div>
<div class="field"><label for="create-code">Mã định danh (Quyết định 20/2020/QĐ-TTg, không bắt buộc)</label><input id="create-code" name="unitCode" maxlength="32" value="${v('unitCode')}"></div>
${reasonField('create-reason')}<button type="submit">Đăng ký đơn vị</button></fieldset></form>`;
}

export function registerAgencyRoutes(app: PagesScope, deps: ConsoleDeps) {
  app.get(
    '/agencies',
    {
      config: { permission: 'queues.view' },
      schema: { querystring: Type.Object({ province: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const session = request.consoleSession!;
      const all = provinces();
      const province = all.find((p) => p.id === request.query.province)?.id ?? all[0]?.id ?? '';
      const agencies = await listProvince(deps, province);
      const live = agencies.filter((a) => !a.dissolvedAt).length;
      return sendPage(request, reply, {
        title: 'Cơ quan, đơn vị',
        current: 'agencies',
        body: html`<form method="get" action="/agencies" class="filters"><div class="field"><label for="province">Tỉnh</label><select id="province" name="province">${all.map(
          (p) => html`<option value="${p.id}"${p.id === province ? html` selected` : ''}>${p.name}</option>`,
        )}</select></div><button type="submit" class="secondary">Xem</button></form>
${can(session.role, 'agencies.manage') ? html`<p><a class="button" href="/agencies/new?province=${province}">Đăng ký đơn vị mới</a></p>` : ''}
<p class="muted">${live} đơn vị đang hoạt động${agencies.length > live ? html`, ${agencies.length - live} đã giải thể` : ''}.</p>
${agencies.length === 0 ? html`<p class="muted">Tỉnh chưa có đơn vị nào.</p>` : tree(agencies)}`,
      });
    },
  );

  app.get(
    '/agencies/:id',
    { config: { permission: 'queues.view' }, schema: { params: Params } },
    async (request, reply) => agencyPage(deps, request, reply, request.params.id),
  );

  app.get(
    '/agencies/new',
    {
      config: { permission: 'agencies.manage' },
      schema: { querystring: Type.Object({ province: Type.Optional(Type.String({ maxLength: 64 })) }) },
    },
    async (request, reply) => {
      const province =
        provinces().find((p) => p.id === request.query.province)?.id ?? provinces()[0]?.id ?? '';
      return sendPage(request, reply, {
        title: 'Đăng ký đơn vị mới',
        current: 'agencies',
        body: createForm(request.consoleSession!, province, await listProvince(deps, province)),
      });
    },
  );

  app.post(
    '/agencies',
    {
      config: { permission: 'agencies.manage' },
      schema: {
        body: Type.Object({
          ...Common,
          province: Type.String({ maxLength: 64 }),
          name: Type.String({ maxLength: 300 }),
          abbreviation: Type.String({ maxLength: 32 }),
          unitType: Type.String({ maxLength: 32 }),
          parentId: Type.Optional(Type.String({ pattern: `^$|${UUID}` })),
          unitCode: Type.Optional(Type.String({ maxLength: 32 })),
        }),
      },
    },
    async (request, reply) => {
      const b = request.body;
      const session = request.consoleSession!;
      const result = await act(deps, request, {
        kind: 'create',
        agency: {
          province: b.province,
          name: b.name,
          abbreviation: b.abbreviation,
          unitType: b.unitType,
          ...(b.parentId ? { parentId: b.parentId } : {}),
          ...(b.unitCode?.trim() ? { unitCode: b.unitCode.trim() } : {}),
        },
      });
      if (result.outcome === 'done') {
        return agencyPage(deps, request, reply, result.agencyId, {
          notice: { kind: 'ok', text: ACTION_DONE.create },
        });
      }
      return sendPage(request, reply, {
        title: 'Đăng ký đơn vị mới',
        current: 'agencies',
        status: 400,
        notice: { kind: 'error', text: `Chưa đăng ký được đơn vị: ${result.message}. Chưa có gì thay đổi.` },
        body: html`${problems(result.errors)}${createForm(session, b.province, await listProvince(deps, b.province), b as unknown as Record<string, string>)}`,
      });
    },
  );

  const change = (
    path: string,
    body: Record<string, ReturnType<typeof Type.String> | ReturnType<typeof Type.Optional>>,
    toAction: (id: string, b: Record<string, string | undefined>) => AgencyAction,
  ) =>
    app.post(
      `/agencies/:id/${path}`,
      {
        config: { permission: 'agencies.manage' },
        schema: { params: Params, body: Type.Object({ ...Dated, ...body }) },
      },
      async (request, reply) => {
        const id = request.params.id;
        const result = await act(
          deps,
          request,
          toAction(id, request.body as Record<string, string | undefined>),
        );
        const kind = toAction(id, request.body as Record<string, string | undefined>).kind;
        return agencyPage(
          deps,
          request,
          reply,
          id,
          result.outcome === 'done'
            ? {
                notice: { kind: 'ok', text: ACTION_DONE[kind] },
                ...(result.requestId
                  ? {
                      extra: html`<p id="dissolution-request">Đề nghị giải thể: <a href="/requests/${result.requestId}">yêu cầu ${result.requestId}</a> (chờ hai cán bộ phê duyệt).</p>`,
                    }
                  : {}),
              }
            : {
                notice: {
                  kind: 'error',
                  text: `Không thực hiện được: ${result.message}. Chưa có gì thay đổi.`,
                },
                errors: result.errors,
                status: 400,
              },
        );
      },
    );

  change(
    'rename',
    { name: Type.String({ maxLength: 300 }), abbreviation: Type.String({ maxLength: 32 }) },
    (id, b) => ({
      kind: 'rename',
      agencyId: id,
      ...(b.name?.trim() ? { name: b.name } : {}),
      ...(b.abbreviation?.trim() ? { abbreviation: b.abbreviation } : {}),
      ...(b.effectiveFrom ? { effectiveFrom: dayStart(b.effectiveFrom) } : {}),
    }),
  );
  change('move', { parentId: Type.String({ pattern: `^$|${UUID}` }) }, (id, b) => ({
    kind: 'move',
    agencyId: id,
    parentId: b.parentId || null,
    ...(b.effectiveFrom ? { effectiveFrom: dayStart(b.effectiveFrom) } : {}),
  }));
  change('recode', { unitCode: Type.String({ maxLength: 32 }) }, (id, b) => ({
    kind: 'recode',
    agencyId: id,
    unitCode: b.unitCode?.trim() || null,
    ...(b.effectiveFrom ? { effectiveFrom: dayStart(b.effectiveFrom) } : {}),
  }));
  change('dissolve', { letterNumber: Type.String({ maxLength: 100 }) }, (id, b) => ({
    kind: 'dissolve',
    agencyId: id,
    letterNumber: b.letterNumber?.trim() || '—',
  }));
}

function act(
  deps: ConsoleDeps,
  request: { body: unknown; consoleSession?: SessionRecord | undefined; ip: string },
  action: AgencyAction,
): Promise<AgencyActionResult> {
  const body = request.body as { reason: string; idempotencyKey: string };
  return actOnAgency(deps, {
    action,
    reason: body.reason,
    idempotencyKey: body.idempotencyKey,
    operator: request.consoleSession!,
    clientIp: request.ip,
  });
}
