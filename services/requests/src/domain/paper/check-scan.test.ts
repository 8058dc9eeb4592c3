import { AppError } from '@hopthu/shared/errors';
import { describe, expect, it } from 'vitest';
import { checkFormOperations, checkScan } from './check-scan.ts';

const b64 = (text: string) => Buffer.from(text, 'latin1').toString('base64');
const PDF = '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n';

function refusal(run: () => unknown) {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('checkScan', () => {
  it('when the bytes start with %PDF-, then the scan is kept with its hash and a safe name', () => {
    const scan = checkScan({ fileName: 'thư/01.pdf', content: b64(PDF) }, 1024);
    expect(scan.content.toString('latin1')).toBe(PDF);
    expect(scan.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(scan.fileName).toBe('thư_01.pdf');
  });

  it('when the file is named .pdf but is not a PDF, then it is refused naming /scan/content', () => {
    const err = refusal(() => checkScan({ fileName: 'a.pdf', content: b64('PK\u0003\u0004 zip') }, 1024));
    expect(err.code).toBe('validation_failed');
    expect(err.errors[0]?.field).toBe('/scan/content');
    expect(err.text.vi).toContain('không phải tệp PDF');
  });

  it('when the scan is larger than the limit, then it is refused as too large', () => {
    const err = refusal(() => checkScan({ fileName: 'a.pdf', content: b64(PDF + 'x'.repeat(2000)) }, 1024));
    expect(err.code).toBe('payload_too_large');
    expect(err.errors[0]?.field).toBe('/scan/content');
  });

  it('when the content is not base64 or empty, then it is refused', () => {
    expect(refusal(() => checkScan({ fileName: 'a.pdf', content: '%PDF-1.4' }, 1024)).code).toBe(
      'validation_failed',
    );
    expect(refusal(() => checkScan({ fileName: 'a.pdf', content: '' }, 1024)).text.en).toContain('empty');
  });
});

describe('checkFormOperations', () => {
  it('when a Mẫu 01 carries a delete, then the item operation is named', () => {
    const err = refusal(() =>
      checkFormOperations('mau01', [{ operation: 'create' }, { operation: 'delete' }]),
    );
    expect(err.errors.map((e) => e.field)).toEqual(['/items/1/operation']);
  });

  it("when Bắc Ninh's Phụ lục 2 carries create, suspend, delete and update, then all pass", () => {
    expect(() =>
      checkFormOperations(
        'bn_pl2',
        ['create', 'suspend', 'delete', 'update'].map((operation) => ({ operation })),
      ),
    ).not.toThrow();
  });
});
