// What an agency change asks for, checked and normalised before anything is written (pure): the
// name, the abbreviation's form, the unit code's form (QĐ 20/2020/QĐ-TTg), the effective date (not
// in the future, not before the current version) and a chosen mailbox name. What needs the
// database (a taken abbreviation, the new parent) is checked by the use case.
import { foldToAscii, isValidLocalPart } from '@hopthu/naming';
import { AppError } from '@hopthu/shared/errors';

export interface AgencyChangeRequest {
  name?: string | undefined;
  abbreviation?: string | undefined;
  /** A new parent; null makes it a top-level agency; absent keeps the parent. */
  parentId?: string | null | undefined;
  /** A new unit code (QĐ 20/2020/QĐ-TTg); null clears it; absent keeps it. */
  unitCode?: string | null | undefined;
  /** A chosen local part for the agency's own mailbox (wins over the rule). */
  mailboxName?: string | undefined;
  /** When the change takes effect; not in the future (default: now). */
  effectiveFrom?: string | undefined;
}

export interface CurrentAgency {
  name: string;
  abbreviation: string;
  parentId: string | null;
  unitCode: string | null;
  validFrom: Date;
  dissolvedAt: Date | null;
}

export interface AgencyChange {
  name: string;
  abbreviation: string;
  parentId: string | null;
  unitCode: string | null | undefined;
  mailboxName: string | undefined;
  validFrom: Date;
}

const ABBREVIATION = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

/**
 * The electronic identification code of an agency (QĐ 20/2020/QĐ-TTg, Điều 4): four groups,
 * level-4, level-3, level-2 and level-1 codes, e.g. `000.00.21.H56` (the level-1 code is a capital
 * letter and two digits: H for the provinces, G for ministries).
 */
export const UNIT_CODE_PATTERN = '^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$';
const UNIT_CODE = new RegExp(UNIT_CODE_PATTERN);

export function isUnitCode(value: string): boolean {
  return UNIT_CODE.test(value);
}

export function checkAgencyChange(
  agency: CurrentAgency,
  input: AgencyChangeRequest,
  now: Date,
): AgencyChange {
  if (agency.dissolvedAt) {
    throw new AppError('conflict', {
      vi: 'Cơ quan đã giải thể, không thay đổi được',
      en: 'The agency is dissolved and cannot be changed',
    });
  }
  const validFrom = input.effectiveFrom ? new Date(input.effectiveFrom) : now;
  if (Number.isNaN(validFrom.getTime()) || validFrom > now || validFrom < agency.validFrom) {
    throw badField(
      '/effectiveFrom',
      'Ngày hiệu lực không được ở tương lai hay trước phiên bản hiện tại',
      'effectiveFrom must not be in the future nor before the current version',
    );
  }
  const abbreviation =
    input.abbreviation !== undefined ? foldToAscii(input.abbreviation).trim() : agency.abbreviation;
  if (!ABBREVIATION.test(abbreviation) || abbreviation.length > 32) {
    throw badField(
      '/abbreviation',
      'Tên viết tắt chỉ gồm chữ, số và dấu gạch ngang',
      'The abbreviation is letters, digits and hyphens',
    );
  }
  const name = input.name !== undefined ? input.name.normalize('NFC').trim() : agency.name;
  if (name === '') throw badField('/name', 'Thiếu tên', 'The name is empty');
  const unitCode =
    input.unitCode === undefined || input.unitCode === null ? input.unitCode : input.unitCode.trim();
  if (typeof unitCode === 'string' && !isUnitCode(unitCode)) {
    throw badField(
      '/unitCode',
      'Mã định danh không đúng dạng của Quyết định 20/2020/QĐ-TTg (ví dụ 000.00.21.H56)',
      'The unit code is not in the form of Decision 20/2020/QĐ-TTg (e.g. 000.00.21.H56)',
    );
  }
  if (input.mailboxName !== undefined && !isValidLocalPart(input.mailboxName)) {
    throw badField('/mailboxName', 'Tên hộp thư không hợp lệ', 'Invalid mailbox name');
  }
  return {
    name,
    abbreviation,
    parentId: input.parentId === undefined ? agency.parentId : input.parentId,
    unitCode,
    mailboxName: input.mailboxName,
    validFrom,
  };
}

export function badField(field: string, vi: string, en: string): AppError {
  return new AppError('validation_failed', { vi, en }, { errors: [{ field, message: { vi, en } }] });
}
