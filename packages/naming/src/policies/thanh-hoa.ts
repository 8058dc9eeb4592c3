// Thanh Hóa, QĐ 3380/2013/QĐ-UBND. The file lost every rule sentence at its first `<` (extraction
// §1.D): only the four examples of Điều 3 survive, and the collision rule (khoản 3 điểm b) is a bare
// heading. The act copies Khánh Hòa's, so a collision is an operator's decision, as there.
import { DEFAULT_RESERVED_LOCAL_PARTS } from './reserved.ts';
import { MB } from './sizes.ts';
import type { ProvincePolicy } from './policy-types.ts';

export const thanhHoa: ProvincePolicy = {
  id: 'thanh-hoa',
  name: 'Thanh Hóa',
  domain: 'thanhhoa.gov.vn',
  instrument: 'QĐ 3380/2013/QĐ-UBND (30/09/2013)',
  separator: '.',
  personal: {
    pattern: 'given-initials',
    agencyPart: true,
    districtPart: false,
    article: 'Điều 3 khoản 3 điểm a (by example only: tuanna.stttt)',
  },
  units: {
    hierarchy: 'nested',
    districtName: 'full-name',
    communeName: 'full-name',
    cityPrefix: 'tp',
    article: 'Điều 3 khoản 2 điểm a, b',
  },
  collision: {
    kind: 'operator',
    start: 1,
    proposalCount: 3,
    article: 'Điều 3 khoản 3 điểm b (text lost; Khánh Hòa Điều 3 khoản 3 điểm b applied)',
  },
  groupAddresses: null,
  agencyQuotaBytes: 500 * MB,
  personalQuotaBytes: 100 * MB,
  attachmentLimitBytes: 10 * MB,
  capacity: { article: 'Điều 9', basis: 'mailboxes: minimum (≥); attachment: maximum (≤)' },
  reserved: DEFAULT_RESERVED_LOCAL_PARTS,
  // No complexity rule in the text (Điều 16 khoản 2 điểm c, Điều 17 khoản 2 only say "bảo vệ mật khẩu"):
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
};
