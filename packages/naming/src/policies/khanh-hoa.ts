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
};
