import { describe, expect, it } from 'vitest';
import { buildPaperBody, filledRows, formFieldOf } from './paper-request-form.ts';

const head = {
  agencyId: 'a-1',
  form: 'mau01',
  'requester.fullName': ' Nguyễn Thị Bình ',
  'requester.position': 'Chánh Văn phòng',
  'requester.phone': '',
  'reference.number': '12/STTTT-VP',
  'reference.date': '2026-12-01',
};

describe('buildPaperBody', () => {
  it('when a Mẫu 01 row is filled and another left empty, then one create item with its person is sent', () => {
    const body = buildPaperBody(
      {
        ...head,
        'items.0.operation': 'create',
        'items.0.mailboxType': 'personal',
        'items.0.person.familyName': 'Hoàng',
        'items.0.person.middleName': '',
        'items.0.person.givenName': 'Giấy',
        'items.0.person.position': 'Chuyên viên',
        'items.1.operation': 'create',
      },
      2,
    );
    expect(body).toEqual({
      agencyId: 'a-1',
      form: 'mau01',
      requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng' },
      reference: { number: '12/STTTT-VP', date: '2026-12-01' },
      items: [
        {
          operation: 'create',
          mailboxType: 'personal',
          person: { familyName: 'Hoàng', middleName: '', givenName: 'Giấy', position: 'Chuyên viên' },
        },
      ],
    });
  });

  it('when a given name is left empty on a create, then it is sent empty so the API names the field', () => {
    const body = buildPaperBody(
      { ...head, 'items.0.operation': 'create', 'items.0.person.familyName': 'Lê' },
      1,
    );
    expect(body.items[0]).toMatchObject({ person: { familyName: 'Lê', middleName: '', givenName: '' } });
  });

  it('when a Mẫu 02 and a Mẫu 03 row are filled, then the change and the delete carry address, changes and reason only', () => {
    const body = buildPaperBody(
      {
        ...head,
        'items.0.operation': 'update',
        'items.0.address': 'a@bacninh.gov.vn',
        'items.0.changes.position': 'Phó phòng',
        'items.0.person.givenName': 'ignored',
        'items.1.operation': 'delete',
        'items.1.address': 'b@bacninh.gov.vn',
        'items.1.reason': 'Nghỉ hưu',
      },
      2,
    );
    expect(body.items).toEqual([
      { operation: 'update', address: 'a@bacninh.gov.vn', changes: { position: 'Phó phòng' } },
      { operation: 'delete', address: 'b@bacninh.gov.vn', reason: 'Nghỉ hưu' },
    ]);
  });
});

describe('formFieldOf', () => {
  it('when rows were left out, then an item error maps back to the row the operator typed in', () => {
    const rows = filledRows({ 'items.2.person.familyName': 'Lê', 'items.0.operation': 'create' }, 3);
    expect(rows).toEqual([2]);
    expect(formFieldOf('/items/0/person/givenName', rows)).toBe('items.2.person.givenName');
  });

  it('when the error is about the scan or the head, then the field is the input of that name', () => {
    expect(formFieldOf('/scan/content', [])).toBe('scan');
    expect(formFieldOf('/reference/date', [])).toBe('reference.date');
    expect(formFieldOf('/agencyId', [])).toBe('agencyId');
  });
});
