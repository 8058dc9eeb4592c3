// Nhập hộp thư: the import of a province's existing mail system (docs/import.md) from the console.
// The operator chooses the province and uploads the two files (agencies CSV; mailboxes as CSV, a
// Zimbra `zmprov -l gaa -v` export or LDIF); the plan comes back as a report (counts, and every
// conflict with its file, line and column) and nothing is written; a plan without conflicts can be
// applied from the report without uploading again, and the apply's page follows its progress,
// reloading itself while it runs (no JavaScript needed). The directory does the work.
import type { operations } from '@hopthu/shared/directory-api';
import { type Static, Type } from '@sinclair/typebox';
import { can } from '../domain/auth/permissions.ts';
import type { ConsoleDeps } from '../domain/deps.ts';
import {
  type ImportConflict,
  type ImportSummary,
  importMailboxes,
} from '../domain/operations/import-mailboxes.ts';
import { createImportUploadStore, type ImportUpload } from '../domain/operations/import-uploads.ts';
import { html, type SafeHtml, time } from './html.ts';
import { acceptMultipartForms, uploadedFile } from './multipart-form.ts';
import { label, sendPage } from './page-reply.ts';
import type { PagesScope } from './pages.ts';
import { progressBar, refreshWhile } from './progress.ts';

/** As much as the directory takes (20,000 mailboxes are a few MB). */
const UPLOAD_LIMIT = 64 * 1024 * 1024;
/** Conflicts shown on the page; the count says how many more there are. */
const CONFLICTS_SHOWN = 500;

/** The directory's answers, typed from its OpenAPI document (docs/openapi/directory.json). */
type ImportProgress = operations['getAdminImportsById']['responses'][200]['content']['application/json'];
type ImportList = operations['getAdminImports']['responses'][200]['content']['application/json'];

const FORMATS = {
  auto: 'Tự nhận biết',
  csv: 'CSV theo mẫu',
  zmprov: 'Zimbra: zmprov -l gaa -v',
  ldif: 'Zimbra: LDIF',
} as const;
type Format = keyof typeof FORMATS;
const isFormat = (v: string | undefined): v is Format => v !== undefined && v in FORMATS;

const STATE_LABEL: Record<string, string> = {
  applying: 'Đang nhập',
  applied: 'Đã ghi vào danh bạ',
  failed: 'Thất bại',
};
const FILE_LABEL: Record<string, string> = { agencies: 'Tệp cơ quan', mailboxes: 'Tệp hộp thư' };

const JobId = Type.Object({ id: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
const ApplyBody = Type.Object({ _csrf: Type.String(), upload: Type.String({ maxLength: 64 }) });
const PlanBody = Type.Object({
  _csrf: Type.String(),
  province: Type.Optional(Type.String({ maxLength: 64 })),
  format: Type.Optional(Type.String({ maxLength: 10 })),
});
type PlanBody = Static<typeof PlanBody>;

function stateOf(job: ImportProgress): string {
  if (job.state === 'applied' && !job.finished) return 'Đã ghi, máy chủ thư đang tạo hộp thư';
  if (job.finished) return 'Hoàn tất';
  return label(STATE_LABEL, job.state);
}

function uploadForm(
  csrf: string,
  provinces: ImportList['provinces'],
  chosen: { province?: string | undefined; format?: string | undefined } = {},
): SafeHtml {
  return html`<form method="post" action="/imports/plan" enctype="multipart/form-data" class="import-form">
  <input type="hidden" name="_csrf" value="${csrf}">
  <div class="field"><label for="province">Tỉnh</label><select id="province" name="province" required>
    <option value="">— Chọn tỉnh —</option>
    ${provinces.map(
      (p) =>
        html`<option value="${p.id}"${chosen.province === p.id ? html` selected` : ''}>${p.name} (${p.id})</option>`,
    )}
  </select></div>
  <div class="field"><label for="agencies">Tệp cơ quan (CSV: abbreviation, name, parent_abbreviation, unit_code, unit_type)</label>
    <input type="file" id="agencies" name="agencies" accept=".csv,text/csv" required></div>
  <div class="field"><label for="mailboxes">Tệp hộp thư (CSV theo mẫu, hoặc bản xuất Zimbra)</label>
    <input type="file" id="mailboxes" name="mailboxes" accept=".csv,.txt,.ldif,text/csv,text/plain" required></div>
  <div class="field"><label for="format">Định dạng tệp hộp thư</label><select id="format" name="format">
    ${Object.entries(FORMATS).map(
      ([value, text]) =>
        html`<option value="${value}"${chosen.format === value ? html` selected` : ''}>${text}</option>`,
    )}
  </select></div>
  <button type="submit" data-action="plan">Chạy thử (không ghi gì)</button>
</form>`;
}

function conflictTable(conflicts: readonly ImportConflict[]): SafeHtml {
  if (conflicts.length === 0) return html`<p data-conflicts="0">Không có xung đột nào.</p>`;
  const shown = conflicts.slice(0, CONFLICTS_SHOWN);
  return html`<table class="conflicts" data-conflicts="${conflicts.length}"><caption>${conflicts.length} xung đột${
    conflicts.length > shown.length ? html`; ${shown.length} đầu tiên được liệt kê` : ''
  }. Dòng đếm như trình soạn thảo, dòng tiêu đề là dòng 1.</caption>
<thead><tr><th scope="col">Tệp</th><th scope="col">Dòng</th><th scope="col">Cột</th><th scope="col">Lỗi</th></tr></thead>
<tbody>${shown.map(
    (c) =>
      html`<tr data-conflict="${c.file}:${c.line}:${c.field}"><td>${label(FILE_LABEL, c.file)}</td><td>${c.line}</td><td><code>${c.field}</code></td><td>${c.message}</td></tr>`,
  )}</tbody></table>`;
}

function planReport(summary: ImportSummary, upload: ImportUpload, csrf: string, mayApply: boolean): SafeHtml {
  const ready = summary.conflicts.length === 0;
  const toWrite = summary.agencies + summary.mailboxes - summary.alreadyImported;
  return html`
<dl class="plan" data-plan-state="${ready ? 'ready' : 'conflicts'}">
  <dt>Tỉnh</dt><dd>${summary.province}</dd>
  <dt>Tệp</dt><dd>${upload.agenciesName}; ${upload.mailboxesName} (định dạng ${summary.format})</dd>
  <dt>Cơ quan</dt><dd data-count="agencies">${summary.agencies}</dd>
  <dt>Hộp thư</dt><dd data-count="mailboxes">${summary.mailboxes}</dd>
  <dt>Địa chỉ không theo quy tắc của tỉnh (giữ nguyên, đánh dấu legacy)</dt><dd data-count="legacy">${summary.legacy}</dd>
  <dt>Đã nhập ở lần trước (bỏ qua)</dt><dd data-count="alreadyImported">${summary.alreadyImported}</dd>
  <dt>Hộp thư không có mật khẩu (cơ quan nhận mật khẩu dùng một lần như hộp thư mới)</dt><dd data-count="withoutPassword">${summary.withoutPassword}</dd>
  <dt>Xung đột</dt><dd data-count="conflicts">${summary.conflicts.length}</dd>
</dl>
<h2>Xung đột</h2>
${conflictTable(summary.conflicts)}
${
  !ready
    ? html`<p class="muted">Sửa các dòng trên trong tệp rồi chạy thử lại; chỉ thực hiện được khi không còn xung đột.</p>`
    : !mayApply
      ? html`<p class="muted">Vai trò của bạn chỉ được chạy thử.</p>`
      : toWrite <= 0
        ? html`<p>Mọi dòng đã được nhập ở lần trước: thực hiện lại không thay đổi gì.</p>`
        : html`<form method="post" action="/imports/apply" class="actions">
  <input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="upload" value="${upload.id}">
  <button type="submit" data-action="apply">Thực hiện nhập ${summary.mailboxes - summary.alreadyImported} hộp thư</button>
  <span class="muted">Hộp thư giữ địa chỉ và mật khẩu cũ; nếu bị ngắt giữa chừng, lần chạy sau tiếp tục từ chỗ dừng.</span></form>`
}`;
}

export function registerImportRoutes(app: PagesScope, deps: ConsoleDeps) {
  const directory = deps.upstreams.directory;
  const uploads = createImportUploadStore({ clock: deps.clock, newId: deps.newId });

  async function listImports(): Promise<ImportList> {
    const answer = await directory.get<ImportList>('/admin/imports');
    return answer.status === 200 ? answer.body : { provinces: [], items: [] };
  }

  app.get('/imports', { config: { permission: 'queues.view' } }, async (request, reply) => {
    const session = request.consoleSession!;
    const list = await listImports();
    const body = html`
<p>Nhập cây cơ quan và các hộp thư đang dùng của một tỉnh (thường từ Zimbra). Địa chỉ và mật khẩu được giữ nguyên. Cách chuẩn bị tệp: <code>docs/import.md</code>; cùng việc này bằng dòng lệnh: <code>./hopthu import</code>.</p>
${
  can(session.role, 'approvals.decide')
    ? uploadForm(session.csrfToken, list.provinces)
    : html`<p class="muted">Vai trò của bạn chỉ được xem các lần nhập.</p>`
}
<h2>Các lần nhập gần đây</h2>
${
  list.items.length === 0
    ? html`<p>Chưa có lần nhập nào.</p>`
    : html`<table><thead><tr><th scope="col">Bắt đầu</th><th scope="col">Tỉnh</th><th scope="col">Trạng thái</th><th scope="col">Hộp thư đã ghi</th><th scope="col">Máy chủ thư đã tạo</th></tr></thead>
<tbody>${list.items.map(
        (j) =>
          html`<tr data-job="${j.jobId}"><td><a href="/imports/${j.jobId}">${time(j.createdAt)}</a></td><td>${j.province}</td><td>${stateOf(j)}</td><td>${j.mailboxesWritten} / ${j.mailboxes}</td><td>${j.mailboxesConfirmed}</td></tr>`,
      )}</tbody></table>`
}`;
    return sendPage(request, reply, { title: 'Nhập hộp thư', current: 'imports', body });
  });

  app.register(async (scope) => {
    const uploadsScope = scope as unknown as PagesScope;
    acceptMultipartForms(uploadsScope, UPLOAD_LIMIT);
    uploadsScope.post(
      '/imports/plan',
      {
        config: { permission: 'approvals.decide' },
        bodyLimit: UPLOAD_LIMIT,
        schema: { body: PlanBody },
      },
      async (request, reply) => {
        const session = request.consoleSession!;
        const body = request.body as PlanBody;
        const province = body.province?.trim() ?? '';
        const format = isFormat(body.format) ? body.format : 'auto';
        const agencies = uploadedFile(request, 'agencies');
        const mailboxes = uploadedFile(request, 'mailboxes');
        const missing = [
          ...(province === '' ? ['tỉnh'] : []),
          ...(agencies ? [] : ['tệp cơ quan']),
          ...(mailboxes ? [] : ['tệp hộp thư']),
        ];
        const list = await listImports();
        if (missing.length > 0 || !agencies || !mailboxes) {
          return sendPage(request, reply, {
            title: 'Nhập hộp thư',
            current: 'imports',
            status: 400,
            notice: { kind: 'error', text: `Thiếu ${missing.join(', ')}: hãy chọn rồi chạy thử lại.` },
            body: uploadForm(session.csrfToken, list.provinces, { province, format }),
          });
        }
        const upload = uploads.put({
          province,
          format,
          agencies: agencies.text,
          mailboxes: mailboxes.text,
          agenciesName: agencies.name,
          mailboxesName: mailboxes.name,
          uploadedBy: session.username,
        });
        const result = await importMailboxes(deps, {
          upload,
          apply: false,
          operator: session,
          clientIp: request.ip,
        });
        if (result.outcome === 'refused') {
          return sendPage(request, reply, {
            title: 'Nhập hộp thư',
            current: 'imports',
            status: result.status >= 500 ? 502 : 400,
            notice: { kind: 'error', text: `Danh bạ không nhận các tệp: ${result.message}` },
            body: html`<ul class="field-errors">${result.errors.map(
              (e) =>
                html`<li data-field="${e.field}"><code>${e.field}</code>: ${e.message.vi} <span class="muted">(${e.message.en})</span></li>`,
            )}</ul>${uploadForm(session.csrfToken, list.provinces, { province, format })}`,
          });
        }
        return sendPage(request, reply, {
          title: 'Nhập hộp thư: kết quả chạy thử',
          current: 'imports',
          notice:
            result.summary.conflicts.length === 0
              ? { kind: 'ok', text: 'Chạy thử xong, không có xung đột. Chưa có gì được ghi.' }
              : {
                  kind: 'error',
                  text: `Chạy thử thấy ${result.summary.conflicts.length} xung đột. Chưa có gì được ghi.`,
                },
          body: html`${planReport(result.summary, upload, session.csrfToken, true)}
<h2>Chạy thử với tệp khác</h2>${uploadForm(session.csrfToken, list.provinces, { province, format })}`,
        });
      },
    );
  });

  app.post(
    '/imports/apply',
    { config: { permission: 'approvals.decide' }, schema: { body: ApplyBody } },
    async (request, reply) => {
      const session = request.consoleSession!;
      const upload = uploads.get(request.body.upload, session.username);
      if (!upload) {
        return sendPage(request, reply, {
          title: 'Nhập hộp thư',
          current: 'imports',
          status: 410,
          notice: {
            kind: 'error',
            text: 'Bảng điều khiển không còn giữ các tệp của lần chạy thử này (quá 2 giờ, hoặc đã khởi động lại): hãy tải tệp lên và chạy thử lại.',
          },
          body: html`<p><a href="/imports">← Nhập hộp thư</a></p>`,
        });
      }
      const result = await importMailboxes(deps, {
        upload,
        apply: true,
        operator: session,
        clientIp: request.ip,
      });
      if (result.outcome === 'applying' && result.summary.jobId) {
        return reply.redirect(`/imports/${result.summary.jobId}`, 303);
      }
      const conflicts: ImportConflict[] =
        result.outcome === 'refused'
          ? result.errors.map((e) => {
              const [, file = '', line = '0', field = ''] = e.field.split('/');
              return { file, line: Number(line), field, message: e.message.vi };
            })
          : [];
      return sendPage(request, reply, {
        title: 'Nhập hộp thư',
        current: 'imports',
        status: 409,
        notice: {
          kind: 'error',
          text: `Danh bạ không thực hiện: ${result.outcome === 'refused' ? result.message : 'không có gì để nhập'}`,
        },
        body: html`${conflictTable(conflicts)}<p><a href="/imports">← Nhập hộp thư</a></p>`,
      });
    },
  );

  app.get(
    '/imports/:id',
    { config: { permission: 'queues.view' }, schema: { params: JobId } },
    async (request, reply) => {
      const answer = await directory.get<ImportProgress>(`/admin/imports/${request.params.id}`);
      if (answer.status !== 200) {
        return sendPage(request, reply, {
          title: 'Nhập hộp thư',
          current: 'imports',
          status: 404,
          notice: { kind: 'error', text: 'Không có lần nhập này.' },
          body: html`<p><a href="/imports">← Nhập hộp thư</a></p>`,
        });
      }
      const job = answer.body;
      const running = !job.finished && job.state !== 'failed';
      const body = html`
<dl>
  <dt>Tỉnh</dt><dd>${job.province}</dd>
  <dt>Trạng thái</dt><dd data-state="${job.state}" data-finished="${String(job.finished)}">${stateOf(job)}</dd>
  <dt>Bắt đầu</dt><dd>${time(job.applyStartedAt ?? job.createdAt)}</dd>
  ${job.error ? html`<dt>Lỗi</dt><dd>${job.error}</dd>` : ''}
</dl>
<h2>Tiến độ</h2>
${progressBar({ done: job.agenciesWritten, total: job.agencies, what: 'cơ quan đã ghi vào danh bạ' })}
${progressBar({
  done: job.mailboxesWritten,
  total: job.mailboxes,
  what: 'hộp thư đã ghi vào danh bạ',
  startedAt: job.applyStartedAt,
  finishedAt: job.appliedAt,
})}
${progressBar({
  done: job.mailboxesConfirmed + job.mailboxesFailed,
  total: job.mailboxes,
  what: `hộp thư máy chủ thư đã trả lời (${job.mailboxesConfirmed} đã tạo, ${job.mailboxesFailed} lỗi)`,
})}
${running ? html`<p class="muted">Trang tự cập nhật vài giây một lần cho tới khi xong.</p>` : ''}
<p><a href="/imports">← Nhập hộp thư</a></p>`;
      return sendPage(request, reply, {
        title: 'Nhập hộp thư: tiến độ',
        current: 'imports',
        body,
        // live progress without JavaScript: the page reloads itself until the mail server is done
        ...refreshWhile(running),
      });
    },
  );
}
