// Khánh Hòa, QĐ 1480/QĐ-UBND. Personal addresses carry no agency (and survive a transfer, Điều 2
// khoản 4); unit levels are joined by `_`, sub-unit first (`pvhtt_cl`); districts by abbreviation
// (`cl`). A collision is agreed between the IT centre and the agency (Điều 3 khoản 3 điểm b).
import { DEFAULT_RESERVED_LOCAL_PARTS } from './reserved.ts';
import { MB } from './sizes.ts';
import type { ProvincePolicy } from './policy-types.ts';

export const khanhHoa: ProvincePolicy = {
  id: 'khanh-hoa',
  name: 'Khánh Hòa',
  domain: 'khanhhoa.gov.vn',
  instrument: 'QĐ 1480/QĐ-UBND (18/06/2012)',
  separator: '_',
  personal: {
    pattern: 'initials-given',
    agencyPart: false,
    districtPart: false,
    article: 'Điều 3 khoản 3 điểm a',
  },
  units: {
    hierarchy: 'nested',
    districtName: 'abbreviation',
    communeName: 'abbreviation',
    cityPrefix: 'tp',
    article: 'Điều 3 khoản 2 điểm a, b',
  },
  collision: { kind: 'operator', start: 1, proposalCount: 3, article: 'Điều 3 khoản 3 điểm b' },
  groupAddresses: null,
  agencyQuotaBytes: 500 * MB,
  personalQuotaBytes: 100 * MB,
  attachmentLimitBytes: 10 * MB,
  capacity: { article: 'Điều 9', basis: 'mailboxes: minimum (≥); attachment: maximum (≤)' },
  reserved: DEFAULT_RESERVED_LOCAL_PARTS,
  // No complexity rule in the text (Điều 4 khoản 2 only asks a reissued password to be changed):
  // hopthu's minimum of 8 characters (the address, the holder's name and the current password are
  // refused in every province).
  password: {
    minLength: 8,
    requireUpper: false,
    requireLower: false,
    requireLetter: false,
    requireDigit: false,
    requireSpecial: false,
    specialCharacters: null,
    article: 'none in the regulation: hopthu minimum',
  },
  // "Người sử dụng có trách nhiệm thay đổi mật khẩu ngay trong lần đầu sử dụng mật khẩu được cấp mới"
  firstLoginChange: { onCreate: false, onReset: true, article: 'Điều 4 khoản 2' },
};
