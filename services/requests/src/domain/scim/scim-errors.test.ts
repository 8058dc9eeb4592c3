import { AppError } from '@hopthu/shared/errors';
import { describe, expect, it } from 'vitest';
import { scimError, toScimError } from './scim-errors.ts';

describe('toScimError', () => {
  it('when a SCIM error is rendered, then it has the Error schema, the status as a string, the scimType and both languages', () => {
    const body = toScimError(
      scimError(400, 'invalidValue', { vi: 'Sai', en: 'Wrong' }, [
        { field: 'userName', message: { vi: 'bắt buộc', en: 'required' } },
      ]),
    );
    expect(body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidValue',
      detail: 'Sai; userName: bắt buộc / Wrong; userName: required',
    });
  });

  it("when the request path refuses (a person's conflict, a field of an item), then the field is named without the item path", () => {
    const body = toScimError(
      new AppError(
        'conflict',
        { vi: 'Trùng', en: 'Taken' },
        { errors: [{ field: '/items/0/person/nationalId', message: { vi: 'có', en: 'exists' } }] },
      ),
    );
    expect(body).toMatchObject({
      status: '409',
      scimType: 'uniqueness',
      detail: 'Trùng; person/nationalId: có / Taken; person/nationalId: exists',
    });
  });

  it('when access is refused, then there is no scimType', () => {
    expect(toScimError(new AppError('invalid_token', { vi: 'a', en: 'b' }))).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
      detail: 'a / b',
    });
  });
});
