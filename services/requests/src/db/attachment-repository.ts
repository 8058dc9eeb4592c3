// The Kysely code of paper requests' scans: stored with the request in its transaction, listed
// without their bytes, read whole for a download.
import type { Kysely, Transaction } from 'kysely';
import type { Database, RequestAttachmentsTable } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewAttachment {
  id: string;
  requestId: string;
  form: RequestAttachmentsTable['form'];
  fileName: string;
  contentType: string;
  sha256: string;
  content: Buffer;
  uploadedBy: string;
  createdAt: Date;
}

export async function insertAttachment(trx: Transaction<Database>, a: NewAttachment): Promise<void> {
  await trx
    .insertInto('request_attachments')
    .values({
      id: a.id,
      request_id: a.requestId,
      form: a.form,
      file_name: a.fileName,
      content_type: a.contentType,
      size_bytes: a.content.length,
      sha256: a.sha256,
      content: a.content,
      uploaded_by: a.uploadedBy,
      created_at: a.createdAt,
    })
    .execute();
}

/** The scans of a request, oldest first, without their bytes. */
export async function listAttachments(db: Db, requestId: string) {
  return db
    .selectFrom('request_attachments')
    .select(['id', 'form', 'file_name', 'content_type', 'size_bytes', 'sha256', 'uploaded_by', 'created_at'])
    .where('request_id', '=', requestId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttachment(db: Db, requestId: string, attachmentId: string) {
  return db
    .selectFrom('request_attachments')
    .selectAll()
    .where('request_id', '=', requestId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
}
