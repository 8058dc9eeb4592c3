import { getPolicy } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import { parseAgenciesCsv, parseMailboxesFile } from './import-files.ts';
import { type ImportContext, planImport } from './plan-import.ts';

const SSHA512 =
  '{SSHA512}XgCLgbIosbVCzN6UMVnTSqMG+fN6aGjdyN9hUDpGnVgZyK1iJghk4lA6Z/trXooQ8P/x9vIAUiCXg/Hmp9gDo7G3a3Q=';
const MAILBOX_HEADER =
  'address,type,agency_abbreviation,family_name,middle_name,given_name,position,department,state,quota_mb,password_hash,aliases';
const AGENCIES = [
  'abbreviation,name,parent_abbreviation,unit_code,unit_type',
  'stttt,Sở Thông tin và Truyền thông,,H15.01,department',
  'ttcntttt,Trung tâm Công nghệ thông tin và Truyền thông,stttt,,subunit',
].join('\n');

function buildContext(overrides: Partial<ImportContext> = {}): ImportContext {
  return {
    policy: getPolicy('bac-ninh'),
    domains: ['bacninh.gov.vn', 'bacgiang.gov.vn'],
    agencies: [],
    imported: { agencies: new Map(), mailboxes: new Map() },
    taken: new Set(),
    ...overrides,
  };
}

function plan(mailboxLines: string[], options: { agencies?: string; context?: Partial<ImportContext> } = {}) {
  return planImport(
    {
      agencies: parseAgenciesCsv(options.agencies ?? AGENCIES),
      mailboxes: parseMailboxesFile([MAILBOX_HEADER, ...mailboxLines].join('\n')),
    },
    buildContext(options.context),
  );
}

const anh = `tvanh.stttt@bacninh.gov.vn,personal,stttt,Trần,Văn,Anh,Chuyên viên,,active,,${SSHA512},`;

describe('planImport', () => {
  it('when the files are clean, then every agency and mailbox is planned with no conflict', () => {
    const p = plan([
      anh,
      `stttt@bacninh.gov.vn,agency,stttt,,,,,,active,2048,${SSHA512},vanthu.stttt@bacninh.gov.vn`,
    ]);
    expect(p.conflicts).toEqual([]);
    expect(p.counts).toMatchObject({ agencies: 2, mailboxes: 2, legacy: 0 });
    const official = p.mailboxes.find((m) => m.type === 'agency');
    expect(official).toMatchObject({
      quotaBytes: 2048 * 1024 * 1024,
      aliases: [{ address: 'vanthu.stttt@bacninh.gov.vn' }],
    });
  });

  it('when a parent is listed after its unit, then parents still come first', () => {
    const agencies = [
      'abbreviation,name,parent_abbreviation,unit_code,unit_type',
      'ttcntttt,Trung tâm,stttt,,subunit',
      'stttt,Sở TTTT,,,department',
    ].join('\n');
    expect(plan([], { agencies }).agencies.map((a) => a.abbreviation)).toEqual(['stttt', 'ttcntttt']);
  });

  it('when an address does not follow the rule, then it is kept and flagged legacy', () => {
    const p = plan([`anh.tran@bacninh.gov.vn,personal,stttt,Trần,Văn,Anh,,,active,,${SSHA512},`, anh]);
    expect(p.conflicts).toEqual([]);
    expect(p.mailboxes.map((m) => [m.address, m.legacy])).toEqual([
      ['anh.tran@bacninh.gov.vn', true],
      ['tvanh.stttt@bacninh.gov.vn', false],
    ]);
  });

  it('when a numbered namesake follows the rule, then it is not legacy', () => {
    const p = plan([anh, `tvanh1.stttt@bacninh.gov.vn,personal,stttt,Trần,Văn,Anh,Phó Giám đốc,,active,,,`]);
    expect(p.mailboxes.map((m) => m.legacy)).toEqual([false, false]);
    expect(p.counts.withoutPassword).toBe(1);
  });

  it('when an address is on an alias domain, then it is kept and legacy', () => {
    const p = plan([anh.replace('bacninh.gov.vn', 'bacgiang.gov.vn')]);
    expect(p.conflicts).toEqual([]);
    expect(p.mailboxes[0]?.legacy).toBe(true);
  });

  it('when a person at a sub-unit has the sub-unit mailbox as agency part, then it follows the rule', () => {
    const p = plan([
      `ttcntttt.stttt@bacninh.gov.vn,agency,ttcntttt,,,,,,active,,${SSHA512},`,
      `nvbinh.ttcntttt.stttt@bacninh.gov.vn,personal,ttcntttt,Nguyễn,Văn,Bình,,,active,,${SSHA512},`,
    ]);
    expect(p.conflicts).toEqual([]);
    expect(p.mailboxes.map((m) => m.legacy)).toEqual([false, false]);
  });

  it('when the same address appears twice (also across the province domains), then the later line is a conflict', () => {
    const p = plan([
      anh,
      anh.replace('Chuyên viên', 'Phó'),
      anh.replace('bacninh.gov.vn', 'bacgiang.gov.vn').replace('Chuyên viên', 'X'),
    ]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({
        file: 'mailboxes',
        line: 3,
        field: 'address',
        message: expect.stringContaining('line 2'),
      }),
      expect.objectContaining({ file: 'mailboxes', line: 4, field: 'address' }),
    ]);
  });

  it('when an alias repeats a mailbox address, then the alias is the conflict', () => {
    const p = plan([anh, `stttt@bacninh.gov.vn,agency,stttt,,,,,,active,,,tvanh.stttt@bacninh.gov.vn`]);
    expect(p.conflicts).toEqual([expect.objectContaining({ line: 3, field: 'aliases' })]);
  });

  it('when an address is taken in the directory by something not imported, then it is a conflict', () => {
    const p = plan([anh], { context: { taken: new Set(['tvanh.stttt']) } });
    expect(p.conflicts).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'address',
        message: expect.stringContaining('already taken'),
      }),
    ]);
  });

  it('when an earlier import created the rows, then they are planned as done and are no conflict', () => {
    const p = plan([anh], {
      context: {
        taken: new Set(['tvanh.stttt', 'stttt', 'ttcntttt']),
        agencies: [
          {
            id: 'a1',
            abbreviation: 'stttt',
            name: 'Sở TTTT',
            unitType: 'department',
            parentId: null,
            officialLocalPart: null,
          },
          {
            id: 'a2',
            abbreviation: 'ttcntttt',
            name: 'TT',
            unitType: 'subunit',
            parentId: 'a1',
            officialLocalPart: null,
          },
        ],
        imported: {
          agencies: new Map([
            ['stttt', 'a1'],
            ['ttcntttt', 'a2'],
          ]),
          mailboxes: new Map([['tvanh.stttt@bacninh.gov.vn', 'm1']]),
        },
      },
    });
    expect(p.conflicts).toEqual([]);
    expect(p.counts.done).toBe(3);
    expect(p.mailboxes.every((m) => m.done) && p.agencies.every((a) => a.done)).toBe(true);
  });

  it('when an agency is unknown, then the mailbox row names agency_abbreviation', () => {
    const p = plan([anh.replace(',stttt,', ',sxyz,')]);
    expect(p.conflicts).toEqual([expect.objectContaining({ line: 2, field: 'agency_abbreviation' })]);
  });

  it('when a parent is unknown, then the agency row names parent_abbreviation, and its mailboxes their agency', () => {
    const agencies = `${AGENCIES}\nphong,Phòng X,khong-co,,subunit`;
    const p = plan([`vanthu.phong@bacninh.gov.vn,agency,phong,,,,,,active,,${SSHA512},`], { agencies });
    expect(p.conflicts).toEqual([
      expect.objectContaining({ file: 'agencies', line: 4, field: 'parent_abbreviation' }),
      expect.objectContaining({ file: 'mailboxes', line: 2, field: 'agency_abbreviation' }),
    ]);
  });

  it('when parents loop, then the loop is a conflict', () => {
    const agencies = [
      'abbreviation,name,parent_abbreviation,unit_code,unit_type',
      'a,A,b,,subunit',
      'b,B,a,,subunit',
    ].join('\n');
    expect(
      plan([], { agencies }).conflicts.some(
        (c) => c.field === 'parent_abbreviation' && /loops/.test(c.message),
      ),
    ).toBe(true);
  });

  it('when an abbreviation is used twice, then the second row names the first', () => {
    const p = plan([], { agencies: `${AGENCIES}\nSTTTT,Sở khác,,,department` });
    expect(p.conflicts).toEqual([
      expect.objectContaining({
        file: 'agencies',
        line: 4,
        field: 'abbreviation',
        message: expect.stringContaining('line 2'),
      }),
    ]);
  });

  it('when an abbreviation belongs to an agency already in the directory, then it is a conflict', () => {
    const p = plan([], {
      context: {
        agencies: [
          {
            id: 'x',
            abbreviation: 'stttt',
            name: 'Sở',
            unitType: 'department',
            parentId: null,
            officialLocalPart: null,
          },
        ],
      },
    });
    expect(p.conflicts).toEqual([
      expect.objectContaining({ file: 'agencies', line: 2, field: 'abbreviation' }),
    ]);
  });

  it('when a hash is malformed, then password_hash is named', () => {
    const p = plan([anh.replace(SSHA512, '{SHA512-CRYPT}$6$abc')]);
    expect(p.conflicts).toEqual([expect.objectContaining({ line: 2, field: 'password_hash' })]);
  });

  it('when a name cannot make an address, then the name field is named', () => {
    const p = plan([`x.stttt@bacninh.gov.vn,personal,stttt,Trần,Văn,,,,active,,${SSHA512},`]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'given_name',
        message: expect.stringContaining('invalid name'),
      }),
    ]);
  });

  it('when the same person has a second personal mailbox, then the second is a conflict', () => {
    const p = plan([anh, anh.replace('tvanh.stttt', 'anhtv.stttt')]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('already has a personal mailbox on line 2'),
      }),
    ]);
  });

  it('when an agency has two agency mailboxes, then the second is a conflict', () => {
    const p = plan([
      `stttt@bacninh.gov.vn,agency,stttt,,,,,,active,,,`,
      `vanthu@bacninh.gov.vn,agency,stttt,,,,,,active,,,`,
    ]);
    expect(p.conflicts).toEqual([expect.objectContaining({ line: 3, field: 'type' })]);
  });

  it('when a domain is not the province’s, then the address is a conflict', () => {
    const p = plan([anh.replace('bacninh.gov.vn', 'gmail.com')]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({
        line: 2,
        field: 'address',
        message: expect.stringContaining('not the province'),
      }),
    ]);
  });

  it.each([
    ['NUL', 'Tr\u0000ần', 'NUL'],
    ['lone surrogate (read as U+FFFD)', 'Tr\uD800ần', 'UTF-8'],
    ['byte that is not UTF-8', 'Tr\uFFFDần', 'UTF-8'],
    ['control character', 'Tr\u0007ần', 'control'],
  ])('when a name holds a %s, then it is refused before PostgreSQL sees it', (_what, family, word) => {
    const p = plan([anh.replace('Trần', family)]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({ line: 2, field: 'family_name', message: expect.stringContaining(word) }),
    ]);
  });

  it('when a quoted field spans lines, then later rows keep the line an editor shows', () => {
    const p = plan([
      `tvanh.stttt@bacninh.gov.vn,personal,stttt,Trần,Văn,Anh,"Chuyên viên,\nphòng A",,active,,${SSHA512},`,
      anh.replace('tvanh', 'bad address'),
    ]);
    expect(p.conflicts).toEqual([expect.objectContaining({ line: 4, field: 'address' })]);
    expect(p.mailboxes[0]?.person?.position).toBe('Chuyên viên, phòng A');
  });

  it('when the file has a BOM, CRLF, columns in another order and extra columns, then it is read', () => {
    const text =
      '\uFEFFnote,aliases,password_hash,quota_mb,state,department,position,given_name,middle_name,family_name,agency_abbreviation,type,address\r\n' +
      `x,,${SSHA512},,active,,,Anh,Văn,Trần,stttt,personal,tvanh.stttt@bacninh.gov.vn\r\n`;
    const p = planImport(
      { agencies: parseAgenciesCsv(AGENCIES), mailboxes: parseMailboxesFile(text) },
      buildContext(),
    );
    expect(p.conflicts).toEqual([]);
    expect(p.mailboxes[0]).toMatchObject({
      address: 'tvanh.stttt@bacninh.gov.vn',
      person: { familyName: 'Trần', givenName: 'Anh' },
    });
  });

  it('when a column is missing, then the header line names it', () => {
    const p = planImport(
      {
        agencies: parseAgenciesCsv('abbreviation,name\nstttt,Sở'),
        mailboxes: parseMailboxesFile(MAILBOX_HEADER),
      },
      buildContext(),
    );
    expect(p.conflicts.map((c) => [c.file, c.line, c.field])).toEqual([
      ['agencies', 1, 'parent_abbreviation'],
      ['agencies', 1, 'unit_code'],
      ['agencies', 1, 'unit_type'],
    ]);
  });

  it('when a state, type or quota is wrong, then each field is named', () => {
    const p = plan([
      anh.replace('active', 'closed').replace(',personal,', ',person,').replace(',active,,', ',active,-5,'),
    ]);
    expect(p.conflicts.map((c) => c.field).sort()).toEqual(['state', 'type']);
    const q = plan([anh.replace(',active,,', ',active,-5,')]);
    expect(q.conflicts.map((c) => c.field)).toEqual(['quota_mb']);
  });
});

describe('Zimbra exports for the mailboxes', () => {
  const zmprov = [
    '# name tvanh.stttt@bacninh.gov.vn',
    'cn: Trần Văn Anh',
    'givenName: Văn Anh',
    'sn: Trần',
    'title: Chuyên viên',
    `userPassword: ${SSHA512}`,
    'zimbraAccountStatus: locked',
    'zimbraMailAlias: anh.tran@bacninh.gov.vn',
    'zimbraMailDeliveryAddress: tvanh.stttt@bacninh.gov.vn',
    'zimbraMailQuota: 1073741824',
    '',
    '# name stttt@bacninh.gov.vn',
    'cn: Sở TTTT',
    'zimbraAccountStatus: active',
    `userPassword: {SSHA512}broken`,
    'zimbraMailDeliveryAddress: stttt@bacninh.gov.vn',
    '',
  ].join('\n');

  it('when zmprov -l gaa -v output is given, then accounts map onto mailbox rows with their lines', () => {
    const file = parseMailboxesFile(zmprov);
    expect(file.format).toBe('zmprov');
    const p = planImport({ agencies: parseAgenciesCsv(AGENCIES), mailboxes: file }, buildContext());
    expect(p.mailboxes).toEqual([
      expect.objectContaining({
        address: 'tvanh.stttt@bacninh.gov.vn',
        type: 'personal',
        state: 'locked',
        quotaBytes: 1024 * 1024 * 1024,
        person: expect.objectContaining({
          familyName: 'Trần',
          middleName: 'Văn',
          givenName: 'Anh',
          position: 'Chuyên viên',
        }),
        aliases: [expect.objectContaining({ address: 'anh.tran@bacninh.gov.vn' })],
        legacy: false,
      }),
    ]);
    expect(p.conflicts).toEqual([
      expect.objectContaining({ file: 'mailboxes', line: 15, field: 'password_hash' }),
    ]);
  });

  it('when LDIF is given (folded lines, base64 values), then it reads the same accounts', () => {
    const ldif = [
      'version: 1',
      '',
      'dn: uid=tvanh.stttt,ou=people,dc=bacninh,dc=gov,dc=vn',
      'objectClass: zimbraAccount',
      `sn:: ${Buffer.from('Trần').toString('base64')}`,
      `givenName:: ${Buffer.from('Văn Anh').toString('base64')}`,
      'mail: tvanh.stttt@bacninh.gov.v',
      ' n',
      `userPassword: ${SSHA512.slice(0, 40)}`,
      ` ${SSHA512.slice(40)}`,
      '',
    ].join('\n');
    const file = parseMailboxesFile(ldif);
    expect(file.format).toBe('ldif');
    const p = planImport({ agencies: parseAgenciesCsv(AGENCIES), mailboxes: file }, buildContext());
    expect(p.conflicts).toEqual([]);
    expect(p.mailboxes[0]).toMatchObject({
      address: 'tvanh.stttt@bacninh.gov.vn',
      passwordHash: SSHA512,
      person: { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' },
      line: 3,
    });
  });
});
