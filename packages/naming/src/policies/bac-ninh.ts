// Bắc Ninh, QĐ 06/2022/QĐ-UBND. Districts and communes by folded full name (the city is
// `tpbacninh`), sub-units by abbreviation under their parent's abbreviation (`pnv.bn`), personal
// addresses numbered from 1 on a collision (Điều 3 khoản 2 điểm b: `tvanh1.stttt`).
import { DEFAULT_RESERVED_LOCAL_PARTS } from './reserved.ts';
import { GB, MB } from './sizes.ts';
import type { ProvincePolicy } from './policy-types.ts';

export const bacNinh: ProvincePolicy = {
  id: 'bac-ninh',
  name: 'Bắc Ninh',
  domain: 'bacninh.gov.vn',
  instrument: 'QĐ 06/2022/QĐ-UBND (12/05/2022)',
  separator: '.',
  personal: {
    pattern: 'initials-given',
    agencyPart: true,
    districtPart: false,
    article: 'Điều 3 khoản 2 điểm a',
  },
  units: {
    hierarchy: 'nested',
    districtName: 'full-name',
    communeName: 'full-name',
    cityPrefix: 'tp',
    article: 'Điều 3 khoản 1 điểm a–d',
  },
  collision: { kind: 'numeric', start: 1, rankPriority: false, article: 'Điều 3 khoản 2 điểm b' },
  groupAddresses: null,
  agencyQuotaBytes: 10 * GB,
  personalQuotaBytes: 1 * GB,
  attachmentLimitBytes: 20 * MB,
  capacity: { article: 'Điều 5 khoản 1', basis: 'mailboxes: minimum (≥); attachment: maximum (≤)' },
  reserved: DEFAULT_RESERVED_LOCAL_PARTS,
  // "Tài khoản không phát sinh giao dịch gửi, nhận trong khoảng thời gian 06 tháng mà không có lý
  // do" → tạm khóa. Logins are what the mail server records, so they stand for use here.
  inactivity: { months: 6, action: 'lock', article: 'Điều 4 khoản 2 điểm c' },
  // "từ 8 ký tự trở lên, trong đó bao gồm ký tự in hoa, ký tự in thường, ít nhất có một ký tự chữ
  // số, ký tự đặc biệt (!, @, #, %, $, *, &). Ví dụ: NguyenvanA@123" (the file escapes the $).
  password: {
    minLength: 8,
    requireUpper: true,
    requireLower: true,
    requireLetter: false,
    requireDigit: true,
    requireSpecial: true,
    specialCharacters: '!@#%$*&',
    article: 'Điều 5 khoản 2',
  },
};
