// Reads the files of an import into rows, each with the line a text editor shows for it (the
// header is line 1; a quoted field with line breaks counts every one of them): the agencies CSV,
// and the mailboxes as CSV, as Zimbra's `zmprov -l gaa -v` output or as LDIF (what most provinces
// can export). Pure: text in, rows and the problems of the files' shape out; the planner judges
// the rows.
import { parse } from 'csv-parse/sync';

export const AGENCY_COLUMNS = [
  'abbreviation',
  'name',
  'parent_abbreviation',
  'unit_code',
  'unit_type',
] as const;
export const MAILBOX_COLUMNS = [
  'address',
  'type',
  'agency_abbreviation',
  'family_name',
  'middle_name',
  'given_name',
  'position',
  'department',
  'state',
  'quota_mb',
  'password_hash',
  'aliases',
] as const;

export type AgencyField = (typeof AGENCY_COLUMNS)[number];
export type MailboxField = (typeof MAILBOX_COLUMNS)[number];

export type ImportFileName = 'agencies' | 'mailboxes';

export interface ImportConflict {
  file: ImportFileName;
  line: number;
  field: string;
  message: string;
}

export interface ImportRow<F extends string> {
  /** The line the row starts on. */
  line: number;
  values: Record<F, string>;
  /** Where a field is on another line than the row's start (LDIF and zmprov: one line per attribute). */
  fieldLines?: Partial<Record<F, number>>;
}

export interface ParsedFile<F extends string> {
  rows: ImportRow<F>[];
  conflicts: ImportConflict[];
}

export type MailboxesFormat = 'csv' | 'zmprov' | 'ldif';

/** The agencies file (CSV only). */
export function parseAgenciesCsv(text: string): ParsedFile<AgencyField> {
  return parseCsv(text, 'agencies', AGENCY_COLUMNS);
}

/** The mailboxes file in the format given, or the one its content shows. */
export function parseMailboxesFile(
  text: string,
  format: MailboxesFormat | 'auto' = 'auto',
): ParsedFile<MailboxField> & { format: MailboxesFormat } {
  const chosen = format === 'auto' ? detectMailboxesFormat(text) : format;
  if (chosen === 'csv') return { ...parseCsv(text, 'mailboxes', MAILBOX_COLUMNS), format: chosen };
  return { ...parseZimbraAccounts(text, chosen), format: chosen };
}

/** zmprov starts each account with `# name <address>`; LDIF with `dn:` (after comments, `version:`). */
export function detectMailboxesFormat(text: string): MailboxesFormat {
  for (const raw of stripBom(text).split(/\r\n|\n|\r/)) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^# name \S+@\S+/.test(line)) return 'zmprov';
    if (line.startsWith('#')) continue;
    if (/^(dn|version)::?\s/i.test(line)) return 'ldif';
    return 'csv';
  }
  return 'csv';
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Counts line breaks as an editor does: CRLF, LF and a lone CR each end one line. */
function normaliseLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function parseCsv<F extends string>(
  text: string,
  file: ImportFileName,
  columns: readonly F[],
): ParsedFile<F> {
  const body = normaliseLineBreaks(stripBom(text));
  let header: string[] = [];
  let records: { record: Record<string, string>; info: { lines: number }; raw: string }[];
  try {
    records = parse(body, {
      columns: (names: string[]) => {
        header = names.map((n) => n.trim().toLowerCase());
        return header;
      },
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
  } catch (error) {
    const e = error as { lines?: number; message?: string };
    return {
      rows: [],
      conflicts: [
        {
          file,
          line: typeof e.lines === 'number' && e.lines > 0 ? e.lines : 1,
          field: '',
          message: `Tệp CSV không đọc được / the CSV file cannot be read: ${e.message ?? String(error)}`,
        },
      ],
    };
  }
  const missing = columns.filter((c) => !header.includes(c));
  if (header.length === 0) {
    return {
      rows: [],
      conflicts: [
        { file, line: 1, field: '', message: 'Tệp trống, thiếu dòng tiêu đề / empty file, no header row' },
      ],
    };
  }
  if (missing.length > 0) {
    return {
      rows: [],
      conflicts: missing.map((field) => ({
        file,
        line: 1,
        field,
        message: `Thiếu cột "${field}" ở dòng tiêu đề / the header has no "${field}" column`,
      })),
    };
  }
  const rows = records.map(({ record, info, raw }) => {
    // the record ends on info.lines; it starts as many lines up as it has line breaks inside
    let inside = 0;
    const end = raw.endsWith('\n') ? raw.length - 1 : raw.length;
    let start = 0;
    while (start < end && raw.charCodeAt(start) === 10) start++;
    for (let i = raw.indexOf('\n', start); i !== -1 && i < end; i = raw.indexOf('\n', i + 1)) inside++;
    const line = info.lines - inside;
    const values = {} as Record<F, string>;
    for (const column of columns) values[column] = (record[column] ?? '').trim();
    return { line, values };
  });
  return { rows, conflicts: [] };
}

interface Attribute {
  name: string;
  value: string;
  line: number;
}

/**
 * Zimbra accounts (`zmprov -l gaa -v`: `# name <address>` then `attr: value` lines; or LDIF: `dn:`
 * then `attr: value`, `attr:: base64`, continuation lines starting with a space) mapped onto the
 * mailbox columns: address = `zimbraMailDeliveryAddress` or `mail` (else the `# name` / `uid`),
 * family name = `sn`, middle and given name = `givenName` split at its last word (Vietnamese
 * order), position = `title`, department = `ou`, agency = `company`, else the last dot-separated
 * part of the local part (`tvanh.stttt` → `stttt`), state from `zimbraAccountStatus` (active;
 * locked, lockout → locked; anything else → suspended), quota from `zimbraMailQuota` (bytes),
 * password = `userPassword`, aliases = every `zimbraMailAlias`. An account whose whole local part is
 * its agency's abbreviation (`stttt@`) is that agency's own mailbox.
 */
function parseZimbraAccounts(text: string, format: 'zmprov' | 'ldif'): ParsedFile<MailboxField> {
  const lines = normaliseLineBreaks(stripBom(text)).split('\n');
  const rows: ImportRow<MailboxField>[] = [];
  const conflicts: ImportConflict[] = [];
  let current: { line: number; name: string | null; attributes: Attribute[] } | null = null;
  const finish = () => {
    if (current && current.attributes.length > 0)
      rows.push(zimbraRow(current.line, current.name, current.attributes));
    current = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNo = i + 1;
    if (format === 'ldif' && raw.startsWith(' ') && current) {
      const last = (current as { attributes: Attribute[] }).attributes.at(-1);
      if (last) last.value += raw.slice(1);
      continue;
    }
    if (raw.trim() === '') {
      finish();
      continue;
    }
    const name = /^# name (\S+)/.exec(raw);
    if (name) {
      finish();
      current = { line: lineNo, name: name[1] ?? null, attributes: [] };
      continue;
    }
    if (raw.startsWith('#')) continue;
    const attr = /^([A-Za-z][\w;-]*)(::?)\s?(.*)$/.exec(raw);
    if (!attr) {
      conflicts.push({
        file: 'mailboxes',
        line: lineNo,
        field: '',
        message: 'Dòng không phải "thuộc tính: giá trị" / not an "attribute: value" line',
      });
      continue;
    }
    const [, key = '', colons, value = ''] = attr;
    if (format === 'ldif' && /^version$/i.test(key) && !current) continue;
    if (format === 'ldif' && /^dn$/i.test(key)) {
      finish();
      current = { line: lineNo, name: null, attributes: [] };
    }
    if (!current) current = { line: lineNo, name: null, attributes: [] };
    (current as { attributes: Attribute[] }).attributes.push({
      name: key.toLowerCase(),
      value: colons === '::' ? Buffer.from(value.trim(), 'base64').toString('utf8') : value,
      line: lineNo,
    });
  }
  finish();
  return { rows, conflicts };
}

function zimbraRow(line: number, name: string | null, attributes: Attribute[]): ImportRow<MailboxField> {
  const first = (key: string) => attributes.find((a) => a.name === key);
  const all = (key: string) => attributes.filter((a) => a.name === key);
  const addressAttr = first('zimbramaildeliveryaddress') ?? first('mail');
  const address = (addressAttr?.value ?? name ?? first('uid')?.value ?? '').trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  const given = (first('givenname')?.value ?? '').trim().split(/\s+/).filter(Boolean);
  const status = (first('zimbraaccountstatus')?.value ?? 'active').trim().toLowerCase();
  const quota = first('zimbramailquota')?.value.trim() ?? '';
  const quotaMb = /^\d+$/.test(quota) && quota !== '0' ? String(Math.ceil(Number(quota) / 1048576)) : '';
  const company = first('company')?.value.trim();
  const dot = local.lastIndexOf('.');
  const agency = company ? company.toLowerCase() : dot >= 0 ? local.slice(dot + 1) : local;
  const values: Record<MailboxField, string> = {
    address,
    type: local === agency ? 'agency' : 'personal',
    agency_abbreviation: agency,
    family_name: (first('sn')?.value ?? '').trim(),
    middle_name: given.slice(0, -1).join(' '),
    given_name: given.at(-1) ?? '',
    position: (first('title')?.value ?? '').trim(),
    department: (first('ou')?.value ?? '').trim(),
    state:
      status === 'active' ? 'active' : status === 'locked' || status === 'lockout' ? 'locked' : 'suspended',
    quota_mb: quotaMb,
    password_hash: (first('userpassword')?.value ?? '').trim(),
    aliases: all('zimbramailalias')
      .map((a) => a.value.trim())
      .join(' '),
  };
  const fieldLines: Partial<Record<MailboxField, number>> = {};
  const at = (field: MailboxField, attr: Attribute | undefined) => {
    if (attr) fieldLines[field] = attr.line;
  };
  at('address', addressAttr);
  at('family_name', first('sn'));
  at('middle_name', first('givenname'));
  at('given_name', first('givenname'));
  at('position', first('title'));
  at('department', first('ou'));
  at('state', first('zimbraaccountstatus'));
  at('quota_mb', first('zimbramailquota'));
  at('password_hash', first('userpassword'));
  at('aliases', first('zimbramailalias'));
  at('agency_abbreviation', first('company'));
  return { line, values, fieldLines };
}
