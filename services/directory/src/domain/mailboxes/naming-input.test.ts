import { chooseAddress, getPolicy } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import {
  actionForOperation,
  agencyPartForPerson,
  personalNamingInput,
  splitAddress,
  unitNamingInput,
} from './naming-input.ts';

const bacNinh = getPolicy('bac-ninh');
const stttt = { name: 'Sở Thông tin và Truyền thông', abbreviation: 'stttt', unitType: 'agency' };
const ttcntttt = {
  name: 'Trung tâm Công nghệ thông tin và Truyền thông',
  abbreviation: 'ttcntttt',
  unitType: 'subunit',
};

describe('unitNamingInput', () => {
  it('when the agency is top level, then its address is its abbreviation', () => {
    const choice = chooseAddress(bacNinh, unitNamingInput([stttt]));
    expect(choice).toMatchObject({ outcome: 'assigned', address: 'stttt@bacninh.gov.vn' });
  });
  it('when the agency is a sub-unit, then its address is sub.parent', () => {
    const choice = chooseAddress(bacNinh, unitNamingInput([ttcntttt, stttt]));
    expect(choice).toMatchObject({ outcome: 'assigned', address: 'ttcntttt.stttt@bacninh.gov.vn' });
  });
  it('when a mailbox name is chosen, then it wins', () => {
    const choice = chooseAddress(bacNinh, unitNamingInput([stttt], 'sotttt'));
    expect(choice).toMatchObject({ outcome: 'assigned', local: 'sotttt' });
  });
  it('when the unit address is taken, then an operator decides', () => {
    const choice = chooseAddress(bacNinh, unitNamingInput([stttt]), (l) => l === 'stttt');
    expect(choice.outcome).toBe('operator');
  });
});

describe('personal addresses through the naming policy', () => {
  const tranVanAnh = { familyName: 'Trần', middleName: 'Văn', givenName: 'Anh' };
  it('when nobody holds the name, then Trần Văn Anh at stttt gets tvanh.stttt', () => {
    const choice = chooseAddress(
      bacNinh,
      personalNamingInput(tranVanAnh, agencyPartForPerson(stttt, 'stttt')),
    );
    expect(choice).toMatchObject({ outcome: 'assigned', address: 'tvanh.stttt@bacninh.gov.vn' });
  });
  it('when tvanh.stttt is taken, then the second gets tvanh1.stttt', () => {
    const choice = chooseAddress(
      bacNinh,
      personalNamingInput(tranVanAnh, 'stttt'),
      (l) => l === 'tvanh.stttt',
    );
    expect(choice).toMatchObject({ outcome: 'assigned', local: 'tvanh1.stttt' });
  });
  it('when the agency is a sub-unit with its own mailbox, then the whole agency local part follows', () => {
    expect(agencyPartForPerson(ttcntttt, 'ttcntttt.stttt')).toBe('ttcntttt.stttt');
    expect(agencyPartForPerson(ttcntttt, null)).toBe('ttcntttt');
  });
  it('when Khánh Hòa has a collision, then the operator decides', () => {
    const khanhHoa = getPolicy('khanh-hoa');
    const input = personalNamingInput({ familyName: 'Lê', middleName: 'Đức', givenName: 'Phương' }, 'stttt');
    expect(chooseAddress(khanhHoa, input)).toMatchObject({ outcome: 'assigned', local: 'ldphuong' });
    expect(chooseAddress(khanhHoa, input, (l) => l === 'ldphuong').outcome).toBe('operator');
  });
});

describe('actionForOperation and splitAddress', () => {
  it('when an item is reset_password, then the command is set_password', () => {
    expect(actionForOperation('reset_password')).toBe('set_password');
    expect(actionForOperation('suspend')).toBe('suspend');
  });
  it('when an address is split, then it is lowercased and checked', () => {
    expect(splitAddress(' TVAnh.STTTT@BacNinh.gov.vn ')).toEqual({
      localPart: 'tvanh.stttt',
      domain: 'bacninh.gov.vn',
    });
    expect(splitAddress('nobody')).toBeNull();
    expect(splitAddress('@x')).toBeNull();
  });
});
