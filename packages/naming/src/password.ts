// The password a mailbox holder chooses, judged against the province's rule (policy.password,
// regulations §5) and the rules hopthu adds everywhere: not the address, not the holder's name
// (diacritics folded, any case), not the current password. Pure: the self-service page and API
// answer with every rule the candidate breaks, in Vietnamese and English.
import { foldToAscii } from './fold.ts';
import type { PasswordRule } from './policies/policy-types.ts';

export type PasswordViolationCode =
  | 'too_short'
  | 'too_long'
  | 'missing_upper'
  | 'missing_lower'
  | 'missing_letter'
  | 'missing_digit'
  | 'missing_special'
  | 'control_character'
  | 'contains_address'
  | 'contains_name'
  | 'same_as_current';

export interface PasswordViolation {
  code: PasswordViolationCode;
  /** The article the rule comes from, or `hopthu` for the rules hopthu adds. */
  article: string;
  vi: string;
  en: string;
}

export interface PasswordContext {
  /** The mailbox's address: neither it nor its local part (nor a part of it) may be in the password. */
  address: string;
  /** The holder's name as the directory shows it (`Nguyễn Văn An`); absent for an agency mailbox. */
  holderName?: string | undefined;
  /** The password being replaced; the new one must differ. */
  currentPassword?: string | undefined;
}

/** bcrypt (the hash the mail server stores) reads only the first 72 bytes of a password. */
export const MAX_PASSWORD_BYTES = 72;
/** Shorter name or address parts (An, Hà, tk) are too common to refuse inside a password. */
const MIN_FORBIDDEN_PART = 3;

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const CONTROL = /\p{Cc}/u;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/u;

/** Every rule `password` breaks, in a stable order; empty when it is acceptable. */
export function checkPassword(
  rule: PasswordRule,
  password: string,
  context: PasswordContext,
): PasswordViolation[] {
  const out: PasswordViolation[] = [];
  const add = (code: PasswordViolationCode, article: string, vi: string, en: string) =>
    out.push({ code, article, vi, en });
  const length = [...password].length;
  if (length < rule.minLength)
    add(
      'too_short',
      rule.article,
      `Mật khẩu phải có ít nhất ${rule.minLength} ký tự (hiện có ${length})`,
      `The password must have at least ${rule.minLength} characters (it has ${length})`,
    );
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES)
    add(
      'too_long',
      'hopthu',
      `Mật khẩu dài quá ${MAX_PASSWORD_BYTES} byte`,
      `The password is longer than ${MAX_PASSWORD_BYTES} bytes`,
    );
  if (rule.requireUpper && !UPPER.test(password))
    add(
      'missing_upper',
      rule.article,
      'Mật khẩu phải có chữ in hoa',
      'The password needs an upper-case letter',
    );
  if (rule.requireLower && !LOWER.test(password))
    add(
      'missing_lower',
      rule.article,
      'Mật khẩu phải có chữ thường',
      'The password needs a lower-case letter',
    );
  if (rule.requireLetter && !LETTER.test(password))
    add('missing_letter', rule.article, 'Mật khẩu phải có chữ cái', 'The password needs a letter');
  if (rule.requireDigit && !DIGIT.test(password))
    add('missing_digit', rule.article, 'Mật khẩu phải có chữ số', 'The password needs a digit');
  if (rule.requireSpecial && !hasSpecial(rule, password)) {
    const list = rule.specialCharacters ? [...rule.specialCharacters].join(' ') : null;
    add(
      'missing_special',
      rule.article,
      list
        ? `Mật khẩu phải có một ký tự đặc biệt trong: ${list}`
        : 'Mật khẩu phải có ký tự đặc biệt (ví dụ ! @ # $ %)',
      list
        ? `The password needs a special character, one of: ${list}`
        : 'The password needs a special character (e.g. ! @ # $ %)',
    );
  }
  if (CONTROL.test(password))
    add(
      'control_character',
      'hopthu',
      'Mật khẩu không được chứa ký tự điều khiển (xuống dòng, tab…)',
      'The password must not contain control characters (newline, tab…)',
    );
  const folded = squash(password);
  if (addressParts(context.address).some((part) => folded.includes(part)))
    add(
      'contains_address',
      'hopthu',
      'Mật khẩu không được chứa địa chỉ hộp thư',
      'The password must not contain the mailbox address',
    );
  if (nameParts(context.holderName).some((part) => folded.includes(part)))
    add(
      'contains_name',
      'hopthu',
      'Mật khẩu không được chứa tên của người dùng hộp thư',
      "The password must not contain the holder's name",
    );
  if (context.currentPassword !== undefined && context.currentPassword === password)
    add(
      'same_as_current',
      'hopthu',
      'Mật khẩu mới phải khác mật khẩu hiện tại',
      'The new password must differ from the current one',
    );
  return out;
}

function hasSpecial(rule: PasswordRule, password: string): boolean {
  if (rule.specialCharacters === null) return NOT_LETTER_OR_DIGIT.test(password);
  return [...password].some((c) => rule.specialCharacters?.includes(c));
}

/** Lowercase ASCII letters and digits only: `Nguyễn.Văn-An` → `nguyenvanan`. */
function squash(text: string): string {
  return foldToAscii(text).replace(/[^a-z0-9]/g, '');
}

/** The address, its local part and each dot/underscore/hyphen part of it long enough to matter. */
function addressParts(address: string): string[] {
  const local = address.split('@')[0] ?? '';
  const parts = [address, local, ...local.split(/[._-]/)].map(squash);
  return unique(parts.filter((p) => p.length >= MIN_FORBIDDEN_PART));
}

/**
 * The holder's whole name in either order (`nguyenvanan`, `annguyenvan`) and the given name (the
 * last word) when it is long enough; family and middle names alone (Nguyễn, Văn) are shared by
 * millions and are not refused.
 */
function nameParts(name: string | undefined): string[] {
  if (!name) return [];
  const words = foldToAscii(name.normalize('NFC'))
    .split(/\s+/)
    .map(squash)
    .filter((w) => w.length > 0);
  if (words.length === 0) return [];
  const given = words[words.length - 1] as string;
  const parts = [words.join(''), [given, ...words.slice(0, -1)].join(''), given];
  return unique(parts.filter((p) => p.length >= MIN_FORBIDDEN_PART));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
