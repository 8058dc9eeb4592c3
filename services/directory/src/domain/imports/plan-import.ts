// The plan of an import: what the files would create and every reason they cannot, each named by
// file, line and field, before anything is written. Pure: the directory's current state comes in
// as data (its agencies, the addresses already taken, what earlier runs of an import created), so a
// second run of the same files plans nothing new and the rules are tested without a database.
//
// Existing addresses are kept as they are; one that is not among the first candidates of the
// province's rule for its holder is `legacy` (convertible later with the usual conversion).
import {
  foldPersonName,
  foldToAscii,
  generateCandidates,
  isNamingError,
  isValidLocalPart,
  MB,
  type NamingInput,
  type ProvincePolicy,
  UNIT_TYPES,
  type UnitDescription,
  type UnitType,
} from '@hopthu/naming';
import { checkText } from '@hopthu/shared/text-guard';
import type {
  AgencyField,
  ImportConflict,
  ImportFileName,
  ImportRow,
  MailboxField,
  ParsedFile,
} from './import-files.ts';
import { findPasswordHashProblem } from './password-hash-format.ts';

export interface ExistingAgency {
  id: string;
  abbreviation: string;
  name: string;
  unitType: string;
  parentId: string | null;
  /** The local part of its live agency mailbox, if any. */
  officialLocalPart: string | null;
}

export interface ImportContext {
  policy: ProvincePolicy;
  /** The province's domains: the primary (the rule's addresses) first, then its alias domains. */
  domains: readonly string[];
  /** The province's agencies in the directory now. */
  agencies: readonly ExistingAgency[];
  /** Agencies and mailboxes an earlier run of an import created, by key (abbreviation / address). */
  imported: { agencies: ReadonlyMap<string, string>; mailboxes: ReadonlyMap<string, string> };
  /**
   * Local parts taken in the province's domains by anything an import did not create (mailboxes,
   * aliases, operator and group reservations, retired addresses within their hold).
   */
  taken: ReadonlySet<string>;
}

export interface PlannedAgency {
  line: number;
  abbreviation: string;
  name: string;
  parentAbbreviation: string | null;
  unitCode: string | null;
  unitType: UnitType;
  /** Created by an earlier run: nothing to do. */
  done: boolean;
}

export interface PlannedPerson {
  familyName: string;
  middleName: string;
  givenName: string;
  position: string | null;
  department: string | null;
}

export interface PlannedAddress {
  address: string;
  localPart: string;
  domain: string;
}

export interface PlannedMailbox extends PlannedAddress {
  line: number;
  type: 'personal' | 'agency';
  agencyAbbreviation: string;
  person: PlannedPerson | null;
  state: 'active' | 'suspended' | 'locked';
  quotaBytes: number;
  /** null: none given, a new one is issued. */
  passwordHash: string | null;
  aliases: PlannedAddress[];
  legacy: boolean;
  done: boolean;
}

export interface ImportPlan {
  agencies: PlannedAgency[];
  mailboxes: PlannedMailbox[];
  conflicts: ImportConflict[];
  counts: { agencies: number; mailboxes: number; legacy: number; done: number; withoutPassword: number };
}

const ABBREVIATION = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** How far down the rule's candidates an address may be and still follow the rule. */
const RULE_CANDIDATES = 50;
const MAX_TEXT = 255;

export function planImport(
  files: { agencies: ParsedFile<AgencyField>; mailboxes: ParsedFile<MailboxField> },
  context: ImportContext,
): ImportPlan {
  const conflicts: ImportConflict[] = [...files.agencies.conflicts, ...files.mailboxes.conflicts];
  const agencies = planAgencies(files.agencies.rows, context, conflicts);
  const mailboxes = planMailboxes(files.mailboxes.rows, agencies, context, conflicts);
  conflicts.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.field.localeCompare(b.field));
  return {
    agencies,
    mailboxes,
    conflicts,
    counts: {
      agencies: agencies.length,
      mailboxes: mailboxes.length,
      legacy: mailboxes.filter((m) => m.legacy).length,
      done: agencies.filter((a) => a.done).length + mailboxes.filter((m) => m.done).length,
      withoutPassword: mailboxes.filter((m) => m.passwordHash === null).length,
    },
  };
}

type Push = (file: ImportFileName, line: number, field: string, vi: string, en: string) => void;

function pusher(conflicts: ImportConflict[]): Push {
  return (file, line, field, vi, en) => conflicts.push({ file, line, field, message: `${vi} / ${en}` });
}

function lineOf<F extends string>(row: ImportRow<F>, field: F): number {
  return row.fieldLines?.[field] ?? row.line;
}

/** Checks free text (or a name) for what PostgreSQL or the mail server cannot take. */
function textOk<F extends string>(
  push: Push,
  file: ImportFileName,
  row: ImportRow<F>,
  field: F,
  options: { name?: boolean } = {},
): boolean {
  const value = row.values[field];
  if (value.includes('\uFFFD')) {
    push(
      file,
      lineOf(row, field),
      field,
      'Có byte không phải UTF-8 (hiện thành �): lưu tệp ở dạng UTF-8',
      'holds bytes that are not UTF-8 (shown as �): save the file as UTF-8',
    );
    return false;
  }
  const problem = checkText(value, { name: options.name ?? false });
  if (problem) {
    push(file, lineOf(row, field), field, problem.message.vi, problem.message.en);
    return false;
  }
  if (value.length > MAX_TEXT) {
    push(file, lineOf(row, field), field, `Dài quá ${MAX_TEXT} ký tự`, `longer than ${MAX_TEXT} characters`);
    return false;
  }
  return true;
}

function planAgencies(
  rows: readonly ImportRow<AgencyField>[],
  context: ImportContext,
  conflicts: ImportConflict[],
): PlannedAgency[] {
  const push = pusher(conflicts);
  const existing = new Map(context.agencies.map((a) => [a.abbreviation, a]));
  const seen = new Map<string, number>();
  const valid: PlannedAgency[] = [];
  for (const row of rows) {
    const v = row.values;
    let ok = true;
    for (const field of ['abbreviation', 'parent_abbreviation', 'unit_code', 'unit_type'] as const) {
      ok = textOk(push, 'agencies', row, field) && ok;
    }
    ok = textOk(push, 'agencies', row, 'name', { name: true }) && ok;
    const abbreviation = foldToAscii(v.abbreviation).trim().toLowerCase();
    if (!ABBREVIATION.test(abbreviation) || abbreviation.length > 32) {
      push(
        'agencies',
        row.line,
        'abbreviation',
        'Tên viết tắt chỉ gồm chữ, số và dấu gạch ngang (tối đa 32 ký tự)',
        'the abbreviation is letters, digits and hyphens (at most 32)',
      );
      ok = false;
    } else if (seen.has(abbreviation)) {
      push(
        'agencies',
        row.line,
        'abbreviation',
        `Tên viết tắt "${abbreviation}" đã dùng ở dòng ${seen.get(abbreviation)}`,
        `abbreviation "${abbreviation}" is already used on line ${seen.get(abbreviation)}`,
      );
      ok = false;
    } else {
      seen.set(abbreviation, row.line);
      if (existing.has(abbreviation) && !context.imported.agencies.has(abbreviation)) {
        push(
          'agencies',
          row.line,
          'abbreviation',
          `Tên viết tắt "${abbreviation}" đã thuộc một cơ quan trong Danh bạ`,
          `abbreviation "${abbreviation}" already belongs to an agency in the directory`,
        );
        ok = false;
      }
    }
    const name = v.name.normalize('NFC').trim();
    if (name === '') {
      push('agencies', row.line, 'name', 'Thiếu tên cơ quan', 'the agency has no name');
      ok = false;
    }
    if (!UNIT_TYPES.includes(v.unit_type as UnitType)) {
      push(
        'agencies',
        row.line,
        'unit_type',
        `Loại đơn vị phải là một trong: ${UNIT_TYPES.join(', ')}`,
        `unit_type must be one of: ${UNIT_TYPES.join(', ')}`,
      );
      ok = false;
    }
    if (!ok) continue;
    const parent = foldToAscii(v.parent_abbreviation).trim().toLowerCase();
    valid.push({
      line: row.line,
      abbreviation,
      name,
      parentAbbreviation: parent === '' ? null : parent,
      unitCode: v.unit_code === '' ? null : v.unit_code,
      unitType: v.unit_type as UnitType,
      done: context.imported.agencies.has(abbreviation),
    });
  }
  // parents: in the file or in the directory, and no cycle; parents come first in the result
  const inFile = new Map(valid.map((a) => [a.abbreviation, a]));
  const ordered: PlannedAgency[] = [];
  const state = new Map<string, 'visiting' | 'placed' | 'refused'>();
  const place = (agency: PlannedAgency): boolean => {
    const s = state.get(agency.abbreviation);
    if (s === 'placed') return true;
    if (s === 'refused') return false;
    if (s === 'visiting') {
      push(
        'agencies',
        agency.line,
        'parent_abbreviation',
        'Cơ quan cấp trên tạo thành vòng lặp',
        'the parent chain loops back to this agency',
      );
      state.set(agency.abbreviation, 'refused');
      return false;
    }
    state.set(agency.abbreviation, 'visiting');
    let ok = true;
    if (agency.parentAbbreviation !== null) {
      const parent = inFile.get(agency.parentAbbreviation);
      if (parent) ok = place(parent);
      else if (!existing.has(agency.parentAbbreviation)) {
        push(
          'agencies',
          agency.line,
          'parent_abbreviation',
          `Không có cơ quan cấp trên "${agency.parentAbbreviation}" trong tệp hay Danh bạ`,
          `unknown parent "${agency.parentAbbreviation}": not in the file nor in the directory`,
        );
        ok = false;
      }
      if (!ok && parent && state.get(agency.abbreviation) === 'visiting') {
        push(
          'agencies',
          agency.line,
          'parent_abbreviation',
          `Cơ quan cấp trên "${agency.parentAbbreviation}" có lỗi`,
          `parent "${agency.parentAbbreviation}" cannot be imported`,
        );
      }
    }
    if (state.get(agency.abbreviation) === 'refused') return false;
    state.set(agency.abbreviation, ok ? 'placed' : 'refused');
    if (ok) ordered.push(agency);
    return ok;
  };
  for (const agency of valid) place(agency);
  return ordered;
}

function planMailboxes(
  rows: readonly ImportRow<MailboxField>[],
  agencies: readonly PlannedAgency[],
  context: ImportContext,
  conflicts: ImportConflict[],
): PlannedMailbox[] {
  const push = pusher(conflicts);
  const { policy } = context;
  const domains = new Set(context.domains);
  const primary = context.domains[0] ?? policy.domain;
  const fileAgencies = new Map(agencies.map((a) => [a.abbreviation, a]));
  const dbAgencies = new Map(context.agencies.map((a) => [a.abbreviation, a]));
  const dbById = new Map(context.agencies.map((a) => [a.id, a]));
  // a local part is one address across all the province's domains (x@alias is x@primary)
  const usedAt = new Map<string, number>();
  const personAt = new Map<string, number>();
  const agencyMailboxAt = new Map<string, number>();
  const planned: PlannedMailbox[] = [];

  const takenHere = (local: string, address: string): boolean =>
    context.taken.has(local) && !context.imported.mailboxes.has(address);

  const checkAddress = (
    row: ImportRow<MailboxField>,
    field: 'address' | 'aliases',
    raw: string,
  ): PlannedAddress | null => {
    const address = raw.trim().toLowerCase();
    const at = address.lastIndexOf('@');
    const localPart = at > 0 ? address.slice(0, at) : '';
    const domain = at > 0 ? address.slice(at + 1) : '';
    if (!localPart || !domain || !isValidLocalPart(localPart)) {
      push(
        'mailboxes',
        lineOf(row, field),
        field,
        `"${raw}" không phải địa chỉ thư hợp lệ`,
        `"${raw}" is not a valid mail address`,
      );
      return null;
    }
    if (!domains.has(domain)) {
      push(
        'mailboxes',
        lineOf(row, field),
        field,
        `Tên miền "${domain}" không thuộc tỉnh (${context.domains.join(', ')})`,
        `domain "${domain}" is not the province's (${context.domains.join(', ')})`,
      );
      return null;
    }
    const first = usedAt.get(localPart);
    if (first !== undefined) {
      push(
        'mailboxes',
        lineOf(row, field),
        field,
        `Địa chỉ "${address}" trùng với dòng ${first}`,
        `duplicate address "${address}": already on line ${first}`,
      );
      return null;
    }
    usedAt.set(localPart, row.line);
    if (takenHere(localPart, address)) {
      push(
        'mailboxes',
        lineOf(row, field),
        field,
        `Địa chỉ "${address}" đã có trong Danh bạ`,
        `address "${address}" is already taken in the directory`,
      );
      return null;
    }
    return { address, localPart, domain };
  };

  for (const row of rows) {
    const v = row.values;
    let ok = true;
    for (const field of [
      'address',
      'type',
      'agency_abbreviation',
      'state',
      'quota_mb',
      'password_hash',
      'aliases',
      'position',
      'department',
    ] as const) {
      ok = textOk(push, 'mailboxes', row, field) && ok;
    }
    for (const field of ['family_name', 'middle_name', 'given_name'] as const) {
      ok = textOk(push, 'mailboxes', row, field, { name: true }) && ok;
    }
    if (!ok) continue;
    const address = checkAddress(row, 'address', v.address);
    const aliases: PlannedAddress[] = [];
    for (const alias of v.aliases.split(/\s+/).filter(Boolean)) {
      const checked = checkAddress(row, 'aliases', alias);
      if (checked) aliases.push(checked);
      else ok = false;
    }
    if (!address) ok = false;
    const type = v.type.trim().toLowerCase();
    if (type !== 'personal' && type !== 'agency') {
      push(
        'mailboxes',
        lineOf(row, 'type'),
        'type',
        'Loại phải là agency hoặc personal',
        'type must be agency or personal',
      );
      ok = false;
    }
    const state = (v.state.trim().toLowerCase() || 'active') as PlannedMailbox['state'];
    if (!['active', 'suspended', 'locked'].includes(state)) {
      push(
        'mailboxes',
        lineOf(row, 'state'),
        'state',
        'Trạng thái phải là active, suspended hoặc locked',
        'state must be active, suspended or locked',
      );
      ok = false;
    }
    let quotaBytes = type === 'agency' ? policy.agencyQuotaBytes : policy.personalQuotaBytes;
    if (v.quota_mb.trim() !== '') {
      const mb = Number(v.quota_mb.trim());
      if (!/^\d{1,7}$/.test(v.quota_mb.trim()) || !Number.isSafeInteger(mb)) {
        push(
          'mailboxes',
          lineOf(row, 'quota_mb'),
          'quota_mb',
          'Dung lượng (MB) phải là số nguyên không âm',
          'quota_mb must be a whole number of megabytes',
        );
        ok = false;
      } else quotaBytes = mb * MB;
    }
    const hash = v.password_hash.trim();
    if (hash !== '') {
      const problem = findPasswordHashProblem(hash);
      if (problem) {
        push('mailboxes', lineOf(row, 'password_hash'), 'password_hash', problem.vi, problem.en);
        ok = false;
      }
    }
    const abbreviation = foldToAscii(v.agency_abbreviation).trim().toLowerCase();
    const fileAgency = fileAgencies.get(abbreviation);
    const dbAgency = dbAgencies.get(abbreviation);
    if (!fileAgency && !dbAgency) {
      push(
        'mailboxes',
        lineOf(row, 'agency_abbreviation'),
        'agency_abbreviation',
        `Không có cơ quan "${v.agency_abbreviation}" trong tệp cơ quan hay Danh bạ`,
        `unknown agency "${v.agency_abbreviation}": not in the agencies file nor in the directory`,
      );
      ok = false;
    }
    let person: PlannedPerson | null = null;
    if (type === 'personal') {
      person = {
        familyName: v.family_name.normalize('NFC').trim(),
        middleName: v.middle_name.normalize('NFC').trim(),
        givenName: v.given_name.normalize('NFC').trim(),
        position: oneLine(v.position) || null,
        department: oneLine(v.department) || null,
      };
      try {
        foldPersonName(person);
      } catch (error) {
        if (!isNamingError(error)) throw error;
        const where = error.field ?? '';
        const field = /givenName/.test(where)
          ? 'given_name'
          : /middleName/.test(where)
            ? 'middle_name'
            : 'family_name';
        push(
          'mailboxes',
          lineOf(row, field),
          field,
          `Tên không hợp lệ: ${error.messages.vi}`,
          `invalid name: ${error.messages.en}`,
        );
        ok = false;
      }
      // the directory's "same person": same agency, folded name, position and department
      const key = foldToAscii(
        `${abbreviation}|${person.familyName} ${person.middleName} ${person.givenName}|${person.position ?? ''}|${person.department ?? ''}`,
      ).toLowerCase();
      const first = personAt.get(key);
      if (ok && first !== undefined && !policy.severalPersonalMailboxes) {
        push(
          'mailboxes',
          row.line,
          'given_name',
          `Người này đã có hộp thư cá nhân ở dòng ${first} (cùng tên, cơ quan, chức vụ, phòng)`,
          `this person already has a personal mailbox on line ${first} (same name, agency, position and department)`,
        );
        ok = false;
      } else if (first === undefined) personAt.set(key, row.line);
    } else if (type === 'agency') {
      const first = agencyMailboxAt.get(abbreviation);
      const dbOfficial = dbAgency?.officialLocalPart ?? null;
      if (first !== undefined) {
        push(
          'mailboxes',
          lineOf(row, 'type'),
          'type',
          `Cơ quan "${abbreviation}" đã có hộp thư cơ quan ở dòng ${first}`,
          `agency "${abbreviation}" already has its agency mailbox on line ${first}`,
        );
        ok = false;
      } else if (dbOfficial !== null && address && !context.imported.mailboxes.has(address.address)) {
        push(
          'mailboxes',
          lineOf(row, 'type'),
          'type',
          `Cơ quan "${abbreviation}" đã có hộp thư cơ quan ${dbOfficial}@ trong Danh bạ`,
          `agency "${abbreviation}" already has its agency mailbox ${dbOfficial}@ in the directory`,
        );
        ok = false;
      } else agencyMailboxAt.set(abbreviation, row.line);
    }
    if (!ok || !address) continue;
    planned.push({
      ...address,
      line: row.line,
      type: type as 'personal' | 'agency',
      agencyAbbreviation: abbreviation,
      person,
      state,
      quotaBytes,
      passwordHash: hash === '' ? null : hash,
      aliases,
      legacy: false,
      done: context.imported.mailboxes.has(address.address),
    });
  }

  // legacy: judged once every agency mailbox is known (a person's agency part is its local part)
  const officialLocal = new Map<string, string>();
  for (const a of context.agencies)
    if (a.officialLocalPart) officialLocal.set(a.abbreviation, a.officialLocalPart);
  for (const m of planned) if (m.type === 'agency') officialLocal.set(m.agencyAbbreviation, m.localPart);
  const lineage = (abbreviation: string): UnitDescription | null => {
    const seen = new Set<string>();
    const describe = (abbr: string | null): UnitDescription | null => {
      if (abbr === null || seen.has(abbr)) return null;
      seen.add(abbr);
      const f = fileAgencies.get(abbr);
      if (f)
        return {
          name: f.name,
          type: f.unitType,
          abbreviation: f.abbreviation,
          parent: describe(f.parentAbbreviation),
        };
      const d = dbAgencies.get(abbr);
      if (!d) return null;
      const parent = d.parentId ? (dbById.get(d.parentId)?.abbreviation ?? null) : null;
      return {
        name: d.name,
        type: d.unitType as UnitType,
        abbreviation: d.abbreviation,
        parent: describe(parent),
      };
    };
    return describe(abbreviation);
  };
  for (const m of planned) {
    let input: NamingInput | null = null;
    if (m.type === 'personal' && m.person) {
      input = {
        kind: 'personal',
        person: m.person,
        agency: officialLocal.get(m.agencyAbbreviation) ?? m.agencyAbbreviation,
      };
    } else {
      const unit = lineage(m.agencyAbbreviation);
      if (unit) input = { kind: 'unit', unit, parent: unit.parent };
    }
    m.legacy = m.domain !== primary || input === null || !followsRule(policy, input, m.localPart);
  }
  return planned;
}

/** Free text on one line: a position typed over two lines in a spreadsheet cell is one position. */
function oneLine(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

function followsRule(policy: ProvincePolicy, input: NamingInput, local: string): boolean {
  try {
    let n = 0;
    for (const candidate of generateCandidates(policy, input)) {
      if (candidate === local) return true;
      if (++n >= RULE_CANDIDATES) return false;
    }
  } catch (error) {
    if (!isNamingError(error)) throw error;
  }
  return false;
}
