// The text guard's rules, one string at a time and over whole values: what PostgreSQL or the mail
// server cannot take is found with the JSON pointer of its field; ordinary Vietnamese text passes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from './errors.ts';
import { assertStorableText, checkText, findTextProblems, isNameField } from './text-guard.ts';

describe('checkText', () => {
  it('when text holds NUL, then it is refused as nul', () => {
    expect(checkText('Nguyễn\u0000')?.problem).toBe('nul');
  });

  it('when text holds a lone high or low surrogate, then it is refused; a pair (emoji) passes', () => {
    expect(checkText('a\ud800b')?.problem).toBe('surrogate');
    expect(checkText('a\udc00')?.problem).toBe('surrogate');
    expect(checkText('\ud800')?.problem).toBe('surrogate');
    expect(checkText('Chúc mừng 🎉')).toBeNull();
  });

  it('when free text holds tabs and line breaks, then it passes; other controls do not', () => {
    expect(checkText('Lý do:\r\n\tnghỉ hưu')).toBeNull();
    expect(checkText('a\u001bb')?.problem).toBe('control');
    expect(checkText('a\u007fb')?.problem).toBe('control');
    expect(checkText('a\u0085b')?.problem).toBe('control');
  });

  it('when a name holds a tab, a line break or a line separator, then it is refused', () => {
    for (const bad of ['Trần\tAnh', 'Trần\nAnh', 'Trần\rBcc: x@y', 'Trần\u2028Anh']) {
      expect(checkText(bad, { name: true })?.problem).toBe('control');
    }
    expect(checkText('Êban Y Đhăm', { name: true })).toBeNull();
  });

  it('when a name is not NFC and the rule refuses it, then it is refused; otherwise it passes', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    expect(checkText(nfd, { name: true, nfc: 'refuse' })?.problem).toBe('nfc');
    expect(checkText(nfd, { name: true })).toBeNull();
  });

  it('whatever a string, either it is refused or PostgreSQL can store it (no NUL, well-formed UTF-16)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)) }), (s) => {
        if (checkText(s) === null) {
          expect(s.includes('\u0000')).toBe(false);
          expect(s.isWellFormed()).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('findTextProblems', () => {
  it('when fields of a request hold NUL or lone surrogates, then each is named by its JSON pointer', () => {
    const body = {
      agencyId: 'a\u0000',
      requester: { fullName: 'Lê\ud800', position: 'Trưởng phòng' },
      items: [{ person: { givenName: 'Anh\u0000' } }],
    };
    expect(findTextProblems(body).map((e) => e.field)).toEqual([
      '/agencyId',
      '/requester/fullName',
      '/items/0/person/givenName',
    ]);
  });

  it('when a key holds NUL or a pointer character, then the key is named, escaped (RFC 6901)', () => {
    expect(findTextProblems({ 'a/b': { 'x\u0000': 1 } }).map((e) => e.field)).toEqual(['/a~1b/x\u0000']);
  });

  it('when names come decomposed, then they are made NFC in place; other text is left as given', () => {
    const nfd = 'Nguyễn'.normalize('NFD');
    const body = { person: { familyName: nfd }, reason: nfd };
    expect(findTextProblems(body)).toEqual([]);
    expect(body.person.familyName).toBe('Nguyễn'.normalize('NFC'));
    expect(body.reason).toBe(nfd);
  });

  it('when a value is nested deeper than anything takes, then it is refused at the depth', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(findTextProblems({ a: deep })).toHaveLength(1);
  });

  it('when a prefix is given, then fields carry it (query strings, headers)', () => {
    expect(findTextProblems({ q: '\u0000' }, { prefix: 'querystring:' })[0]?.field).toBe('querystring:/q');
  });

  it('names are keys called name or ending in Name', () => {
    expect(isNameField(['items', 0, 'person', 'familyName'])).toBe(true);
    expect(isNameField(['name'])).toBe(true);
    expect(isNameField(['reason'])).toBe(false);
    expect(isNameField(['names', 0])).toBe(false);
  });
});

describe('assertStorableText', () => {
  it('when text is refused, then a 400 validation_failed names the fields in Vietnamese and English', () => {
    let thrown: unknown;
    try {
      assertStorableText({ name: 'Sở\u0000' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const e = thrown as AppError;
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_failed');
    expect(e.errors[0]?.field).toBe('/name');
    expect(e.errors[0]?.message.vi).toMatch(/NUL/);
    expect(e.errors[0]?.message.en).toMatch(/NUL/);
  });
});
