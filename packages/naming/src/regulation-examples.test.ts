// Every example address in the five regulations (shared/seeds, quoted with article and line in
// regulations-extraction.md) as a test. Each test name cites the article; Lnn is the line number
// in the seed file. Examples that the rules only derive are marked "derived".
import { describe, expect, it } from 'vitest';
import { chooseAddress, chooseAddresses, groupAddress, type NamingInput } from './choose.ts';
import type { PersonName } from './name-parts.ts';
import { getPolicy } from './policies/registry.ts';
import type { UnitDescription } from './unit.ts';

function addressOf(provinceId: string, input: NamingInput, taken: readonly string[] = []): string {
  const choice = chooseAddress(getPolicy(provinceId), input, (local) => taken.includes(local));
  if (choice.outcome !== 'assigned') throw new Error(`expected an address, got ${JSON.stringify(choice)}`);
  return choice.address;
}

function person(familyName: string, middleName: string, givenName: string, rank?: number): PersonName {
  return rank === undefined
    ? { familyName, middleName, givenName }
    : { familyName, middleName, givenName, rank };
}

function unit(
  name: string,
  type: UnitDescription['type'],
  extra: Partial<UnitDescription> = {},
): UnitDescription {
  return { name, type, ...extra };
}

describe('Thanh Hóa, QĐ 3380/2013/QĐ-UBND (000)', () => {
  it('Điều 3 khoản 2 điểm a (L35): Sở Thông tin và Truyền thông is stttt@thanhhoa.gov.vn', () => {
    const input: NamingInput = { kind: 'unit', unit: unit('Sở Thông tin và Truyền thông', 'department') };
    expect(addressOf('thanh-hoa', input)).toBe('stttt@thanhhoa.gov.vn');
    const chosen: NamingInput = {
      kind: 'unit',
      unit: unit('Sở Thông tin và Truyền thông', 'department', { abbreviation: 'stttt' }),
    };
    expect(addressOf('thanh-hoa', chosen)).toBe('stttt@thanhhoa.gov.vn');
  });

  it('Điều 3 khoản 2 điểm a (L36): Ủy ban nhân dân huyện Yên Định is yendinh@thanhhoa.gov.vn', () => {
    const input: NamingInput = { kind: 'unit', unit: unit('Ủy ban nhân dân huyện Yên Định', 'district') };
    expect(addressOf('thanh-hoa', input)).toBe('yendinh@thanhhoa.gov.vn');
  });

  it('Điều 3 khoản 2 điểm b (L38): Phòng Văn hóa và Thông tin of UBND huyện Yên Định is pvhtt.yendinh@thanhhoa.gov.vn', () => {
    const input: NamingInput = {
      kind: 'unit',
      unit: unit('Phòng Văn hóa và Thông tin', 'department', { abbreviation: 'pvhtt' }),
      parent: unit('UBND huyện Yên Định', 'district'),
    };
    expect(addressOf('thanh-hoa', input)).toBe('pvhtt.yendinh@thanhhoa.gov.vn');
  });

  it('Điều 3 khoản 3 điểm a (L45): Ông Nguyễn Anh Tuấn at Sở TTTT is tuanna.stttt@thanhhoa.gov.vn', () => {
    const input: NamingInput = { kind: 'personal', person: person('Nguyễn', 'Anh', 'Tuấn'), agency: 'stttt' };
    expect(addressOf('thanh-hoa', input)).toBe('tuanna.stttt@thanhhoa.gov.vn');
  });

  it('Điều 3 khoản 3 điểm b (L46, text lost): when tuanna.stttt is taken, then an operator decides between numbered candidates', () => {
    const input: NamingInput = { kind: 'personal', person: person('Nguyễn', 'Anh', 'Tuấn'), agency: 'stttt' };
    const choice = chooseAddress(getPolicy('thanh-hoa'), input, (local) => local === 'tuanna.stttt');
    expect(choice).toEqual({
      outcome: 'operator',
      decision: 'operator',
      candidates: ['tuanna1.stttt', 'tuanna2.stttt', 'tuanna3.stttt'],
    });
  });
});

describe('Đắk Nông, QĐ 12/2012/QĐ-UBND (001)', () => {
  it('Điều 5 khoản 1 điểm e (L77): the province-wide group address is internal@daknong.gov.vn', () => {
    expect(groupAddress(getPolicy('dak-nong'))?.address).toBe('internal@daknong.gov.vn');
  });

  it("Điều 5 khoản 1 điểm e (L78): an agency's group address is internal.<agency>@daknong.gov.vn", () => {
    expect(groupAddress(getPolicy('dak-nong'), 'stttt')?.address).toBe('internal.stttt@daknong.gov.vn');
  });

  it('Điều 5 khoản 1 điểm e: no person or unit can take "internal"', () => {
    const input: NamingInput = {
      kind: 'unit',
      unit: unit('Internal', 'department', { abbreviation: 'internal' }),
    };
    expect(chooseAddress(getPolicy('dak-nong'), input).outcome).toBe('operator');
  });

  it('Điều 5 khoản 1 điểm a (derived, the text has no example): Nguyễn Anh Tuấn at Sở TTTT is tuanna.stttt@daknong.gov.vn', () => {
    const input: NamingInput = { kind: 'personal', person: person('Nguyễn', 'Anh', 'Tuấn'), agency: 'stttt' };
    expect(addressOf('dak-nong', input)).toBe('tuanna.stttt@daknong.gov.vn');
  });

  it('Điều 5 khoản 1 điểm a (derived): the person created later with the same name gets a, then b, after the name part', () => {
    const input: NamingInput = { kind: 'personal', person: person('Nguyễn', 'Anh', 'Tuấn'), agency: 'stttt' };
    expect(addressOf('dak-nong', input, ['tuanna.stttt'])).toBe('tuannaa.stttt@daknong.gov.vn');
    expect(addressOf('dak-nong', input, ['tuanna.stttt', 'tuannaa.stttt'])).toBe(
      'tuannab.stttt@daknong.gov.vn',
    );
  });

  it('Điều 5 khoản 1 điểm d (derived): staff inside a district are name.agency.district', () => {
    const input: NamingInput = {
      kind: 'personal',
      person: person('Nguyễn', 'Anh', 'Tuấn'),
      agency: 'pnv',
      district: 'huyện Krông Nô',
    };
    expect(addressOf('dak-nong', input)).toBe('tuanna.pnv.krongno@daknong.gov.vn');
  });

  it('Điều 5 khoản 1 điểm b, c, d (derived): agency, department, district, district department and commune boxes', () => {
    const policy = 'dak-nong';
    expect(
      addressOf(policy, { kind: 'unit', unit: unit('Sở Nội vụ', 'department', { abbreviation: 'snv' }) }),
    ).toBe('snv@daknong.gov.vn');
    expect(
      addressOf(policy, {
        kind: 'unit',
        unit: unit('Văn phòng', 'department', { abbreviation: 'vp' }),
        parent: unit('Sở Nội vụ', 'department', { abbreviation: 'snv' }),
      }),
    ).toBe('vp.snv@daknong.gov.vn');
    const district = unit('UBND huyện Krông Nô', 'district');
    expect(addressOf(policy, { kind: 'unit', unit: district })).toBe('krongno@daknong.gov.vn');
    expect(
      addressOf(policy, {
        kind: 'unit',
        unit: unit('Phòng Nội vụ', 'department', { abbreviation: 'pnv' }),
        parent: district,
      }),
    ).toBe('pnv.krongno@daknong.gov.vn');
    expect(addressOf(policy, { kind: 'unit', unit: unit('Xã Đắk Mâm', 'commune'), parent: district })).toBe(
      'dakmam.krongno@daknong.gov.vn',
    );
  });
});

describe('Bắc Ninh, QĐ 06/2022/QĐ-UBND (002)', () => {
  const city = unit('Thành phố Bắc Ninh', 'city', { abbreviation: 'bn' });
  const yenPhong = unit('UBND huyện Yên Phong', 'district');

  it('Điều 3 khoản 1 điểm a (L96): Sở Thông tin và Truyền thông is stttt@bacninh.gov.vn', () => {
    const input: NamingInput = {
      kind: 'unit',
      unit: unit('Sở Thông tin và Truyền thông', 'department', { abbreviation: 'stttt' }),
    };
    expect(addressOf('bac-ninh', input)).toBe('stttt@bacninh.gov.vn');
  });

  it('Điều 3 khoản 1 điểm b (L102): UBND Yên Phong is yenphong@bacninh.gov.vn', () => {
    expect(addressOf('bac-ninh', { kind: 'unit', unit: unit('UBND Yên Phong', 'district') })).toBe(
      'yenphong@bacninh.gov.vn',
    );
    expect(addressOf('bac-ninh', { kind: 'unit', unit: yenPhong })).toBe('yenphong@bacninh.gov.vn');
  });

  it('Điều 3 khoản 1 điểm b (L104): UBND Thành phố Bắc Ninh is tpbacninh@bacninh.gov.vn, whatever its abbreviation', () => {
    expect(addressOf('bac-ninh', { kind: 'unit', unit: city })).toBe('tpbacninh@bacninh.gov.vn');
    expect(addressOf('bac-ninh', { kind: 'unit', unit: unit('UBND Thành phố Bắc Ninh', 'city') })).toBe(
      'tpbacninh@bacninh.gov.vn',
    );
  });

  it('Điều 3 khoản 1 điểm c (L110): UBND xã Tam Giang thuộc huyện Yên Phong is tamgiang.yenphong@bacninh.gov.vn', () => {
    const input: NamingInput = { kind: 'unit', unit: unit('UBND xã Tam Giang', 'commune'), parent: yenPhong };
    expect(addressOf('bac-ninh', input)).toBe('tamgiang.yenphong@bacninh.gov.vn');
  });

  it('Điều 3 khoản 1 điểm c (L116): UBND phường Kinh Bắc of Thành phố Bắc Ninh is kinhbac.tpbacninh@bacninh.gov.vn', () => {
    const input: NamingInput = { kind: 'unit', unit: unit('Phường Kinh Bắc', 'ward'), parent: city };
    expect(addressOf('bac-ninh', input)).toBe('kinhbac.tpbacninh@bacninh.gov.vn');
  });

  it('Điều 3 khoản 1 điểm d (L122): the Trung tâm CNTT&TT of Sở TTTT is ttcnnttt.stttt@bacninh.gov.vn as printed', () => {
    const parent = unit('Sở Thông tin và Truyền thông', 'department', { abbreviation: 'stttt' });
    const printed: NamingInput = {
      kind: 'unit',
      unit: unit('Trung tâm Công nghệ thông tin và Truyền thông', 'department', { abbreviation: 'ttcnnttt' }),
      parent,
    };
    expect(addressOf('bac-ninh', printed)).toBe('ttcnnttt.stttt@bacninh.gov.vn');
    // Without the printed (mistyped) abbreviation, the derived one is the syllables' initials.
    const derived: NamingInput = {
      kind: 'unit',
      unit: unit('Trung tâm Công nghệ thông tin và Truyền thông', 'department'),
      parent,
    };
    expect(addressOf('bac-ninh', derived)).toBe('ttcntttt.stttt@bacninh.gov.vn');
  });

  it('Điều 3 khoản 1 điểm d (L124): Phòng Nội vụ of UBND Thành phố Bắc Ninh is pnv.bn@bacninh.gov.vn (the chosen abbreviation wins)', () => {
    const input: NamingInput = { kind: 'unit', unit: unit('Phòng Nội vụ', 'department'), parent: city };
    expect(addressOf('bac-ninh', input)).toBe('pnv.bn@bacninh.gov.vn');
  });

  it('Điều 3 khoản 2 điểm a (L134): ông Trần Văn Anh at Sở TTTT is tvanh.stttt@bacninh.gov.vn', () => {
    const input: NamingInput = { kind: 'personal', person: person('Trần', 'Văn', 'Anh'), agency: 'stttt' };
    expect(addressOf('bac-ninh', input)).toBe('tvanh.stttt@bacninh.gov.vn');
  });

  it('Điều 3 khoản 2 điểm b (L138): when tvanh.stttt exists, the new Trần Văn Anh is tvanh1.stttt@bacninh.gov.vn', () => {
    const input: NamingInput = { kind: 'personal', person: person('Trần', 'Văn', 'Anh'), agency: 'stttt' };
    expect(addressOf('bac-ninh', input, ['tvanh.stttt'])).toBe('tvanh1.stttt@bacninh.gov.vn');
  });

  it('Điều 3 khoản 2 điểm b (derived): the numbers go on 2, 3… ("số thứ tự")', () => {
    const input: NamingInput = { kind: 'personal', person: person('Trần', 'Văn', 'Anh'), agency: 'stttt' };
    expect(addressOf('bac-ninh', input, ['tvanh.stttt', 'tvanh1.stttt'])).toBe('tvanh2.stttt@bacninh.gov.vn');
    expect(addressOf('bac-ninh', input, ['tvanh.stttt', 'tvanh1.stttt', 'tvanh2.stttt'])).toBe(
      'tvanh3.stttt@bacninh.gov.vn',
    );
  });
});

describe('Khánh Hòa, QĐ 1480/QĐ-UBND (003)', () => {
  const camLam = unit('Ủy ban nhân dân huyện Cam Lâm', 'district');

  it('Điều 3 khoản 2 điểm a (L46): Sở Thông tin và Truyền thông is stttt@khanhhoa.gov.vn', () => {
    expect(
      addressOf('khanh-hoa', { kind: 'unit', unit: unit('Sở Thông tin và Truyền thông', 'department') }),
    ).toBe('stttt@khanhhoa.gov.vn');
  });

  it('Điều 3 khoản 2 điểm a (L47): Ủy ban nhân dân huyện Cam Lâm is cl@khanhhoa.gov.vn (abbreviation, not full name)', () => {
    expect(addressOf('khanh-hoa', { kind: 'unit', unit: camLam })).toBe('cl@khanhhoa.gov.vn');
  });

  it('Điều 3 khoản 2 điểm b (L49): Phòng Văn hóa và Thông tin of UBND huyện Cam Lâm is pvhtt_cl@khanhhoa.gov.vn', () => {
    const input: NamingInput = {
      kind: 'unit',
      unit: unit('Phòng Văn hóa và Thông tin', 'department', { abbreviation: 'pvhtt' }),
      parent: camLam,
    };
    expect(addressOf('khanh-hoa', input)).toBe('pvhtt_cl@khanhhoa.gov.vn');
  });

  it('Điều 3 khoản 3 điểm a (L56): Ông Lê Đức Phương is ldphuong@khanhhoa.gov.vn, with no agency part', () => {
    const input: NamingInput = { kind: 'personal', person: person('Lê', 'Đức', 'Phương'), agency: 'stttt' };
    expect(addressOf('khanh-hoa', input)).toBe('ldphuong@khanhhoa.gov.vn');
    expect(addressOf('khanh-hoa', { kind: 'personal', person: person('Lê', 'Đức', 'Phương') })).toBe(
      'ldphuong@khanhhoa.gov.vn',
    );
  });

  it('Điều 3 khoản 3 điểm b: when ldphuong is taken, then the IT centre and the agency decide; numbered names are proposed', () => {
    const input: NamingInput = { kind: 'personal', person: person('Lê', 'Đức', 'Phương') };
    const choice = chooseAddress(getPolicy('khanh-hoa'), input, (local) => local === 'ldphuong');
    expect(choice).toEqual({
      outcome: 'operator',
      decision: 'operator',
      candidates: ['ldphuong1', 'ldphuong2', 'ldphuong3'],
    });
  });

  it('Phụ lục Mẫu 02 row 1 (L258–L266): Nguyễn Văn Nguyên, holder of legacy nvnguyen_ttr, converts to nvnguyen', () => {
    const input: NamingInput = { kind: 'personal', person: person('Nguyễn', 'Văn', 'Nguyên') };
    expect(addressOf('khanh-hoa', input, ['nvnguyen_ttr'])).toBe('nvnguyen@khanhhoa.gov.vn');
  });

  it('Phụ lục Mẫu 02 row 2 (L268–L274): Trần Cao Nguyên is tcnguyen', () => {
    expect(addressOf('khanh-hoa', { kind: 'personal', person: person('Trần', 'Cao', 'Nguyên') })).toBe(
      'tcnguyen@khanhhoa.gov.vn',
    );
  });

  it('Phụ lục Mẫu 02 row 3 (L276–L280): Phạm Du Lịch, holder of legacy pdlich_ttr, converts to pdlich', () => {
    const input: NamingInput = { kind: 'personal', person: person('Phạm', 'Du', 'Lịch') };
    expect(addressOf('khanh-hoa', input, ['pdlich_ttr'])).toBe('pdlich@khanhhoa.gov.vn');
  });
});

describe('Kiên Giang, QĐ 2639/QĐ-UBND (004)', () => {
  it('Điều 4 khoản 1 (L96): Sở Thông tin và Truyền thông Kiên Giang is sttt@kiengiang.gov.vn (the chosen abbreviation wins)', () => {
    const input: NamingInput = {
      kind: 'unit',
      unit: unit('Sở Thông tin và Truyền thông Kiên Giang', 'department', { abbreviation: 'sttt' }),
    };
    expect(addressOf('kien-giang', input)).toBe('sttt@kiengiang.gov.vn');
  });

  it('Điều 4 khoản 1 (L100): Sở Nội vụ is snv@kiengiang.gov.vn', () => {
    expect(addressOf('kien-giang', { kind: 'unit', unit: unit('Sở Nội vụ', 'department') })).toBe(
      'snv@kiengiang.gov.vn',
    );
  });

  it('Điều 4 khoản 1 (L102): Sở Ngoại vụ is sngv@kiengiang.gov.vn, chosen or proposed when snv is taken', () => {
    const chosen: NamingInput = {
      kind: 'unit',
      unit: unit('Sở Ngoại vụ', 'department', { abbreviation: 'sngv' }),
    };
    expect(addressOf('kien-giang', chosen, ['snv'])).toBe('sngv@kiengiang.gov.vn');
    const clashing: NamingInput = { kind: 'unit', unit: unit('Sở Ngoại vụ', 'department') };
    const choice = chooseAddress(getPolicy('kien-giang'), clashing, (local) => local === 'snv');
    expect(choice.outcome === 'operator' && choice.candidates[0]).toBe('sngv');
  });

  it('Điều 4 khoản 2 (L110): Ông Trần Văn Nam at Sở TTTT is tvnam.sttt@kiengiang.gov.vn', () => {
    const input: NamingInput = { kind: 'personal', person: person('Trần', 'Văn', 'Nam'), agency: 'sttt' };
    expect(addressOf('kien-giang', input)).toBe('tvnam.sttt@kiengiang.gov.vn');
  });

  it('Điều 4 khoản 2 (L114): one more Trần Văn Nam gets tvnam1.sttt@kiengiang.gov.vn', () => {
    const input: NamingInput = { kind: 'personal', person: person('Trần', 'Văn', 'Nam'), agency: 'sttt' };
    expect(addressOf('kien-giang', input, ['tvnam.sttt'])).toBe('tvnam1.sttt@kiengiang.gov.vn');
  });

  it('Điều 4 khoản 2 (L112): within one request, the Trần Văn Nam of higher rank keeps the plain form', () => {
    const staff = [
      person('Trần', 'Văn', 'Nam', 3),
      person('Trần', 'Văn', 'Nam', 1),
      person('Trần', 'Văn', 'Nam'),
    ];
    const inputs: NamingInput[] = staff.map((p) => ({ kind: 'personal', person: p, agency: 'sttt' }));
    const locals = chooseAddresses(getPolicy('kien-giang'), inputs).map(
      (c) => c.outcome === 'assigned' && c.local,
    );
    expect(locals).toEqual(['tvnam1.sttt', 'tvnam.sttt', 'tvnam2.sttt']);
  });

  it("Điều 4 khoản 2: an existing holder of tvnam.sttt is never renamed, whatever the newcomer's rank", () => {
    const inputs: NamingInput[] = [
      { kind: 'personal', person: person('Trần', 'Văn', 'Nam', 1), agency: 'sttt' },
    ];
    const [choice] = chooseAddresses(getPolicy('kien-giang'), inputs, (local) => local === 'tvnam.sttt');
    expect(choice).toMatchObject({ outcome: 'assigned', local: 'tvnam1.sttt' });
  });

  it("Điều 5 khoản 1 (L126): the Trung tâm CNTT&TT's request box is ttcntttt@kiengiang.gov.vn", () => {
    const input: NamingInput = {
      kind: 'unit',
      unit: unit('Trung tâm Công nghệ thông tin và Truyền thông', 'department'),
    };
    expect(addressOf('kien-giang', input)).toBe('ttcntttt@kiengiang.gov.vn');
  });
});
