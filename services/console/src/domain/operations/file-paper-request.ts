// An operator enters an agency's paper request with its PDF scan: the requests service files it
// as the agency's own request would be (POST /admin/paper-requests under the operator's token,
// the form's idempotency key making a resubmitted form file once) and keeps the scan with it; the
// console records the entry and its outcome in the audit chain (never the persons' data).
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';
import type { PaperBody } from './paper-request-form.ts';

export interface FieldProblem {
  field: string;
  message: { vi: string; en: string };
}

export type FilePaperResult =
  | { outcome: 'filed'; requestId: string; status: string }
  | { outcome: 'refused'; message: string; errors: FieldProblem[] };

export async function filePaperRequest(
  deps: ConsoleDeps,
  input: {
    body: PaperBody;
    scan: { fileName: string; bytes: Uint8Array };
    idempotencyKey: string;
    operator: SessionRecord;
    clientIp: string;
  },
): Promise<FilePaperResult> {
  const answer = await deps.upstreams.requests.post<{
    id?: string;
    status?: string;
    message?: { vi?: string };
    errors?: FieldProblem[];
  }>(
    '/admin/paper-requests',
    {
      ...input.body,
      scan: { fileName: input.scan.fileName, content: Buffer.from(input.scan.bytes).toString('base64') },
    },
    { name: input.operator.username, role: input.operator.role },
    { 'idempotency-key': input.idempotencyKey },
  );
  const result: FilePaperResult =
    answer.status === 202 && answer.body?.id
      ? { outcome: 'filed', requestId: answer.body.id, status: String(answer.body.status ?? '') }
      : {
          outcome: 'refused',
          message:
            answer.status === 413
              ? 'Bản quét quá lớn'
              : (answer.body?.message?.vi ?? `Dịch vụ yêu cầu trả lời HTTP ${answer.status}`),
          errors:
            answer.status === 413 && !answer.body?.errors?.length
              ? [{ field: '/scan/content', message: { vi: 'tệp quá lớn', en: 'file too large' } }]
              : (answer.body?.errors ?? []),
        };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: 'paper_request.file',
    target: input.body.agencyId,
    outcome: result.outcome === 'filed' ? 'ok' : 'refused',
    details: {
      form: input.body.form,
      reference: input.body.reference,
      items: input.body.items.length,
      scan: { fileName: input.scan.fileName, bytes: input.scan.bytes.length },
      ...(result.outcome === 'filed'
        ? { requestId: result.requestId }
        : { message: result.message, fields: result.errors.map((e) => e.field) }),
    },
    clientIp: input.clientIp,
  });
  return result;
}
