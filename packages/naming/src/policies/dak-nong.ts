// Đắk Nông, QĐ 12/2012/QĐ-UBND. Điều 5 gives formulas but no example address; letters are appended
// to the later person's name part on a collision (the text says "ký tự alphabet", the letters are
// our choice: a, b, c…). Staff inside a district carry the district: name.agency.district.
import { DEFAULT_RESERVED_LOCAL_PARTS } from './reserved.ts';
import { MB } from './sizes.ts';
import type { ProvincePolicy } from './policy-types.ts';

export const dakNong: ProvincePolicy = {
  id: 'dak-nong',
  name: 'Đắk Nông',
  domain: 'daknong.gov.vn',
  instrument: 'QĐ 12/2012/QĐ-UBND (17/08/2012)',
  separator: '.',
  personal: {
    pattern: 'given-initials',
    agencyPart: true,
    districtPart: true,
    article: 'Điều 5 khoản 1 điểm a, d',
  },
  units: {
    hierarchy: 'nested',
    districtName: 'full-name',
    communeName: 'full-name',
    cityPrefix: 'tp',
    article: 'Điều 5 khoản 1 điểm b, c, d',
  },
  collision: { kind: 'letters', article: 'Điều 5 khoản 1 điểm a' },
  groupAddresses: { province: 'internal', agencyPrefix: 'internal', article: 'Điều 5 khoản 1 điểm e' },
  agencyQuotaBytes: 500 * MB,
  personalQuotaBytes: 500 * MB,
  attachmentLimitBytes: 25 * MB,
  capacity: { article: 'Điều 5 khoản 2', basis: 'maximum (≤) for every mailbox and attachment' },
  reserved: DEFAULT_RESERVED_LOCAL_PARTS,
  // "trừ một số trường hợp đặc biệt, một số cá nhân có thể quản lý nhiều hơn một hộp thư"
  severalPersonalMailboxes: { article: 'Điều 5' },
  // "không sử dụng hộp thư điện tử liên tục trong thời gian 6 tháng thì sẽ bị thu hồi và hủy bỏ"
  inactivity: { months: 6, action: 'reclaim', article: 'Điều 7 khoản 3' },
  // "thay đổi mật khẩu tối thiểu 8 ký tự, bao gồm chữ in hoa, chữ thường và ký tự đặc biệt
  // (!,@,#,$,%,^,&,*....) … Mật khẩu phải được đổi ngay lần đăng nhập đầu tiên". The list ends in
  // "....": any character that is not a letter or digit counts as special. A reissued password
  // (Điều 12 khoản 3) is an issued password too: changed at its first use.
  password: {
    minLength: 8,
    requireUpper: true,
    requireLower: true,
    requireLetter: false,
    requireDigit: false,
    requireSpecial: true,
    specialCharacters: null,
    article: 'Điều 12 khoản 1',
  },
  firstLoginChange: { onCreate: true, onReset: true, article: 'Điều 12 khoản 1' },
};
