// Nhập yêu cầu giấy: an operator types in an agency's paper request (Mẫu 01/02/03, Bắc Ninh's Phụ
// lục 2) with the letter's number and date and attaches its PDF scan. The form posts as
// multipart/form-data (a file input works without JavaScript); the requests service validates it
// as the agency API would, and each error it names is shown beside its field. The request page
// lists the scans and downloads them.
import { type Static, Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleDeps } from '../domain/deps.ts';
import { type FieldProblem, filePaperRequest } from '../domain/operations/file-paper-request.ts';
import {
  buildPaperBody,
  FORM_DEFAULT_OPERATION,
  type FormFields,
  filledRows,
  formFieldOf,
  PAPER_FORM_LABEL,
  PAPER_FORMS,
  type PaperForm,
} from '../domain/operations/paper-request-form.ts';
import { html, type SafeHtml } from './html.ts';
import { acceptMultipartForms, uploadedFile } from './multipart-form.ts';
import { label, MAILBOX_TYPE_LABEL, OPERATION_LABEL, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';

/** The console takes a little more than the requests service's own limit, so that service names the field. */
const UPLOAD_LIMIT_BYTES = 24 * 1024 * 1024;
const MAX_ROWS = 20;
const UUID = '^[0-9a-fA-F-]{36}$';

interface Agency {
  agency_id: string;
  province: string;
  name: string;
  abbreviation: string;
}

const FIELD_LABEL: Record<string, string> = {
  agencyId: 'Cơ quan gửi',
  form: 'Mẫu phiếu',
  'reference.number': 'Số văn bản',
  'reference.date': 'Ngày văn bản',
  'requester.fullName': 'Họ tên người yêu cầu',
  'requester.position': 'Chức vụ người yêu cầu',
  'requester.phone': 'Điện thoại',
  scan: 'Bản quét (PDF)',
  operation: 'Thao tác',
  mailboxType: 'Loại hộp thư',
  'person.familyName': 'Họ',
  'person.middleName': 'Tên đệm',
  'person.givenName': 'Tên',
  'person.position': 'Chức vụ',
  'person.department': 'Bộ phận công tác',
  address: 'Địa chỉ hộp thư',
  'changes.position': 'Chức vụ mới',
  'changes.department': 'Bộ phận mới',
  reason: 'Lý do',
};

/** The Vietnamese name of a form field (`items.2.person.givenName`: "Dòng 3, Tên"). */
function fieldName(field: string): string {
  const row = /^items\.(\d+)(?:\.(.+))?$/.exec(field);
  if (row) return `Dòng ${Number(row[1]) + 1}${row[2] ? `, ${FIELD_LABEL[row[2]] ?? row[2]}` : ''}`;
  return FIELD_LABEL[field] ?? field;
}

const idOf = (name: string) => `f-${name.replaceAll('.', '-')}`;

interface FormState {
  fields: FormFields;
  rows: number;
  errors: Map<string, string[]>;
  idempotencyKey: string;
}

function renderForm(state: FormState, agencies: Agency[], csrf: string): SafeHtml {
  const { fields, errors } = state;
  const v = (name: string) => fields[name] ?? '';
  const errorOf = (name: string) =>
    errors.has(name)
      ? html`<span class="field-error" id="${idOf(name)}-loi" role="alert">${errors.get(name)!.join('; ')}</span>`
      : '';
  const invalid = (name: string) =>
    errors.has(name) ? html` aria-invalid="true" aria-describedby="${idOf(name)}-loi"` : '';
  const input = (name: string, text: string, extra: SafeHtml | string = '') =>
    html`<div class="field"><label for="${idOf(name)}">${text}</label><input id="${idOf(name)}" name="${name}" value="${v(name)}"${invalid(name)}${extra}>${errorOf(name)}</div>`;
  const form = (PAPER_FORMS as readonly string[]).includes(v('form')) ? (v('form') as PaperForm) : 'mau01';
  const cell = (i: number, f: string, size = 12) =>
    html`<td><input id="${idOf(`items.${i}.${f}`)}" name="items.${i}.${f}" value="${v(`items.${i}.${f}`)}" size="${size}" aria-label="Dòng ${i + 1}, ${FIELD_LABEL[f] ?? f}"${invalid(`items.${i}.${f}`)}>${errorOf(`items.${i}.${f}`)}</td>`;
  const rows = Array.from({ length: state.rows }, (_, i) => {
    const op = v(`items.${i}.operation`) || FORM_DEFAULT_OPERATION[form];
    const type = v(`items.${i}.mailboxType`);
    return html`<tr>
<td>${i + 1}</td>
<td><select id="${idOf(`items.${i}.operation`)}" name="items.${i}.operation" aria-label="Dòng ${i + 1}, Thao tác"${invalid(`items.${i}.operation`)}>${(
      ['create', 'update', 'suspend', 'delete'] as const
    ).map(
      (o) => html`<option value="${o}"${o === op ? html` selected` : ''}>${OPERATION_LABEL[o]}</option>`,
    )}</select>${errorOf(`items.${i}.operation`)}</td>
<td><select name="items.${i}.mailboxType" aria-label="Dòng ${i + 1}, Loại hộp thư"><option value="">Cá nhân</option><option value="agency"${type === 'agency' ? html` selected` : ''}>${MAILBOX_TYPE_LABEL.agency}</option></select></td>
${cell(i, 'person.familyName', 8)}${cell(i, 'person.middleName', 8)}${cell(i, 'person.givenName', 8)}${cell(i, 'person.position')}${cell(i, 'person.department')}${cell(i, 'address', 22)}${cell(i, 'changes.position')}${cell(i, 'changes.department')}${cell(i, 'reason', 16)}
</tr>`;
  });
  const provinces = [...new Set(agencies.map((a) => a.province))].sort();
  return html`<form method="post" action="/paper-requests" enctype="multipart/form-data" class="paper-request">
<input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="idempotencyKey" value="${state.idempotencyKey}">
<input type="hidden" name="rows" value="${String(state.rows)}">
<fieldset><legend>Văn bản đề nghị</legend>
<div class="field"><label for="f-form">Mẫu phiếu</label><select id="f-form" name="form"${invalid('form')}>${PAPER_FORMS.map(
    (f) => html`<option value="${f}"${f === form ? html` selected` : ''}>${PAPER_FORM_LABEL[f]}</option>`,
  )}</select>${errorOf('form')}</div>
<div class="field"><label for="f-agencyId">Cơ quan gửi</label><select id="f-agencyId" name="agencyId"${invalid('agencyId')}><option value="">— Chọn cơ quan —</option>${provinces.map(
    (p) =>
      html`<optgroup label="${p}">${agencies
        .filter((a) => a.province === p)
        .map(
          (a) =>
            html`<option value="${a.agency_id}"${a.agency_id === v('agencyId') ? html` selected` : ''}>${a.name} (${a.abbreviation})</option>`,
        )}</optgroup>`,
  )}</select>${errorOf('agencyId')}</div>
${input('reference.number', 'Số văn bản', html` maxlength="100"`)}
${input('reference.date', 'Ngày văn bản', html` type="date"`)}
${input('requester.fullName', 'Họ tên người yêu cầu', html` maxlength="200"`)}
${input('requester.position', 'Chức vụ người yêu cầu', html` maxlength="200"`)}
${input('requester.phone', 'Điện thoại liên lạc', html` maxlength="40"`)}
<div class="field"><label for="f-scan">Bản quét văn bản (PDF)</label><input type="file" id="f-scan" name="scan" accept="application/pdf,.pdf"${invalid('scan')}>${errorOf('scan')}${
    errors.size > 0
      ? html`<span class="muted">Chọn lại tệp bản quét: trình duyệt không giữ tệp đã chọn khi biểu mẫu được trả lại.</span>`
      : ''
  }</div>
</fieldset>
<table class="paper-items"><caption>Nội dung đề nghị (mỗi dòng một hộp thư; dòng để trống được bỏ qua)</caption>
<thead><tr><th scope="col">#</th><th scope="col">Thao tác</th><th scope="col">Loại</th><th scope="col">Họ</th><th scope="col">Tên đệm</th><th scope="col">Tên</th><th scope="col">Chức vụ</th><th scope="col">Bộ phận công tác</th><th scope="col">Địa chỉ hộp thư (thay đổi, khóa, xóa)</th><th scope="col">Chức vụ mới</th><th scope="col">Bộ phận mới</th><th scope="col">Lý do</th></tr></thead>
<tbody>${rows}</tbody></table>
<p><button type="submit">Nhập yêu cầu</button> <a href="/paper-requests/new?dong=${String(Math.min(state.rows + 5, MAX_ROWS))}">Thêm dòng (mẫu trống)</a></p>
</form>`;
}

function errorSummary(problems: readonly FieldProblem[], rowsSent: readonly number[]): SafeHtml | string {
  if (problems.length === 0) return '';
  return html`<ul class="field-errors">${problems.map((p) => {
    const field = formFieldOf(p.field, rowsSent);
    return html`<li data-field="${field}"><a href="#${idOf(field)}">${fieldName(field)}</a>: ${p.message.vi} <span class="muted">(${p.message.en})</span></li>`;
  })}</ul>`;
}

export function registerPaperRequestRoutes(app: PagesScope, deps: ConsoleDeps) {
  async function agencies(): Promise<Agency[]> {
    const answer = await deps.upstreams.requests.get<{ items: Agency[] }>('/admin/agencies');
    const items = answer.status === 200 ? answer.body.items : [];
    return [...items].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  }

  async function showForm(
    request: FastifyRequest,
    reply: FastifyReply,
    state: FormState,
    page: {
      status?: number;
      problems?: readonly FieldProblem[];
      rowsSent?: readonly number[];
      message?: string;
    },
  ) {
    return sendPage(request, reply, {
      title: 'Nhập yêu cầu giấy',
      current: 'paper-requests',
      status: page.status ?? 200,
      ...(page.message ? { notice: { kind: 'error' as const, text: page.message } } : {}),
      body: html`<p class="muted">Cơ quan gửi văn bản giấy (Mẫu 01, 02, 03 hoặc Phụ lục 2 của Bắc Ninh): nhập như cơ quan tự gửi qua API, kèm bản quét PDF. Yêu cầu được xử lý theo cùng quy định phê duyệt và kết quả được gửi tới hộp thư của cơ quan.</p>
${errorSummary(page.problems ?? [], page.rowsSent ?? [])}
${renderForm(state, await agencies(), request.consoleSession!.csrfToken)}`,
    });
  }

  app.get(
    '/paper-requests/new',
    {
      config: { permission: 'requests.file' },
      schema: { querystring: Type.Object({ dong: Type.Optional(Type.String({ pattern: '^[0-9]{1,2}$' })) }) },
    },
    async (request, reply) =>
      showForm(
        request,
        reply,
        {
          fields: {},
          rows: Math.min(Math.max(Number(request.query.dong ?? 3), 1), MAX_ROWS),
          errors: new Map(),
          idempotencyKey: randomUUID(),
        },
        {},
      ),
  );

  const PaperBody = Type.Object(
    {
      _csrf: Type.String(),
      idempotencyKey: Type.String({ pattern: UUID }),
      rows: Type.String({ pattern: '^[0-9]{1,2}$' }),
    },
    { additionalProperties: true },
  );

  app.register(async (scope) => {
    acceptMultipartForms(scope as unknown as PagesScope, UPLOAD_LIMIT_BYTES);
    scope.post(
      '/paper-requests',
      { config: { permission: 'requests.file' }, bodyLimit: UPLOAD_LIMIT_BYTES, schema: { body: PaperBody } },
      async (request, reply) => {
        const raw = request.body as Static<typeof PaperBody> & FormFields;
        const rows = Math.min(Math.max(Number(raw.rows), 1), MAX_ROWS);
        const fields: FormFields = Object.fromEntries(
          Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'),
        );
        const state: FormState = { fields, rows, errors: new Map(), idempotencyKey: raw.idempotencyKey };
        const body = buildPaperBody(fields, rows);
        const rowsSent = filledRows(fields, rows);
        const file = uploadedFile(request, 'scan');
        const scan = file ? { fileName: file.name, bytes: file.bytes } : undefined;
        // what the console itself knows is missing, named as the requests service would name it
        const local: FieldProblem[] = [];
        if (!scan || scan.bytes.length === 0)
          local.push({
            field: '/scan/content',
            message: { vi: 'cần đính kèm bản quét PDF', en: 'attach the PDF scan' },
          });
        if (body.items.length === 0)
          local.push({
            field: '/items',
            message: { vi: 'cần ít nhất một dòng', en: 'at least one row is required' },
          });
        const result =
          local.length > 0 || !scan
            ? ({ outcome: 'refused', message: 'Biểu mẫu chưa đủ thông tin.', errors: local } as const)
            : await filePaperRequest(deps, {
                body,
                scan,
                idempotencyKey: raw.idempotencyKey,
                operator: request.consoleSession!,
                clientIp: request.ip,
              });
        if (result.outcome === 'refused') {
          for (const p of result.errors) {
            const field = formFieldOf(p.field, rowsSent);
            state.errors.set(field, [...(state.errors.get(field) ?? []), p.message.vi]);
          }
          return showForm(request, reply, state, {
            status: 400,
            problems: result.errors,
            rowsSent,
            message: `Chưa nhập được yêu cầu: ${result.message}. Chưa có gì thay đổi.`,
          });
        }
        return sendPage(request, reply, {
          title: 'Nhập yêu cầu giấy',
          current: 'paper-requests',
          notice: {
            kind: 'ok',
            text: `Đã nhập yêu cầu số ${body.reference.number} (${PAPER_FORM_LABEL[body.form as PaperForm] ?? body.form}), ${body.items.length} mục, kèm bản quét.`,
          },
          body: html`<p>Mã yêu cầu: <a href="/requests/${result.requestId}">${result.requestId}</a></p>
<p><a href="/paper-requests/new">Nhập yêu cầu khác</a></p>`,
        });
      },
    );
  });

  app.get(
    '/requests/:id/scans/:scanId',
    {
      config: { permission: 'queues.view' },
      schema: {
        params: Type.Object({ id: Type.String({ pattern: UUID }), scanId: Type.String({ pattern: UUID }) }),
      },
    },
    async (request, reply) => {
      const file = await deps.upstreams.requests.download(
        `/admin/requests/${request.params.id}/attachments/${request.params.scanId}`,
      );
      if (file.status !== 200) {
        return sendPage(request, reply, {
          title: 'Bản quét',
          current: 'approvals',
          status: 404,
          notice: { kind: 'error', text: 'Không có bản quét này.' },
          body: html`<p><a href="/requests/${request.params.id}">← Yêu cầu</a></p>`,
        });
      }
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="ban-quet-${request.params.scanId}.pdf"`)
        .send(Buffer.from(file.bytes));
    },
  );
}

/** The scans kept with a request, for its page: each downloadable. Empty for a request without one. */
export async function scanSection(deps: ConsoleDeps, requestId: string): Promise<SafeHtml | string> {
  const answer = await deps.upstreams.requests.get<{
    items: {
      id: string;
      form: string;
      fileName: string;
      sizeBytes: number;
      uploadedBy: string;
      createdAt: string;
    }[];
  }>(`/admin/requests/${requestId}/attachments`);
  const items = answer.status === 200 ? answer.body.items : [];
  if (items.length === 0) return '';
  return html`<h2>Văn bản giấy</h2><ul class="scans">${items.map(
    (s) =>
      html`<li>${label(PAPER_FORM_LABEL, s.form)}: <a href="/requests/${requestId}/scans/${s.id}">${s.fileName}</a> <span class="muted">(${String(Math.ceil(s.sizeBytes / 1024))} KB, do ${s.uploadedBy} nhập)</span></li>`,
  )}</ul>`;
}
