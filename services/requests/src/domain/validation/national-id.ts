// Vietnamese personal ID numbers (CCCD, 12 digits `PPP G YY RRRRRR`, Decree 137/2015 Art. 13,
// Circular 07/2016/TT-BCA) and the legacy 9-digit CMND. Pure: no I/O, no clock of its own.
// PPP is the province of the birth registration among the 63 pre-2025 provinces (never remapped
// after the 2025 merger); G encodes century and sex; YY is the birth year's last two digits;
// there is no check digit.
import type { LocalizedText } from '@hopthu/shared/errors';

/** The 63 province codes of the CCCD (Circular 07/2016/TT-BCA, Annex). */
export const CCCD_PROVINCE_CODES: Readonly<Record<string, string>> = {
  '001': 'Hà Nội',
  '002': 'Hà Giang',
  '004': 'Cao Bằng',
  '006': 'Bắc Kạn',
  '008': 'Tuyên Quang',
  '010': 'Lào Cai',
  '011': 'Điện Biên',
  '012': 'Lai Châu',
  '014': 'Sơn La',
  '015': 'Yên Bái',
  '017': 'Hòa Bình',
  '019': 'Thái Nguyên',
  '020': 'Lạng Sơn',
  '022': 'Quảng Ninh',
  '024': 'Bắc Giang',
  '025': 'Phú Thọ',
  '026': 'Vĩnh Phúc',
  '027': 'Bắc Ninh',
  '030': 'Hải Dương',
  '031': 'Hải Phòng',
  '033': 'Hưng Yên',
  '034': 'Thái Bình',
  '035': 'Hà Nam',
  '036': 'Nam Định',
  '037': 'Ninh Bình',
  '038': 'Thanh Hóa',
  '040': 'Nghệ An',
  '042': 'Hà Tĩnh',
  '044': 'Quảng Bình',
  '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế',
  '048': 'Đà Nẵng',
  '049': 'Quảng Nam',
  '051': 'Quảng Ngãi',
  '052': 'Bình Định',
  '054': 'Phú Yên',
  '056': 'Khánh Hòa',
  '058': 'Ninh Thuận',
  '060': 'Bình Thuận',
  '062': 'Kon Tum',
  '064': 'Gia Lai',
  '066': 'Đắk Lắk',
  '067': 'Đắk Nông',
  '068': 'Lâm Đồng',
  '070': 'Bình Phước',
  '072': 'Tây Ninh',
  '074': 'Bình Dương',
  '075': 'Đồng Nai',
  '077': 'Bà Rịa - Vũng Tàu',
  '079': 'Hồ Chí Minh',
  '080': 'Long An',
  '082': 'Tiền Giang',
  '083': 'Bến Tre',
  '084': 'Trà Vinh',
  '086': 'Vĩnh Long',
  '087': 'Đồng Tháp',
  '089': 'An Giang',
  '091': 'Kiên Giang',
  '092': 'Cần Thơ',
  '093': 'Hậu Giang',
  '094': 'Sóc Trăng',
  '095': 'Bạc Liêu',
  '096': 'Cà Mau',
};

export type Gender = 'male' | 'female';

export interface NationalIdIssue {
  /** Which input the issue is about: the ID itself, or the date of birth / gender it contradicts. */
  field: 'nationalId' | 'dateOfBirth' | 'gender' | 'legacyNationalId';
  message: LocalizedText;
}

export interface DecodedCccd {
  provinceCode: string;
  province: string;
  birthYear: number;
  gender: Gender;
}

/** The century-sex digit for a birth year and sex: 0/1 for the 1900s, 2/3 for the 2000s, … 8/9. */
export function centurySexDigit(birthYear: number, gender: Gender): number {
  return 2 * (Math.floor(birthYear / 100) - 19) + (gender === 'female' ? 1 : 0);
}

/** Decodes a 12-digit CCCD, or undefined when its shape or province code is wrong. */
export function decodeCccd(id: string): DecodedCccd | undefined {
  if (!/^\d{12}$/.test(id)) return undefined;
  const provinceCode = id.slice(0, 3);
  const province = CCCD_PROVINCE_CODES[provinceCode];
  if (!province) return undefined;
  const g = Number(id[3]);
  const birthYear = 1900 + 100 * Math.floor(g / 2) + Number(id.slice(4, 6));
  return { provinceCode, province, birthYear, gender: g % 2 === 0 ? 'male' : 'female' };
}

const issue = (field: NationalIdIssue['field'], vi: string, en: string): NationalIdIssue => ({
  field,
  message: { vi, en },
});

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export function isRealDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Checks a person's identity data. `today` is `YYYY-MM-DD` in Asia/Ho_Chi_Minh, passed in so the
 * rule has no clock. Returns every issue found; an empty list means consistent.
 */
export function checkPersonIdentity(
  input: { nationalId?: string; legacyNationalId?: string; dateOfBirth?: string; gender?: Gender },
  today: string,
): NationalIdIssue[] {
  const issues: NationalIdIssue[] = [];
  const { nationalId, legacyNationalId, dateOfBirth, gender } = input;
  let dobOk = false;
  if (dateOfBirth !== undefined) {
    if (!isRealDate(dateOfBirth)) {
      issues.push(issue('dateOfBirth', 'Ngày sinh không có thật', 'the date of birth does not exist'));
    } else if (dateOfBirth > today || dateOfBirth < '1900-01-01') {
      issues.push(
        issue('dateOfBirth', 'Ngày sinh nằm ngoài khoảng hợp lý', 'the date of birth is out of range'),
      );
    } else dobOk = true;
  }
  if (legacyNationalId !== undefined && !/^(\d{9}|\d{12})$/.test(legacyNationalId)) {
    issues.push(
      issue(
        'legacyNationalId',
        'Số CMND cũ phải có 9 hoặc 12 chữ số',
        'a legacy CMND number has 9 or 12 digits',
      ),
    );
  }
  if (nationalId === undefined) return issues;
  if (/^\d{9}$/.test(nationalId)) {
    issues.push(
      issue(
        'nationalId',
        'Số CMND 9 chữ số đã hết hiệu lực từ 01/01/2025; gửi số định danh cá nhân 12 chữ số (CMND cũ chỉ ghi ở legacyNationalId)',
        'a 9-digit CMND is no longer valid since 2025-01-01; send the 12-digit personal ID (an old CMND only as legacyNationalId)',
      ),
    );
    return issues;
  }
  if (!/^\d{12}$/.test(nationalId)) {
    issues.push(
      issue(
        'nationalId',
        'Số định danh cá nhân phải gồm đúng 12 chữ số',
        'the national ID must be exactly 12 digits',
      ),
    );
    return issues;
  }
  const decoded = decodeCccd(nationalId);
  if (!decoded) {
    issues.push(
      issue(
        'nationalId',
        `Mã tỉnh ${nationalId.slice(0, 3)} của số định danh không tồn tại`,
        `the national ID's province code ${nationalId.slice(0, 3)} does not exist`,
      ),
    );
    return issues;
  }
  if (dobOk && dateOfBirth) {
    const year = Number(dateOfBirth.slice(0, 4));
    if (year !== decoded.birthYear) {
      issues.push(
        issue(
          'nationalId',
          'Thế kỷ và năm sinh trong số định danh không khớp với ngày sinh',
          'the century and birth year in the national ID do not match the date of birth',
        ),
      );
    }
  } else if (String(decoded.birthYear) > today.slice(0, 4)) {
    issues.push(
      issue(
        'nationalId',
        'Năm sinh trong số định danh nằm ở tương lai',
        'the birth year in the national ID lies in the future',
      ),
    );
  }
  if (gender !== undefined && gender !== decoded.gender) {
    issues.push(
      issue(
        'nationalId',
        'Chữ số giới tính trong số định danh không khớp với giới tính',
        'the sex digit in the national ID does not match the gender',
      ),
    );
  }
  return issues;
}

/** `038*******45`: the province code and the last two digits, never more. */
export function maskNationalId(id: string): string {
  if (id.length <= 5) return '*'.repeat(id.length);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 5)}${id.slice(-2)}`;
}

/** `1990-**-**`: the year only (the CCCD already reveals it). */
export function maskDateOfBirth(date: string): string {
  return `${date.slice(0, 4)}-**-**`;
}
