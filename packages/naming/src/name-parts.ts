// Turning the structured input (a person's family, middle and given names; a unit's name and
// abbreviation) into the folded pieces addresses are built from, with a NamingError naming the
// field whenever a piece cannot be made.
import { NamingError } from './errors.ts';
import { foldToAscii, isValidLocalPart, splitFoldedWords } from './fold.ts';
import type { UnitType } from './policies/policy-types.ts';

export interface PersonName {
  familyName: string;
  middleName?: string | null | undefined;
  givenName: string;
  /** Rank within a request, 1 the highest (Kiên Giang): higher-ranked people get the plain form first. */
  rank?: number | null | undefined;
}

export interface FoldedPersonName {
  /** One initial per word of the family name then of the middle name: Trần Văn → `tv`. */
  initials: string;
  /** The given name in full, words joined: Anh → `anh`, Sóc Kha → `sockha`. */
  given: string;
}

/** Folds a person's names; each part is taken as given and never split or reordered. */
export function foldPersonName(person: PersonName, field = 'person'): FoldedPersonName {
  const family = foldNameWords(person.familyName, `${field}.familyName`, true);
  const middle = foldNameWords(person.middleName ?? '', `${field}.middleName`, false);
  const given = foldNameWords(person.givenName, `${field}.givenName`, true);
  const initials = [...family, ...middle].map((word) => word[0]).join('');
  return { initials, given: given.join('') };
}

function foldNameWords(text: string, field: string, required: boolean): string[] {
  if (typeof text !== 'string') {
    throw new NamingError('invalid_name', field, {
      vi: `${field} phải là một chuỗi ký tự.`,
      en: `${field} must be a string.`,
    });
  }
  assertWellFormed(text, field);
  const folded = foldToAscii(text).trim();
  const stray = folded.replace(/[a-z\s-]/g, '');
  if (/[0-9]/.test(stray)) {
    throw new NamingError('invalid_name', field, {
      vi: `${field} "${text}" có chữ số; tên người không được chứa số (Bộ luật Dân sự, Điều 26).`,
      en: `${field} "${text}" contains a digit; a person's name cannot contain numbers (Civil Code art. 26).`,
    });
  }
  if (stray.length > 0) {
    const shown = [...new Set(stray)].join(' ');
    throw new NamingError('invalid_name', field, {
      vi: `${field} "${text}" có ký tự không chuyển được sang chữ cái Latinh không dấu: ${shown}`,
      en: `${field} "${text}" has characters that do not fold to ASCII letters: ${shown}`,
    });
  }
  const words = folded.split(/[\s-]+/).filter((word) => word.length > 0);
  if (required && words.length === 0) {
    throw new NamingError(text.trim() === '' ? 'missing_field' : 'invalid_name', field, {
      vi: `${field} không được để trống và phải có ít nhất một chữ cái.`,
      en: `${field} must not be empty and must contain at least one letter.`,
    });
  }
  return words;
}

function assertWellFormed(text: string, field: string): void {
  if (!text.isWellFormed()) {
    throw new NamingError('invalid_name', field, {
      vi: `${field} không phải văn bản Unicode hợp lệ (UTF-8 lỗi).`,
      en: `${field} is not valid Unicode text (broken UTF-8).`,
    });
  }
}

/**
 * A chosen abbreviation (`stttt`, `pvhtt`, `STTTT`): folded, lowercase letters, digits and inner
 * hyphens only. Dots and underscores are refused because they separate the levels of an address.
 */
export function foldAbbreviation(text: string, field: string): string {
  assertString(text, field);
  assertWellFormed(text, field);
  const folded = foldToAscii(text).trim();
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(folded)) {
    throw new NamingError('invalid_abbreviation', field, {
      vi: `${field} "${text}" không phải tên viết tắt hợp lệ: chỉ dùng chữ cái không dấu và chữ số, viết liền (ví dụ stttt).`,
      en: `${field} "${text}" is not a valid abbreviation: use unaccented letters and digits, no spaces (e.g. stttt).`,
    });
  }
  return folded;
}

/**
 * The part of a personal address that names the agency (`stttt`); may hold dots for a sub-unit
 * (`pnv.bn`) where the province's operators want that. Must be a valid local part on its own.
 */
export function foldAddressPart(text: string, field: string): string {
  assertString(text, field);
  assertWellFormed(text, field);
  const folded = foldToAscii(text).trim();
  if (!isValidLocalPart(folded)) {
    throw new NamingError('invalid_abbreviation', field, {
      vi: `${field} "${text}" phải là tên viết tắt dùng trong địa chỉ thư (ví dụ stttt), không dấu cách, không ký tự đặc biệt.`,
      en: `${field} "${text}" must be the abbreviation used in mail addresses (e.g. stttt): no spaces or special characters.`,
    });
  }
  return folded;
}

function assertString(text: unknown, field: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new NamingError('invalid_request', field, {
      vi: `${field} phải là một chuỗi ký tự.`,
      en: `${field} must be a string.`,
    });
  }
}

// Administrative words in front of a unit's proper name, matched on lowercase NFC text with its
// diacritics, so "Quan Hóa" (a district) is not mistaken for "quận". Longest first.
const PEOPLES_COMMITTEE = [['ủy', 'ban', 'nhân', 'dân'], ['uỷ', 'ban', 'nhân', 'dân'], ['ubnd']];
const TYPE_WORDS: Record<UnitType, string[][]> = {
  agency: [],
  department: [],
  subunit: [],
  district: [['huyện'], ['quận'], ['thị', 'xã'], ['thành', 'phố'], ['tp']],
  city: [['thành', 'phố'], ['tp'], ['thị', 'xã']],
  commune: [['xã'], ['thị', 'trấn']],
  ward: [['phường']],
};

/** The unit's proper name without "UBND" and its type word: "UBND huyện Yên Phong" → Yên Phong. */
export function properNameWords(name: string, type: UnitType): string[] {
  let words = name
    .normalize('NFC')
    .toLowerCase()
    .split(/[\s.]+/)
    .filter((w) => w.length > 0);
  words = dropPrefix(words, PEOPLES_COMMITTEE);
  words = dropPrefix(words, TYPE_WORDS[type]);
  return words;
}

/**
 * A unit's name without the province's own name at its end: "Sở Thông tin và Truyền thông Kiên
 * Giang" or "… tỉnh Kiên Giang" → "Sở Thông tin và Truyền thông". A name that is only the
 * province's is left alone.
 */
export function withoutProvinceName(name: string, provinceName: string): string {
  const words = name.normalize('NFC').trim().split(/\s+/);
  const fold = (w: string) => foldToAscii(w).replace(/[^a-z0-9]/g, '');
  const province = provinceName.normalize('NFC').trim().split(/\s+/).map(fold);
  const tail = words.slice(-province.length).map(fold);
  if (words.length <= province.length || tail.join(' ') !== province.join(' ')) return name;
  let kept = words.slice(0, -province.length);
  if (kept.length > 1 && fold(kept[kept.length - 1] as string) === 'tinh') kept = kept.slice(0, -1);
  return kept.join(' ');
}

function dropPrefix(words: string[], prefixes: string[][]): string[] {
  for (const prefix of prefixes) {
    if (words.length > prefix.length && prefix.every((word, i) => words[i] === word)) {
      return words.slice(prefix.length);
    }
  }
  return words;
}

/** A unit's folded full name: "UBND huyện Yên Phong" → `yenphong`, "Phường Kinh Bắc" → `kinhbac`. */
export function foldFullName(name: string, type: UnitType, field: string): string {
  assertString(name, field);
  assertWellFormed(name, field);
  const token = splitFoldedWords(foldToAscii(properNameWords(name, type).join(' '))).join('');
  if (token === '') throw unusableName(name, field);
  return token;
}

/**
 * An abbreviation derived from a unit's name when none is chosen: one letter per syllable, "và"
 * dropped, acronyms and numbers kept whole. "Sở Thông tin và Truyền thông" → `stttt`,
 * "UBND huyện Cam Lâm" → `cl`, "Trung tâm CNTT-TT" → `ttcnttt`.
 */
export function deriveAbbreviation(name: string, type: UnitType, field: string): string {
  return abbreviationWords(name, type, field)
    .map((word) => word.short)
    .join('');
}

/**
 * Alternative derived abbreviations when the derived one is taken: the same letters with one
 * syllable's initial consonant cluster written out (ng, nh, th…), left to right. This is how Kiên
 * Giang told Sở Ngoại vụ (`sngv`) from Sở Nội vụ (`snv`), Điều 4 khoản 1.
 */
export function deriveAbbreviationVariants(name: string, type: UnitType, field: string): string[] {
  const words = abbreviationWords(name, type, field);
  const variants: string[] = [];
  words.forEach((word, index) => {
    if (word.onset.length > word.short.length) {
      variants.push(words.map((w, i) => (i === index ? w.onset : w.short)).join(''));
    }
  });
  return variants;
}

const ONSET_CLUSTERS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr'];

function abbreviationWords(name: string, type: UnitType, field: string): { short: string; onset: string }[] {
  assertString(name, field);
  assertWellFormed(name, field);
  const nfc = name.normalize('NFC');
  const lowerWords = properNameWords(nfc, type);
  // Keep the original case of the same words to spot acronyms (CNTT); properNameWords only cuts a prefix.
  const originalWords = nfc.split(/[\s.]+/).filter((w) => w.length > 0);
  const kept = originalWords.slice(originalWords.length - lowerWords.length);
  const result: { short: string; onset: string }[] = [];
  for (const original of kept) {
    for (const piece of original.split(/[^\p{L}\p{N}'\u2019\u02BC]+/u)) {
      const folded = splitFoldedWords(foldToAscii(piece)).join('');
      if (folded === '' || piece.toLowerCase() === 'và') continue;
      const isAcronym = piece.length > 1 && piece === piece.toUpperCase() && /\p{L}/u.test(piece);
      if (isAcronym || /^[0-9]+$/.test(folded)) {
        result.push({ short: folded, onset: folded });
      } else {
        const onset = ONSET_CLUSTERS.find(
          (cluster) => folded.startsWith(cluster) && folded.length > cluster.length,
        );
        result.push({ short: folded.slice(0, 1), onset: onset ?? folded.slice(0, 1) });
      }
    }
  }
  if (result.length === 0) throw unusableName(name, field);
  return result;
}

function unusableName(name: string, field: string): NamingError {
  return new NamingError('invalid_name', field, {
    vi: `Không tạo được tên hộp thư từ ${field} "${name}": không còn chữ cái hay chữ số nào.`,
    en: `Cannot make a mailbox name from ${field} "${name}": no letters or digits are left.`,
  });
}
