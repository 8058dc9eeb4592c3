import { describe, expect, it } from 'vitest';
import { compileFilter } from './scim-filter.ts';

const user = {
  id: 'AbC',
  userName: 'TVAnh',
  externalId: 'HR-42',
  name: { familyName: 'Trần', givenName: 'Anh' },
  active: true,
  emails: [{ value: 'tvanh.stttt@bacninh.gov.vn', type: 'work' }],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Phòng CNTT' },
};

describe('compileFilter', () => {
  it('when userName is compared, then case is ignored (caseExact false) and the database can narrow by it', () => {
    const f = compileFilter('userName eq "tvanh"');
    expect(f.test(user)).toBe(true);
    expect(f.narrowing).toEqual({ userName: 'tvanh' });
  });

  it('when externalId or id is compared, then case matters (caseExact true)', () => {
    expect(compileFilter('externalId eq "HR-42"').test(user)).toBe(true);
    expect(compileFilter('externalId eq "hr-42"').test(user)).toBe(false);
    expect(compileFilter('id eq "abc"').test(user)).toBe(false);
  });

  it('when filters combine and, or, not, value paths, pr and extension attributes, then they are evaluated as RFC 7644 has it', () => {
    expect(compileFilter('userName sw "tv" and active eq true').test(user)).toBe(true);
    expect(compileFilter('emails[type eq "work" and value ew "@BACNINH.gov.vn"]').test(user)).toBe(true);
    expect(compileFilter('not (name.familyName eq "trần")').test(user)).toBe(false);
    expect(compileFilter('title pr or externalId pr').test(user)).toBe(true);
    expect(
      compileFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department co "cntt"').test(
        user,
      ),
    ).toBe(true);
  });

  it('when the top level is an and of equalities, then each narrows; an or narrows nothing', () => {
    expect(compileFilter('userName eq "a" and externalId eq "b"').narrowing).toEqual({
      userName: 'a',
      externalId: 'b',
    });
    expect(compileFilter('userName eq "a" or externalId eq "b"').narrowing).toEqual({});
  });

  it('when there is no filter, then everything matches', () => {
    expect(compileFilter(undefined).test(user)).toBe(true);
    expect(compileFilter('  ').narrowing).toEqual({});
  });

  it('when the filter does not parse, then it is 400 invalidFilter', () => {
    expect(() => compileFilter('userName eq')).toThrow(
      expect.objectContaining({ status: 400, extensions: { scimType: 'invalidFilter' } }),
    );
  });
});
