// A generated province for ./hopthu import (tests and the bench): an agency tree (departments and
// their units, districts with their offices and communes), realistic Vietnamese names (family
// names in their real proportions, middle names by gender), addresses by the province's own rule
// (numbered namesakes) except a share of legacy ones, Zimbra-style {SSHA512} hashes, and a sample
// whose old passwords are known so logins can be tried. Deterministic for a seed; `tag` goes into
// every abbreviation and `isTaken` steers clear of what the directory already holds, so runs on
// the same stack do not collide.
//   node scripts/import-generate.ts --province bac-ninh --mailboxes 20000 --agencies 600 --out var/import
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  foldToAscii,
  generateCandidates,
  getPolicy,
  type NamingInput,
  type UnitDescription,
} from '@hopthu/naming';

export interface GeneratedProvince {
  agenciesCsv: string;
  mailboxesCsv: string;
  agencies: number;
  mailboxes: number;
  legacy: number;
  /** Mailboxes whose old password is known (and will work over IMAP after the import). */
  samples: { address: string; password: string }[];
}

export interface GenerateOptions {
  province: string;
  agencies: number;
  mailboxes: number;
  /** Share of personal addresses that do not follow the rule (0.05). */
  legacyShare?: number;
  /** Share of mailboxes whose password is known (0.01). */
  sampleShare?: number;
  seed?: number;
  /** Goes into every abbreviation: unique per run. */
  tag: string;
  /** Local parts already used in the province (the directory's), to avoid. */
  isTaken?: (local: string) => boolean;
}

const FAMILY: [string, number][] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 5],
  ['Huỳnh', 2],
  ['Phan', 4.5],
  ['Vũ', 3.9],
  ['Võ', 2],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.8],
  ['Trịnh', 0.6],
  ['Đào', 0.6],
  ['Lương', 0.4],
];
const MIDDLE_MALE = [
  'Văn',
  'Hữu',
  'Đức',
  'Minh',
  'Quang',
  'Thanh',
  'Xuân',
  'Công',
  'Mạnh',
  'Duy',
  'Tiến',
  'Ngọc',
];
const MIDDLE_FEMALE = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Hồng', 'Phương', 'Kim', 'Diệu'];
const GIVEN_MALE = [
  'Anh',
  'Bình',
  'Cường',
  'Dũng',
  'Đạt',
  'Hải',
  'Hùng',
  'Huy',
  'Khánh',
  'Long',
  'Nam',
  'Phong',
  'Quân',
  'Sơn',
  'Thắng',
  'Trung',
  'Tuấn',
  'Việt',
  'Vinh',
  'Hiếu',
  'Kiên',
  'Lâm',
  'Tùng',
  'Đông',
];
const GIVEN_FEMALE = [
  'Anh',
  'Chi',
  'Dung',
  'Giang',
  'Hà',
  'Hạnh',
  'Hiền',
  'Hoa',
  'Hương',
  'Lan',
  'Linh',
  'Loan',
  'Mai',
  'Nga',
  'Ngân',
  'Nhung',
  'Oanh',
  'Phương',
  'Quỳnh',
  'Tâm',
  'Thảo',
  'Thủy',
  'Trang',
  'Yến',
];
const POSITIONS: [string, number][] = [
  ['Chuyên viên', 60],
  ['Chuyên viên chính', 12],
  ['Trưởng phòng', 8],
  ['Phó Trưởng phòng', 10],
  ['Văn thư', 4],
  ['Phó Giám đốc', 3],
  ['Giám đốc', 1],
  ['Kế toán', 2],
];
const DEPARTMENTS: [string, string][] = [
  ['Sở Nội vụ', 'snv'],
  ['Sở Tài chính', 'stc'],
  ['Sở Tư pháp', 'stp'],
  ['Sở Công Thương', 'sct'],
  ['Sở Xây dựng', 'sxd'],
  ['Sở Y tế', 'syt'],
  ['Sở Giáo dục và Đào tạo', 'sgddt'],
  ['Sở Khoa học và Công nghệ', 'skhcn'],
  ['Sở Nông nghiệp và Môi trường', 'snnmt'],
  ['Sở Văn hóa, Thể thao và Du lịch', 'svhttdl'],
  ['Sở Dân tộc và Tôn giáo', 'sdttg'],
  ['Thanh tra tỉnh', 'ttt'],
  ['Văn phòng UBND tỉnh', 'vpubnd'],
  ['Ban Quản lý các khu công nghiệp', 'bqlkcn'],
  ['Sở Ngoại vụ', 'sngv'],
];
const UNITS = [
  'Văn phòng',
  'Phòng Tổ chức cán bộ',
  'Phòng Kế hoạch tài chính',
  'Phòng Pháp chế',
  'Trung tâm Dịch vụ',
  'Phòng Quản lý',
];
const PLACES = [
  'Yên Phong',
  'Quế Võ',
  'Tiên Du',
  'Thuận Thành',
  'Gia Bình',
  'Lương Tài',
  'Từ Sơn',
  'Việt Yên',
  'Hiệp Hòa',
  'Lạng Giang',
  'Lục Nam',
  'Yên Dũng',
  'Tân Yên',
  'Sơn Động',
  'Lục Ngạn',
];
const COMMUNES = [
  'Đông Phong',
  'Tam Giang',
  'Hòa Tiến',
  'Văn Môn',
  'Long Châu',
  'Dũng Liệt',
  'Thụy Hòa',
  'Đông Tiến',
  'Trung Nghĩa',
  'Tam Đa',
  'Yên Trung',
  'Phù Lãng',
  'Bằng An',
  'Phương Liễu',
  'Việt Hùng',
  'Nhân Hòa',
  'Đại Xuân',
  'Cách Bi',
  'Mộ Đạo',
  'Châu Phong',
  'Liên Bão',
  'Hoàn Sơn',
  'Tân Chi',
  'Lạc Vệ',
  'Minh Đạo',
  'Cảnh Hưng',
  'Phật Tích',
  'Nội Duệ',
  'Song Hồ',
  'Gia Đông',
];
const OFFICES = [
  'Phòng Nội vụ',
  'Phòng Tài chính Kế hoạch',
  'Phòng Tư pháp',
  'Phòng Kinh tế',
  'Phòng Văn hóa và Thông tin',
  'Phòng Giáo dục và Đào tạo',
  'Phòng Y tế',
  'Thanh tra huyện',
];

/** A small seeded generator (mulberry32): the same seed gives the same province. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T>(rnd: () => number, items: [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x <= 0) return item;
  }
  return (items.at(-1) as [T, number])[0];
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

/** Zimbra's userPassword: {SSHA512} base64(SHA-512(password + salt) + salt), an 8-byte salt. */
export function zimbraSsha512(password: string, salt: Buffer): string {
  const digest = createHash('sha512')
    .update(Buffer.concat([Buffer.from(password, 'utf8'), salt]))
    .digest();
  return `{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}`;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

interface Unit extends UnitDescription {
  abbreviation: string;
  parentAbbreviation: string | null;
  weight: number;
}

export function generateProvince(options: GenerateOptions): GeneratedProvince {
  const policy = getPolicy(options.province);
  const rnd = random(options.seed ?? 1);
  const tag = options.tag.toLowerCase().replace(/[^a-z0-9]/g, '');
  const used = new Set<string>();
  const taken = (local: string) =>
    used.has(local) || (options.isTaken?.(local) ?? false) || policy.reserved.includes(local);
  const firstFree = (input: NamingInput): string | null => {
    try {
      let n = 0;
      for (const local of generateCandidates(policy, input)) {
        if (!taken(local)) return local;
        if (++n > 500) return null;
      }
    } catch {
      return null;
    }
    return null;
  };

  // the tree: departments and their units; districts, their offices and communes
  const units: Unit[] = [];
  const add = (u: Unit) => units.push(u);
  const deptCount = Math.min(DEPARTMENTS.length, Math.max(1, Math.round(options.agencies * 0.025)));
  for (let d = 0; d < deptCount; d++) {
    const [name, abbr] = DEPARTMENTS[d] as [string, string];
    const dept: Unit = {
      name,
      type: 'department',
      abbreviation: `${abbr}${tag}`,
      parent: null,
      parentAbbreviation: null,
      weight: 20,
    };
    add(dept);
    for (let u = 0; u < 4 && units.length < options.agencies; u++) {
      add({
        name: `${UNITS[u % UNITS.length]} ${name.replace(/^Sở /, '')}`,
        type: 'subunit',
        abbreviation: `u${u}${abbr}${tag}`,
        parent: dept,
        parentAbbreviation: dept.abbreviation,
        weight: 6,
      });
    }
  }
  let p = 0;
  while (units.length < options.agencies) {
    const place = `${PLACES[p % PLACES.length]}${p >= PLACES.length ? ` ${Math.floor(p / PLACES.length) + 1}` : ''}`;
    const district: Unit = {
      name: `UBND huyện ${place}`,
      type: 'district',
      abbreviation: `h${p}${tag}`,
      parent: null,
      parentAbbreviation: null,
      weight: 12,
    };
    add(district);
    for (let o = 0; o < OFFICES.length && units.length < options.agencies; o++) {
      add({
        name: OFFICES[o] as string,
        type: 'department',
        abbreviation: `p${o}h${p}${tag}`,
        parent: district,
        parentAbbreviation: district.abbreviation,
        weight: 4,
      });
    }
    for (let c = 0; c < 30 && units.length < options.agencies; c++) {
      add({
        name: `UBND xã ${COMMUNES[(c + p * 7) % COMMUNES.length]}`,
        type: 'commune',
        abbreviation: `x${c}h${p}${tag}`,
        parent: district,
        parentAbbreviation: district.abbreviation,
        weight: 2,
      });
    }
    p++;
  }

  const agencyLines = ['abbreviation,name,parent_abbreviation,unit_code,unit_type'];
  for (const u of units) {
    agencyLines.push(
      [u.abbreviation, u.name, u.parentAbbreviation ?? '', '', u.type].map(csvField).join(','),
    );
  }

  const mailboxLines = [
    'address,type,agency_abbreviation,family_name,middle_name,given_name,position,department,state,quota_mb,password_hash,aliases',
  ];
  const samples: { address: string; password: string }[] = [];
  const sampleEvery = Math.max(1, Math.round(1 / (options.sampleShare ?? 0.01)));
  let legacy = 0;
  let count = 0;
  const passwordOf = (n: number): { hash: string; password: string | null } => {
    const salt = Buffer.alloc(8);
    salt.writeUInt32BE(Math.floor(rnd() * 2 ** 32));
    salt.writeUInt32BE(n, 4);
    const known = n % sampleEvery === 0;
    const password = known ? `Cu-${tag}-${n}-Mk!` : `x${Math.floor(rnd() * 2 ** 48).toString(36)}${n}`;
    return { hash: zimbraSsha512(password, salt), password: known ? password : null };
  };
  const officialLocal = new Map<string, string>();
  for (const u of units) {
    if (count >= options.mailboxes) break;
    const local = firstFree({ kind: 'unit', unit: u, parent: u.parent ?? null }) ?? `${u.abbreviation}`;
    used.add(local);
    officialLocal.set(u.abbreviation, local);
    const address = `${local}@${policy.domain}`;
    const pw = passwordOf(count);
    if (pw.password) samples.push({ address, password: pw.password });
    mailboxLines.push(
      [address, 'agency', u.abbreviation, '', '', '', '', '', 'active', '', pw.hash, '']
        .map(csvField)
        .join(','),
    );
    count++;
  }
  const weights: [Unit, number][] = units.map((u) => [u, u.weight]);
  const legacyEvery = Math.max(1, Math.round(1 / (options.legacyShare ?? 0.05)));
  let personal = 0;
  const people = new Set<string>();
  while (count < options.mailboxes) {
    const unit = weighted(rnd, weights);
    const female = rnd() < 0.5;
    const person = {
      familyName: weighted(rnd, FAMILY),
      middleName: pick(rnd, female ? MIDDLE_FEMALE : MIDDLE_MALE),
      givenName: pick(rnd, female ? GIVEN_FEMALE : GIVEN_MALE),
    };
    const position = weighted(rnd, POSITIONS);
    // one personal mailbox per person: the same name, unit and position is the same person
    const personKey = foldToAscii(
      `${unit.abbreviation}|${person.familyName} ${person.middleName} ${person.givenName}|${position}`,
    ).toLowerCase();
    if (people.has(personKey)) continue;
    people.add(personKey);
    const agencyPart = officialLocal.get(unit.abbreviation) ?? unit.abbreviation;
    personal++;
    let local: string | null;
    const isLegacy = personal % legacyEvery === 0;
    if (isLegacy) {
      // the old system's own habit: given name, then family and middle initials, then a number
      const base = `${firstFree({ kind: 'personal', person, agency: 'x' })?.replace(/\.x$/, '') ?? 'canbo'}`;
      local = null;
      for (let n = 0; n < 1000 && !local; n++) {
        const candidate = `${base.replace(/^([a-z]*?)([a-z]+)$/, '$2_$1')}${n === 0 ? '' : n}.${unit.abbreviation}`;
        if (!taken(candidate)) local = candidate;
      }
    } else local = firstFree({ kind: 'personal', person, agency: agencyPart });
    if (!local) continue;
    used.add(local);
    if (isLegacy) legacy++;
    const address = `${local}@${policy.domain}`;
    const pw = passwordOf(count);
    if (pw.password) samples.push({ address, password: pw.password });
    const state = rnd() < 0.01 ? 'suspended' : 'active';
    mailboxLines.push(
      [
        address,
        'personal',
        unit.abbreviation,
        person.familyName,
        person.middleName,
        person.givenName,
        // ~2% (and exactly the rows that hold one) carry a comma, as spreadsheets do
        count % 50 === 7 ? `${position}, kiêm nhiệm` : position,
        '',
        state,
        '',
        pw.hash,
        '',
      ]
        .map(csvField)
        .join(','),
    );
    count++;
  }
  return {
    agenciesCsv: `${agencyLines.join('\n')}\n`,
    mailboxesCsv: `${mailboxLines.join('\n')}\n`,
    agencies: units.length,
    mailboxes: count,
    legacy,
    samples,
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      province: { type: 'string', default: 'bac-ninh' },
      agencies: { type: 'string', default: '600' },
      mailboxes: { type: 'string', default: '20000' },
      tag: { type: 'string', default: `g${Date.now().toString(36)}` },
      seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'var/import' },
    },
  });
  const province = generateProvince({
    province: values.province as string,
    agencies: Number(values.agencies),
    mailboxes: Number(values.mailboxes),
    seed: Number(values.seed),
    tag: values.tag as string,
  });
  const out = values.out as string;
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'agencies.csv'), `\uFEFF${province.agenciesCsv}`);
  writeFileSync(path.join(out, 'mailboxes.csv'), `\uFEFF${province.mailboxesCsv}`);
  writeFileSync(path.join(out, 'samples.json'), JSON.stringify(province.samples, null, 2), { mode: 0o600 });
  process.stdout.write(
    `${JSON.stringify({ out, agencies: province.agencies, mailboxes: province.mailboxes, legacy: province.legacy, samples: province.samples.length })}\n`,
  );
}
