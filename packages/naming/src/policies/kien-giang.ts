// Kiên Giang, QĐ 2639/QĐ-UBND. Every unit box is a flat abbreviation (`sttt`, `snv`, `sngv`);
// personal addresses are numbered 1, 2, 3… within the unit, and the person of higher rank keeps the
// plain form (Điều 4 khoản 2).
import { DEFAULT_RESERVED_LOCAL_PARTS } from './reserved.ts';
import { GB, MB } from './sizes.ts';
import type { ProvincePolicy } from './policy-types.ts';

export const kienGiang: ProvincePolicy = {
  id: 'kien-giang',
  name: 'Kiên Giang',
  domain: 'kiengiang.gov.vn',
  instrument: 'QĐ 2639/QĐ-UBND (15/11/2016)',
  separator: '.',
  personal: {
    pattern: 'initials-given',
    agencyPart: true,
    districtPart: false,
    article: 'Điều 4 khoản 2',
  },
  units: {
    hierarchy: 'flat',
    districtName: 'abbreviation',
    communeName: 'abbreviation',
    cityPrefix: 'tp',
    article: 'Điều 4 khoản 1',
  },
  collision: { kind: 'numeric', start: 1, rankPriority: true, article: 'Điều 4 khoản 2' },
  groupAddresses: null,
  agencyQuotaBytes: 5 * GB,
  personalQuotaBytes: 1 * GB,
  attachmentLimitBytes: 15 * MB,
  capacity: { article: 'Điều 10 khoản 1', basis: 'mailboxes: the stated value; attachment: maximum (≤)' },
  reserved: DEFAULT_RESERVED_LOCAL_PARTS,
  // "không truy xuất trong thời gian sáu (6) tháng kể từ lúc khai báo hoặc lần truy xuất sau cùng
  // … sẽ thu hồi"; may be reissued on a new request.
  inactivity: { months: 6, action: 'reclaim', article: 'Điều 5 khoản 4' },
  // "Mật khẩu tối thiểu phải từ 8 ký tự trở lên. Mật khẩu phải có cả phần số, chữ và ký tự đặc biệt."
  password: {
    minLength: 8,
    requireUpper: false,
    requireLower: false,
    requireLetter: true,
    requireDigit: true,
    requireSpecial: true,
    specialCharacters: null,
    article: 'Điều 10 khoản 4',
  },
  // "Trong vòng 05 ngày làm việc nếu hộp thư được tạo mới không thay đổi mật khẩu mặc định thì hộp
  // thư đó sẽ tạm thời bị khóa cho đến khi có yêu cầu mới."
  defaultPasswordLock: { workingDays: 5, article: 'Điều 10 khoản 3' },
};
