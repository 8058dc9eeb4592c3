// Folding Vietnamese text to the ASCII that mailbox local parts are made of, and the check that a
// local part is one this system will create. Khánh Hòa Điều 3 khoản 1 spells the folding out (drop
// the tone marks; ă, â → a; đ → d; ê → e; ô, ơ → o; ư → u); the other provinces show it by example.

export const MAX_LOCAL_PART_LENGTH = 64;

// đ/Đ have no Unicode decomposition, so mark removal leaves them; Ð (U+00D0, Icelandic eth) and its
// lowercase ð are lookalikes typed in place of Đ, and Ɖ/ɖ (African D) are lookalikes too.
const D_LETTERS = /[\u0111\u0110\u00D0\u00F0\u0189\u0256]/gu;
// ' (U+0027), ‘ ’ (U+2018, U+2019), ʼ (U+02BC, a letter, not a mark, so \p{M} keeps it), ` and ´:
// all the ways an apostrophe in a minority name (H'Hen, K'Bang) arrives.
const APOSTROPHES = /['\u2018\u2019\u02BC\u0060\u00B4]/gu;
const COMBINING_MARKS = /\p{M}/gu;

/**
 * Folds text to lowercase ASCII: NFC in, lowercase, NFD and removal of every combining mark (tones,
 * breve, circumflex, horn, and the minority letters č ŭ ĭ ĕ ŏ ơ̆), đ/Đ/Ð → d, apostrophes dropped.
 * Spaces and other punctuation are kept; characters with no ASCII form (e.g. ß, ø) are kept as they
 * are, so callers can reject them.
 */
export function foldToAscii(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase() // before NFD, so İ's dot becomes a combining mark and is removed with the rest
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(D_LETTERS, 'd')
    .replace(APOSTROPHES, '');
}

const LOCAL_PART = /^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$/;

/**
 * True for local parts this system creates: 1 to 64 characters of `[a-z0-9._-]`, starting and
 * ending with a letter or digit, with no two dots in a row (RFC 5321 dot-atom, lowercase only).
 */
export function isValidLocalPart(local: string): boolean {
  return local.length <= MAX_LOCAL_PART_LENGTH && LOCAL_PART.test(local) && !local.includes('..');
}

/** Words of a folded text: runs of ASCII letters and digits, everything else separates. */
export function splitFoldedWords(folded: string): string[] {
  return folded.split(/[^a-z0-9]+/).filter((word) => word.length > 0);
}
