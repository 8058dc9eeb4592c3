// The one check of text that comes from outside (JSON bodies, forms, query strings, stored
// headers, import files, SCIM bodies) before it can reach PostgreSQL or the mail server.
// PostgreSQL refuses NUL in text and jsonb and a lone UTF-16 surrogate in jsonb (the outbox), so
// such input used to end as a 500 half-way through a use case; the mail server puts names into
// headers, where a line break or another control character is an injection. Pure: no framework,
// so importers and SCIM call it on their own values and get the same answers as HTTP routes.
import { AppError, type FieldError, type LocalizedText } from './errors.ts';

export type NfcPolicy = 'normalize' | 'refuse' | 'ignore';

export interface TextGuardOptions {
  /**
   * Whether the field at this path holds a name (a person's, an agency's, a display name): names
   * reach mail headers and the directory, so they take no control character at all (no tab or line
   * break either) and are stored in NFC. Default: the last key is `name` or ends in `Name`.
   */
  isName?: (path: readonly (string | number)[]) => boolean;
  /** Names that are not NFC: made NFC in place (the default), refused, or left alone. */
  nfc?: NfcPolicy;
}

/** A key that names something: `name`, `fullName`, `familyName`, `displayName`, `username`… */
export function isNameField(path: readonly (string | number)[]): boolean {
  const last = path[path.length - 1];
  return typeof last === 'string' && /(^|[a-z])(name|Name)$/.test(last);
}

const MESSAGES = {
  nul: {
    vi: 'Chứa ký tự NUL (U+0000), không thể lưu',
    en: 'contains a NUL character (U+0000), which cannot be stored',
  },
  surrogate: {
    vi: 'Chứa nửa cặp thay thế UTF-16 đơn lẻ (U+D800–U+DFFF), không phải văn bản Unicode hợp lệ',
    en: 'contains a lone UTF-16 surrogate (U+D800–U+DFFF), which is not valid Unicode text',
  },
  control: {
    vi: 'Chứa ký tự điều khiển không được phép',
    en: 'contains a control character that is not allowed',
  },
  nameControl: {
    vi: 'Tên không được chứa ký tự điều khiển, tab hay xuống dòng',
    en: 'a name may not contain control characters, tabs or line breaks',
  },
  nfc: {
    vi: 'Văn bản phải ở dạng Unicode NFC (dựng sẵn)',
    en: 'text must be in Unicode NFC (precomposed) form',
  },
} satisfies Record<string, LocalizedText>;

export type TextProblem = keyof typeof MESSAGES;

/**
 * What is wrong with one string, or null. `name`: the stricter rules for names. Not NFC is a
 * problem only when `nfc` is 'refuse'.
 */
export function checkText(
  text: string,
  options: { name?: boolean; nfc?: NfcPolicy } = {},
): { problem: TextProblem; message: LocalizedText } | null {
  let control = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return { problem: 'nul', message: MESSAGES.nul };
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return { problem: 'surrogate', message: MESSAGES.surrogate };
    }
    if (c >= 0xdc00 && c <= 0xdfff) return { problem: 'surrogate', message: MESSAGES.surrogate };
    // C0 (but tab, LF and CR in free text), DEL and C1; names also refuse tab, line breaks and the
    // Unicode line and paragraph separators.
    const isCc = c < 0x20 || (c >= 0x7f && c <= 0x9f);
    if (isCc && (options.name || (c !== 0x09 && c !== 0x0a && c !== 0x0d))) control = true;
    if (options.name && (c === 0x2028 || c === 0x2029)) control = true;
  }
  if (control) {
    return options.name
      ? { problem: 'control', message: MESSAGES.nameControl }
      : { problem: 'control', message: MESSAGES.control };
  }
  if (options.name && options.nfc === 'refuse' && text.normalize('NFC') !== text) {
    return { problem: 'nfc', message: MESSAGES.nfc };
  }
  return null;
}

const escapePointer = (segment: string | number) =>
  String(segment).replaceAll('~', '~0').replaceAll('/', '~1');

/** A JSON pointer (RFC 6901) to a path, e.g. `/items/0/person/givenName`. */
export function jsonPointer(path: readonly (string | number)[]): string {
  return path.map((s) => `/${escapePointer(s)}`).join('');
}

/** How deep a value is walked; deeper nesting is itself refused (no use case takes it). */
export const MAX_TEXT_DEPTH = 64;

/**
 * Every string and object key in `value` checked; the problems, each with the JSON pointer of its
 * field after `prefix` (e.g. `querystring:`). With `nfc: 'normalize'` (the default) names that are
 * not NFC are rewritten in place (objects and arrays are mutated), so stores see NFC text.
 */
export function findTextProblems(
  value: unknown,
  options: TextGuardOptions & { prefix?: string } = {},
): FieldError[] {
  const isName = options.isName ?? isNameField;
  const nfc = options.nfc ?? 'normalize';
  const prefix = options.prefix ?? '';
  const problems: FieldError[] = [];
  const path: (string | number)[] = [];
  const field = () => `${prefix}${jsonPointer(path)}`;

  const visit = (v: unknown, depth: number): unknown => {
    if (problems.length >= 20) return v;
    if (typeof v === 'string') {
      const name = isName(path);
      const found = checkText(v, { name, nfc });
      if (found) {
        problems.push({ field: field(), message: found.message });
        return v;
      }
      return name && nfc === 'normalize' ? v.normalize('NFC') : v;
    }
    // Bytes (a route that parses its own format) are that route's to decode and check.
    if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return v;
    if (depth >= MAX_TEXT_DEPTH) {
      problems.push({
        field: field(),
        message: { vi: 'Cấu trúc lồng nhau quá sâu', en: 'the value is nested too deeply' },
      });
      return v;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        v[i] = visit(v[i], depth + 1);
        path.pop();
      }
      return v;
    }
    const record = v as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      path.push(key);
      const keyProblem = checkText(key);
      if (keyProblem) problems.push({ field: field(), message: keyProblem.message });
      else {
        const next = visit(record[key], depth + 1);
        if (next !== record[key]) record[key] = next;
      }
      path.pop();
    }
    return v;
  };
  visit(value, 0);
  return problems;
}

/** The 400 for text problems: one answer naming every field, in Vietnamese and English. */
export function textProblemError(errors: FieldError[]): AppError {
  return new AppError(
    'validation_failed',
    {
      vi: 'Yêu cầu chứa văn bản không thể lưu (ký tự NUL, nửa cặp thay thế hoặc ký tự điều khiển)',
      en: 'The request contains text that cannot be stored (NUL, lone surrogate or control character)',
    },
    { errors },
  );
}

/** Throws the 400 when `value` holds text that cannot be stored (and normalizes names, see above). */
export function assertStorableText(value: unknown, options: TextGuardOptions & { prefix?: string } = {}) {
  const errors = findTextProblems(value, options);
  if (errors.length > 0) throw textProblemError(errors);
}
