import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPassword, MAX_PASSWORD_BYTES } from './password.ts';
import type { PasswordRule } from './policies/policy-types.ts';
import { getPolicy, listPolicies, validatePolicy } from './policies/registry.ts';

const rule = (province: string) => getPolicy(province).password;
const codes = (
  province: string,
  password: string,
  context: Partial<Parameters<typeof checkPassword>[2]> = {},
) =>
  checkPassword(rule(province), password, { address: 'tvanh.stttt@bacninh.gov.vn', ...context }).map(
    (v) => v.code,
  );

describe('the provinces password rules (regulations §5)', () => {
  it('Đắk Nông 12.1: at least 8, upper, lower and a special character; change at first login', () => {
    expect(rule('dak-nong')).toMatchObject({
      minLength: 8,
      requireUpper: true,
      requireLower: true,
      requireDigit: false,
      requireSpecial: true,
      specialCharacters: null,
      article: 'Điều 12 khoản 1',
    });
    expect(getPolicy('dak-nong').firstLoginChange).toEqual({
      onCreate: true,
      onReset: true,
      article: 'Điều 12 khoản 1',
    });
  });

  it('Bắc Ninh 5.2: its own example NguyenvanA@123 passes, and the special must be one of ! @ # % $ * &', () => {
    expect(codes('bac-ninh', 'NguyenvanA@123')).toEqual([]);
    expect(codes('bac-ninh', 'NguyenvanA^123')).toEqual(['missing_special']);
    for (const c of '!@#%$*&') expect(codes('bac-ninh', `Quangtri${c}12`)).toEqual([]);
  });

  it('Kiên Giang 10.3–10.4: letters, digits and a special (no case rule); locked after 5 working days', () => {
    expect(codes('kien-giang', 'abcdef1!')).toEqual([]);
    expect(codes('kien-giang', 'abcdefgh')).toEqual(['missing_digit', 'missing_special']);
    expect(codes('kien-giang', '1234567!')).toEqual(['missing_letter']);
    expect(getPolicy('kien-giang').defaultPasswordLock).toEqual({
      workingDays: 5,
      article: 'Điều 10 khoản 3',
    });
  });

  it('Khánh Hòa 4.2: no complexity rule (hopthu asks 8 characters), a reissued password changed at first use', () => {
    expect(codes('khanh-hoa', 'abcdefgh')).toEqual([]);
    expect(codes('khanh-hoa', 'abcdefg')).toEqual(['too_short']);
    expect(getPolicy('khanh-hoa').firstLoginChange).toEqual({
      onCreate: false,
      onReset: true,
      article: 'Điều 4 khoản 2',
    });
  });

  it('Thanh Hóa says only "bảo vệ mật khẩu": hopthu minimum, no first-login change, no lock', () => {
    const th = getPolicy('thanh-hoa');
    expect(codes('thanh-hoa', 'abcdefgh')).toEqual([]);
    expect(th.firstLoginChange).toBeUndefined();
    expect(th.defaultPasswordLock).toBeUndefined();
  });

  it('only Đắk Nông and Khánh Hòa force a change, only Kiên Giang locks an unchanged password', () => {
    expect(
      listPolicies()
        .filter((p) => p.firstLoginChange)
        .map((p) => p.id),
    ).toEqual(['dak-nong', 'khanh-hoa']);
    expect(
      listPolicies()
        .filter((p) => p.defaultPasswordLock)
        .map((p) => p.id),
    ).toEqual(['kien-giang']);
  });

  it('a policy whose password rule has no length, or an empty special list, is reported', () => {
    const broken = {
      ...getPolicy('bac-ninh'),
      password: { ...rule('bac-ninh'), minLength: 0, specialCharacters: '' },
      defaultPasswordLock: { workingDays: 0, article: 'x' },
    };
    expect(validatePolicy(broken)).toEqual([
      'password.minLength must be a positive integer',
      'password.specialCharacters must be null (any) or list at least one character',
      'defaultPasswordLock.workingDays must be a positive integer',
    ]);
  });
});

describe('checkPassword', () => {
  it('when a password breaks several rules, then every one is named, in Vietnamese and English, with its article', () => {
    const violations = checkPassword(rule('dak-nong'), 'abc', { address: 'anhtv.stttt@daknong.gov.vn' });
    expect(violations.map((v) => v.code)).toEqual(['too_short', 'missing_upper', 'missing_special']);
    expect(violations[0]).toEqual({
      code: 'too_short',
      article: 'Điều 12 khoản 1',
      vi: 'Mật khẩu phải có ít nhất 8 ký tự (hiện có 3)',
      en: 'The password must have at least 8 characters (it has 3)',
    });
    for (const v of violations) expect(v.vi).not.toEqual(v.en);
  });

  it('when Bắc Ninh lists its special characters, then the message lists them', () => {
    const [v] = checkPassword(rule('bac-ninh'), 'Abcdefg12', { address: 'x@bacninh.gov.vn' });
    expect(v?.en).toBe('The password needs a special character, one of: ! @ # % $ * &');
  });

  it('when the password contains the address or its local part in any case, then it is refused', () => {
    expect(codes('dak-nong', 'Anhtv.stttt!', { address: 'anhtv.stttt@daknong.gov.vn' })).toEqual([
      'contains_address',
    ]);
    expect(codes('dak-nong', 'Xy!ANHTV2026', { address: 'anhtv.stttt@daknong.gov.vn' })).toEqual([
      'contains_address',
    ]);
    // short parts (`tk`) are too common to refuse
    expect(codes('dak-nong', 'Tk!abcdefgh', { address: 'tk@daknong.gov.vn' })).toEqual([]);
  });

  it("when the password contains the holder's name with or without diacritics, then it is refused", () => {
    const holderName = 'Nguyễn Văn Anh';
    expect(codes('dak-nong', 'NguyenVanAnh!', { holderName })).toEqual(['contains_name']);
    expect(codes('dak-nong', 'Nguyễn.văn.Anh!', { holderName })).toEqual(['contains_name']);
    expect(codes('dak-nong', 'AnhNguyenVan#1', { holderName })).toEqual(['contains_name']);
    expect(codes('dak-nong', 'Xanh!Troi9', { holderName })).toEqual(['contains_name']);
    // Bắc Ninh's own example, for the person it names
    expect(codes('bac-ninh', 'NguyenvanA@123', { holderName: 'Nguyễn Văn A' })).toEqual(['contains_name']);
    // family and middle names alone are shared by millions: not refused
    expect(codes('dak-nong', 'Nguyen#Bich9', { holderName })).toEqual([]);
  });

  it('when the new password is the current one, then it is refused; a different one passes', () => {
    expect(codes('dak-nong', 'Mua!Thu2026', { currentPassword: 'Mua!Thu2026' })).toEqual(['same_as_current']);
    expect(codes('dak-nong', 'Mua!Thu2027', { currentPassword: 'Mua!Thu2026' })).toEqual([]);
  });

  it('when the password is longer than bcrypt reads, or holds a control character, then it is refused', () => {
    expect(codes('dak-nong', `Aa!${'x'.repeat(MAX_PASSWORD_BYTES)}`)).toEqual(['too_long']);
    expect(codes('dak-nong', 'Mua!Thu\n2026')).toEqual(['control_character']);
  });

  it('Vietnamese letters count as letters and their case as case', () => {
    expect(codes('dak-nong', 'đổimậtkhẩu!')).toEqual(['missing_upper']);
    expect(codes('dak-nong', 'ĐỔIMẬTKHẨU!')).toEqual(['missing_lower']);
    expect(codes('dak-nong', 'Đổimậtkhẩu!')).toEqual([]);
  });
});

describe('checkPassword properties', () => {
  const anyRule: fc.Arbitrary<PasswordRule> = fc.record({
    minLength: fc.integer({ min: 1, max: 20 }),
    requireUpper: fc.boolean(),
    requireLower: fc.boolean(),
    requireLetter: fc.boolean(),
    requireDigit: fc.boolean(),
    requireSpecial: fc.boolean(),
    specialCharacters: fc.constantFrom(null, '!@#%$*&'),
    article: fc.constant('x'),
  });
  const context = { address: 'qq@x.gov.vn' };

  it('a violation is reported iff its requirement is on and the password lacks it', () => {
    fc.assert(
      fc.property(anyRule, fc.string({ maxLength: 30 }), (r, pw) => {
        const got = new Set(checkPassword(r, pw, context).map((v) => v.code));
        expect(got.has('too_short')).toBe([...pw].length < r.minLength);
        expect(got.has('missing_upper')).toBe(r.requireUpper && !/\p{Lu}/u.test(pw));
        expect(got.has('missing_digit')).toBe(r.requireDigit && !/\p{Nd}/u.test(pw));
      }),
    );
  });

  it('a stricter rule never accepts what a laxer one refuses', () => {
    fc.assert(
      fc.property(anyRule, fc.string({ maxLength: 30 }), (r, pw) => {
        const lax = checkPassword(r, pw, context).length;
        const strict = checkPassword(
          { ...r, requireUpper: true, requireDigit: true, minLength: r.minLength + 1 },
          pw,
          context,
        );
        expect(strict.length).toBeGreaterThanOrEqual(lax);
      }),
    );
  });

  it('appending characters never creates a length, class or special violation', () => {
    const classes = new Set([
      'too_short',
      'missing_upper',
      'missing_lower',
      'missing_letter',
      'missing_digit',
      'missing_special',
    ]);
    fc.assert(
      fc.property(anyRule, fc.string({ maxLength: 15 }), fc.string({ maxLength: 15 }), (r, pw, more) => {
        const before = new Set(checkPassword(r, pw, context).map((v) => v.code));
        for (const v of checkPassword(r, pw + more, context))
          if (classes.has(v.code)) expect(before.has(v.code)).toBe(true);
      }),
    );
  });

  it('the same password as the current one is always refused; the check is deterministic', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (pw) => {
        const a = checkPassword(rule('bac-ninh'), pw, { ...context, currentPassword: pw });
        expect(a.map((v) => v.code)).toContain('same_as_current');
        expect(checkPassword(rule('bac-ninh'), pw, { ...context, currentPassword: pw })).toEqual(a);
      }),
    );
  });
});
