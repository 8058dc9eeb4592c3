// An operator enters a paper request (Mẫu 01/02/03, Bắc Ninh's Phụ lục 2) for the agency that sent
// it: the same validation, approval rules, history, events and idempotency as the agency's own
// POST /v1/requests (submitRequest), its letter's number and date as the reference, and the PDF
// scan stored with the request in the same transaction, so there is never a request without its
// scan nor a scan without its request.
import type { NewId } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import type { Kysely } from 'kysely';
import { findAttachment, insertAttachment, listAttachments } from '../../db/attachment-repository.ts';
import type { Database } from '../../db/schema.ts';
import { findRequest } from '../../db/request-repository.ts';
import { requestNotFound } from '../requests/request-errors.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { type SubmitDeps, submitRequest } from '../requests/submit-request.ts';
import { retryOnIdempotencyRace } from '../validation/idempotency.ts';
import { checkFormOperations, checkScan, type PaperForm } from './check-scan.ts';

export interface PaperRequestInput {
  operator: string;
  idempotencyKey: string;
  form: PaperForm;
  scan: { fileName: string; content: string };
  body: SubmitBody;
}

export async function filePaperRequest(
  deps: SubmitDeps & { newId: NewId; scanMaxBytes: number },
  input: PaperRequestInput,
) {
  checkFormOperations(input.form, input.body.items);
  const scan = checkScan(input.scan, deps.scanMaxBytes);
  const principal = { clientId: `operator:${input.operator}`, agencyId: input.body.agencyId };
  return retryOnIdempotencyRace(() =>
    submitRequest(deps, {
      principal,
      idempotencyKey: input.idempotencyKey,
      body: input.body,
      alsoStore: (trx, requestId) =>
        insertAttachment(trx, {
          id: deps.newId(),
          requestId,
          form: input.form,
          fileName: scan.fileName,
          contentType: 'application/pdf',
          sha256: scan.sha256,
          content: scan.content,
          uploadedBy: input.operator,
          createdAt: deps.clock.now(),
        }),
    }),
  );
}

/** A request's scans, without their bytes (404 for a request that does not exist). */
export async function listRequestAttachments(
  { db }: { db: Kysely<Database> },
  { requestId }: { requestId: string },
) {
  if (!(await findRequest(db, requestId))) throw requestNotFound();
  const rows = await listAttachments(db, requestId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      form: r.form,
      fileName: r.file_name,
      contentType: r.content_type,
      sizeBytes: r.size_bytes,
      sha256: r.sha256,
      uploadedBy: r.uploaded_by,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

export async function readRequestAttachment(
  { db }: { db: Kysely<Database> },
  { requestId, attachmentId }: { requestId: string; attachmentId: string },
) {
  const row = await findAttachment(db, requestId, attachmentId);
  if (!row) {
    throw new AppError('not_found', { vi: 'Không có bản quét này', en: 'No such scan' });
  }
  return { fileName: row.file_name, contentType: row.content_type, content: row.content };
}
