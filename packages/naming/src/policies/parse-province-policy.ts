// A province policy file's content (already JSON-parsed) → the ProvincePolicy the rules read, or
// every problem with its JSON path and a message in Vietnamese and English. Pure: the loader
// (province-policy-files.ts) reads the file, `./hopthu policy check` and the services call this.
import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { ProvincePolicy } from './policy-types.ts';
import { DEFAULT_RESERVED_LOCAL_PARTS } from './reserved.ts';
import { ProvincePolicyFileSchema, type ProvincePolicyFile } from './province-policy-schema.ts';
import { GB, MB } from './sizes.ts';

/** One problem of a policy file: where (a JSON pointer, `/capacities/attachment`) and what. */
export interface PolicyProblem {
  path: string;
  vi: string;
  en: string;
}

export type ParsedProvincePolicy =
  | { ok: true; policy: ProvincePolicy }
  | { ok: false; problems: PolicyProblem[] };

/** Checks a policy file's content against the schema and the rules no province may break. */
export function parseProvincePolicy(json: unknown): ParsedProvincePolicy {
  const problems = schemaProblems(ProvincePolicyFileSchema, json, '');
  if (problems.length > 0) return { ok: false, problems };
  const file = json as ProvincePolicyFile;
  problems.push(...ruleProblems(file));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, policy: toPolicy(file) };
}

/** Problems as the CLI and a refusing service print them: one line per problem, both languages. */
export function formatProblems(problems: readonly PolicyProblem[]): string[] {
  return problems.map((p) => `${p.path || '/'}: ${p.vi} | ${p.en}`);
}

function schemaProblems(schema: TSchema, value: unknown, prefix: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    for (const problem of explain(error, prefix)) {
      const key = `${problem.path}\u0000${problem.en}`;
      if (!seen.has(key)) {
        seen.add(key);
        problems.push(problem);
      }
    }
  }
  // A missing field also fails its type check: say only that it is missing.
  const missing = new Set(problems.filter((p) => p.en === REQUIRED_EN).map((p) => p.path));
  return problems.filter((p) => p.en === REQUIRED_EN || !missing.has(p.path));
}

const REQUIRED_EN = 'required field is missing';

// A union (a choice of values, a nullable object, the three collision kinds) reports only "expected
// union value"; say which values are allowed, or descend into the variant the value meant to be.
function explainUnion(error: ValueError, prefix: string): PolicyProblem[] {
  const variants = (error.schema as { anyOf?: TSchema[] }).anyOf ?? [];
  const constants = variants.filter((v) => 'const' in v).map((v) => JSON.stringify(v.const));
  const value = error.value as Record<string, unknown> | null;
  const path = prefix + error.path;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const objects = variants.filter((v) => v.type === 'object');
    const kinds = objects.filter((v) => v.properties?.kind?.const !== undefined);
    const meant =
      kinds.find((v) => v.properties.kind.const === value.kind) ??
      (kinds.length === 0 ? objects[0] : undefined);
    if (meant) return schemaProblems(meant, value, path);
    if (kinds.length > 0) {
      const allowed = kinds.map((v) => JSON.stringify(v.properties.kind.const)).join(', ');
      return [
        {
          path: `${path}/kind`,
          vi: `phải là một trong ${allowed}`,
          en: `must be one of ${allowed}`,
        },
      ];
    }
  }
  const allowed = [...constants, ...variants.filter((v) => v.type === 'null').map(() => 'null')];
  if (variants.some((v) => v.type === 'object')) allowed.push('an object');
  const list = allowed.join(', ');
  return [
    {
      path,
      vi: `phải là một trong ${list.replace('an object', 'một đối tượng')}`,
      en: `must be one of ${list}`,
    },
  ];
}

function explain(error: ValueError, prefix: string): PolicyProblem[] {
  const path = prefix + error.path;
  const s = error.schema as Record<string, unknown>;
  const at = (vi: string, en: string): PolicyProblem[] => [{ path, vi, en }];
  switch (error.type) {
    case ValueErrorType.Union:
      return explainUnion(error, prefix);
    case ValueErrorType.ObjectRequiredProperty:
      return at('thiếu trường bắt buộc', REQUIRED_EN);
    case ValueErrorType.ObjectAdditionalProperties:
      return at('trường không có trong lược đồ (viết sai tên?)', 'unknown field (a misspelt name?)');
    case ValueErrorType.Object:
      return at('phải là một đối tượng JSON', 'must be a JSON object');
    case ValueErrorType.Array:
      return at('phải là một mảng', 'must be an array');
    case ValueErrorType.ArrayMaxItems:
      return at(`nhiều nhất ${s.maxItems} phần tử`, `at most ${s.maxItems} items`);
    case ValueErrorType.String:
      return at('phải là một chuỗi', 'must be a string');
    case ValueErrorType.StringMinLength:
      return at(
        s.minLength === 1 ? 'không được để trống' : `ít nhất ${s.minLength} ký tự`,
        s.minLength === 1 ? 'must not be empty' : `at least ${s.minLength} characters`,
      );
    case ValueErrorType.StringMaxLength:
      return at(`nhiều nhất ${s.maxLength} ký tự`, `at most ${s.maxLength} characters`);
    case ValueErrorType.StringPattern:
      return at(
        `"${String(error.value)}" không đúng dạng ${describePattern(String(s.pattern)).vi}`,
        `"${String(error.value)}" is not ${describePattern(String(s.pattern)).en}`,
      );
    case ValueErrorType.Boolean:
      return at('phải là true hoặc false', 'must be true or false');
    case ValueErrorType.Integer:
      return at('phải là số nguyên', 'must be an integer');
    case ValueErrorType.Number:
      return at('phải là một số', 'must be a number');
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return at(`phải từ ${s.minimum} trở lên`, `must be at least ${s.minimum}`);
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return at(`không được lớn hơn ${s.maximum}`, `must be at most ${s.maximum}`);
    case ValueErrorType.Literal:
      return at(`phải là ${JSON.stringify(s.const)}`, `must be ${JSON.stringify(s.const)}`);
    case ValueErrorType.Null:
      return at('phải là null', 'must be null');
    default:
      return at(`giá trị không hợp lệ (${error.message})`, error.message);
  }
}

function describePattern(pattern: string): { vi: string; en: string } {
  if (pattern.includes('(MB|GB)'))
    return { vi: 'dung lượng như "500MB", "10GB"', en: 'a size like "500MB" or "10GB"' };
  if (pattern.startsWith('^[a-z]+(?:-[a-z]+)*$'))
    return {
      vi: 'mã tỉnh chữ thường không dấu nối bằng "-" (bac-ninh)',
      en: 'a kebab-case ASCII id (bac-ninh)',
    };
  if (pattern.includes('@'))
    return { vi: 'địa chỉ thư (sttt@kiengiang.gov.vn)', en: 'a mail address (sttt@kiengiang.gov.vn)' };
  if (pattern.startsWith('^(?:[a-z0-9]'))
    return { vi: 'tên miền chữ thường (bacninh.gov.vn)', en: 'a lowercase domain name (bacninh.gov.vn)' };
  if (pattern.startsWith('^[a-z0-9](?:'))
    return {
      vi: 'phần trước @ chữ thường không dấu (admin, internal)',
      en: 'a lowercase ASCII local part (admin, internal)',
    };
  return { vi: 'chữ thường không dấu hoặc chữ số', en: 'lowercase ASCII letters or digits' };
}

// What the schema cannot say.
function ruleProblems(file: ProvincePolicyFile): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (file.name.normalize('NFC') !== file.name) {
    problems.push({
      path: '/name',
      vi: 'phải ở dạng Unicode dựng sẵn NFC (TCVN 6909:2001)',
      en: 'must be Unicode NFC (precomposed, TCVN 6909:2001)',
    });
  }
  const domains = new Set([file.domain]);
  file.aliasDomains.forEach((domain, i) => {
    if (domains.has(domain)) {
      problems.push({
        path: `/aliasDomains/${i}`,
        vi: `tên miền "${domain}" đã có (tên miền chính hoặc lặp lại)`,
        en: `domain "${domain}" is already given (the primary domain or a repeat)`,
      });
    }
    domains.add(domain);
  });
  // The safety valve (design §4) is not a setting: the requests service refuses the same at start.
  const agencyDelete = file.approval.rules.find(
    (r) =>
      (r.operation === 'delete' || r.operation === '*') &&
      (r.mailboxType === 'agency' || r.mailboxType === '*'),
  );
  if ((agencyDelete?.approval ?? file.approval.fallback) !== 'two_operators') {
    problems.push({
      path: '/approval/rules',
      vi: 'xóa hộp thư cơ quan phải cần hai cán bộ vận hành duyệt: bắt đầu bằng {"operation":"delete","mailboxType":"agency","approval":"two_operators"}',
      en: 'deleting an agency mailbox must need two operators: begin the rules with {"operation":"delete","mailboxType":"agency","approval":"two_operators"}',
    });
  }
  const password = file.password;
  const classes = [
    password.requireUpper,
    password.requireLower,
    password.requireDigit,
    password.requireSpecial,
  ].filter(Boolean).length;
  if (classes > password.minLength) {
    problems.push({
      path: '/password/minLength',
      vi: 'ngắn hơn số loại ký tự bắt buộc',
      en: 'shorter than the number of required character classes',
    });
  }
  if (password.specialCharacters !== null && /[\p{L}\p{N}\s]/u.test(password.specialCharacters)) {
    problems.push({
      path: '/password/specialCharacters',
      vi: 'ký tự đặc biệt không được là chữ, số hay khoảng trắng',
      en: 'special characters must not be letters, digits or spaces',
    });
  }
  return problems;
}

function bytes(size: string): number {
  const amount = Number.parseInt(size, 10);
  return size.endsWith('GB') ? amount * GB : amount * MB;
}

function toPolicy(file: ProvincePolicyFile): ProvincePolicy {
  const { naming, capacities } = file;
  const reserved = [...new Set([...DEFAULT_RESERVED_LOCAL_PARTS, ...naming.extraReserved])].sort();
  const strip = <T extends { note?: string }>(value: T): Omit<T, 'note'> => {
    const { note: _note, ...rest } = value;
    return rest;
  };
  const policy: ProvincePolicy = {
    id: file.id,
    name: file.name,
    domain: file.domain,
    aliasDomains: file.aliasDomains,
    domainArticle: file.domainArticle,
    instrument: file.instrument,
    separator: naming.separator,
    separatorArticle: naming.separatorArticle,
    personal: strip(naming.personal),
    units: strip(naming.units),
    collision: strip(naming.collision) as ProvincePolicy['collision'],
    groupAddresses: naming.groupAddresses === null ? null : strip(naming.groupAddresses),
    agencyQuotaBytes: bytes(capacities.agencyMailbox),
    personalQuotaBytes: bytes(capacities.personalMailbox),
    attachmentLimitBytes: bytes(capacities.attachment),
    capacity: { article: capacities.article, basis: capacities.basis },
    reserved,
    password: strip(file.password),
    sla: strip(file.sla),
    approval: strip(file.approval),
    resultCopy: file.resultCopy === null ? null : strip(file.resultCopy),
    retention: strip(file.retention),
  };
  if (naming.severalPersonalMailboxes !== null)
    policy.severalPersonalMailboxes = strip(naming.severalPersonalMailboxes);
  if (file.inactivity !== null) {
    const { reissue, counts, ...rule } = strip(file.inactivity);
    const withCounts = counts ? { ...rule, counts } : rule;
    policy.inactivity = reissue ? { ...withCounts, reissue: strip(reissue) } : withCounts;
  }
  if (file.filingDeadline) policy.filingDeadline = strip(file.filingDeadline);
  if (file.plannedDowntime) policy.plannedDowntime = strip(file.plannedDowntime);
  if (file.forwarding) policy.forwarding = strip(file.forwarding);
  if (file.agencyHandover) policy.agencyHandover = strip(file.agencyHandover);
  if (file.firstLoginChange !== null) policy.firstLoginChange = strip(file.firstLoginChange);
  if (file.defaultPasswordLock !== null) policy.defaultPasswordLock = strip(file.defaultPasswordLock);
  return policy;
}
