import { describe, expect, it } from 'vitest';
import { isHandover, issuesPassword } from './issued-passwords.ts';

describe('issuesPassword', () => {
  it('a create and a reset issue a password everywhere', () => {
    for (const province of ['bac-ninh', 'kien-giang', 'dak-nong'])
      for (const op of ['create', 'reset_password']) expect(issuesPassword(op, province)).toBe(true);
  });

  it('a restore issues a new password only where the default-password lock applies (Kiên Giang)', () => {
    expect(issuesPassword('restore', 'kien-giang')).toBe(true);
    expect(issuesPassword('restore', 'bac-ninh')).toBe(false);
    expect(issuesPassword('restore', 'dak-nong')).toBe(false);
  });

  it('suspend, update and delete never issue one', () => {
    for (const op of ['suspend', 'update', 'delete']) expect(issuesPassword(op, 'kien-giang')).toBe(false);
  });

  it('an agency mailbox handed to a new head in Đắk Nông issues one (Điều 13 khoản 2); other updates do not', () => {
    const head = { familyName: 'Trần', givenName: 'Bình' };
    expect(isHandover({ operation: 'update', changes: { head } }, 'agency')).toBe(true);
    expect(isHandover({ operation: 'update', person: head }, 'agency')).toBe(true);
    expect(isHandover({ operation: 'update', changes: { position: 'x' } }, 'agency')).toBe(false);
    expect(isHandover({ operation: 'update', changes: { head } }, 'personal')).toBe(false);
    expect(issuesPassword('update', 'dak-nong', true)).toBe(true);
    expect(issuesPassword('update', 'dak-nong', false)).toBe(false);
  });

  it('a handover issues a password only where the policy has agencyHandover (Đắk Nông), not elsewhere', () => {
    for (const province of ['bac-ninh', 'thanh-hoa', 'khanh-hoa', 'kien-giang', 'no-such-province'])
      expect(issuesPassword('update', province, true)).toBe(false);
  });
});
