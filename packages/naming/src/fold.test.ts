import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldToAscii, isValidLocalPart, splitFoldedWords } from './fold.ts';

describe('foldToAscii', () => {
  it('removes tones and the Vietnamese vowel marks, as Khánh Hòa Điều 3 khoản 1 spells out', () => {
    expect(foldToAscii('Đặng Thị Ngọc Ánh')).toBe('dang thi ngoc anh');
    expect(foldToAscii('ă â đ ê ô ơ ư')).toBe('a a d e o o u');
    expect(foldToAscii('huyền sắc hỏi ngã nặng')).toBe('huyen sac hoi nga nang');
  });

  it('folds đ, Đ and the lookalike Ð (U+00D0) to d', () => {
    expect(foldToAscii('đĐ\u00D0\u00F0')).toBe('dddd');
  });

  it("drops every kind of apostrophe: H'Hen, K’Bang, Hʼ", () => {
    expect(foldToAscii("H'Hen")).toBe('hhen');
    expect(foldToAscii('K\u2019Bang')).toBe('kbang');
    expect(foldToAscii('H\u02BCNiê')).toBe('hnie');
  });

  it('folds the extra letters of minority orthographies (č ŭ ĭ ĕ ŏ ơ̆)', () => {
    expect(foldToAscii('Êčăm')).toBe('ecam');
    expect(foldToAscii('č ŭ ĭ ĕ ŏ ơ\u0306')).toBe('c u i e o o');
  });

  it('gives the same result for NFC and NFD input', () => {
    expect(foldToAscii('Nguye\u0302\u0303n')).toBe(foldToAscii('Nguyễn'));
    expect(foldToAscii('Nguyễn')).toBe('nguyen');
  });

  it('lowercases, including a dotted capital I', () => {
    expect(foldToAscii('TRẦN VĂN ANH')).toBe('tran van anh');
    expect(foldToAscii('\u0130')).toBe('i');
  });

  it('when given any Vietnamese text, then the result is ASCII and folding again changes nothing', () => {
    const vietnamese =
      'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
    const alphabet = [...vietnamese, ...vietnamese.toUpperCase(), ' ', "'", '\u2019', '\u02BC', 'Ð'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 30 }), (chars) => {
        const folded = foldToAscii(chars.join(''));
        expect(folded).toMatch(/^[a-z ]*$/);
        expect(foldToAscii(folded)).toBe(folded);
      }),
    );
  });
});

describe('isValidLocalPart', () => {
  it('accepts the forms the five provinces use', () => {
    for (const local of [
      'stttt',
      'pvhtt.yendinh',
      'pvhtt_cl',
      'tvanh1.stttt',
      'no-reply',
      'nvnguyen_ttr',
      'a',
    ]) {
      expect(isValidLocalPart(local), local).toBe(true);
    }
  });

  it('refuses uppercase, non-ASCII, spaces, empty, edge and doubled dots, and more than 64 characters', () => {
    for (const local of ['Stttt', 'tuấn', 'a b', '', '.a', 'a.', 'a..b', '-a', 'a_', 'a@b', 'a'.repeat(65)]) {
      expect(isValidLocalPart(local), local).toBe(false);
    }
    expect(isValidLocalPart('a'.repeat(64))).toBe(true);
  });
});

describe('splitFoldedWords', () => {
  it('splits on everything that is not an ASCII letter or digit', () => {
    expect(splitFoldedWords('trung tam cntt&tt - so 3')).toEqual(['trung', 'tam', 'cntt', 'tt', 'so', '3']);
  });
});
