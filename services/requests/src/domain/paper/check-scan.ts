// The scan of a paper request must be a PDF (its first bytes are "%PDF-", whatever its name or the
// type the browser claimed) no larger than the service's limit. Pure: the bytes in, the checked
// scan or a field error out.
import { createHash } from 'node:crypto';
import { AppError } from '@hopthu/shared/errors';

export const PAPER_FORMS = ['mau01', 'mau02', 'mau03', 'bn_pl2'] as const;
export type PaperForm = (typeof PAPER_FORMS)[number];

/** The operations each paper form may carry (Bắc Ninh's Phụ lục 2: form 1 create, suspend, delete; form 2 change). */
export const FORM_OPERATIONS: Record<PaperForm, readonly string[]> = {
  mau01: ['create'],
  mau02: ['update'],
  mau03: ['delete'],
  bn_pl2: ['create', 'suspend', 'delete', 'update'],
};

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface CheckedScan {
  fileName: string;
  content: Buffer;
  sha256: string;
}

const fieldError = (field: string, vi: string, en: string, code: 'validation_failed' | 'payload_too_large') =>
  new AppError(code, { vi, en }, { errors: [{ field, message: { vi, en } }] });

export function checkScan(scan: { fileName: string; content: string }, maxBytes: number): CheckedScan {
  if (!BASE64.test(scan.content) || scan.content.length % 4 !== 0) {
    throw fieldError(
      '/scan/content',
      'Bản quét không đúng dạng base64',
      'The scan is not valid base64',
      'validation_failed',
    );
  }
  const content = Buffer.from(scan.content, 'base64');
  if (content.length === 0) {
    throw fieldError('/scan/content', 'Bản quét rỗng', 'The scan is empty', 'validation_failed');
  }
  if (content.length > maxBytes) {
    const mib = (maxBytes / 1048576).toFixed(1).replace(/\.0$/, '');
    throw fieldError(
      '/scan/content',
      `Bản quét lớn hơn giới hạn ${mib} MiB`,
      `The scan is larger than the ${mib} MiB limit`,
      'payload_too_large',
    );
  }
  if (!content.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
    throw fieldError(
      '/scan/content',
      'Bản quét không phải tệp PDF (không bắt đầu bằng %PDF-)',
      'The scan is not a PDF file (it does not start with %PDF-)',
      'validation_failed',
    );
  }
  const fileName = scan.fileName.normalize('NFC').replace(/[\\/]/g, '_').trim() || 'ban-quet.pdf';
  return { fileName, content, sha256: createHash('sha256').update(content).digest('hex') };
}

/** Each item's operation must be one its paper form carries. */
export function checkFormOperations(form: PaperForm, items: readonly { operation: string }[]): void {
  const allowed = FORM_OPERATIONS[form];
  const errors = items.flatMap((item, i) =>
    allowed.includes(item.operation)
      ? []
      : [
          {
            field: `/items/${i}/operation`,
            message: {
              vi: `mẫu này chỉ dùng cho: ${allowed.join(', ')}`,
              en: `this form carries only: ${allowed.join(', ')}`,
            },
          },
        ],
  );
  if (errors.length > 0) {
    throw new AppError(
      'validation_failed',
      { vi: 'Thao tác không thuộc mẫu phiếu đã chọn', en: 'An operation does not belong to the chosen form' },
      { errors },
    );
  }
}
