import { describe, expect, it } from 'vitest';
import { issuesPassword } from './issued-passwords.ts';

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
});
