import type { ProvisioningCommand } from '@hopthu/shared/events';
import { describe, expect, it } from 'vitest';
import { findCommandProblem, formatProblem } from './validate-command.ts';

const HASH = '{BLF-CRYPT}$2b$05$abcdefghijklmnopqrstuuY1Yq7aXW0Yk1O3a6p1r3k0m3Q5dQ9Ge';

function buildCommand(overrides: Partial<ProvisioningCommand> = {}): ProvisioningCommand {
  return {
    commandId: 'c1',
    mailboxId: 'm1',
    generation: 1,
    action: 'create',
    address: 'anh@bacninh.gov.vn',
    domain: 'bacninh.gov.vn',
    requestId: 'r1',
    itemId: 'i1',
    passwordHash: HASH,
    ...overrides,
  };
}

describe('findCommandProblem', () => {
  it('when the command is complete, then there is no problem', () => {
    expect(findCommandProblem(buildCommand())).toBeNull();
    expect(findCommandProblem(buildCommand({ action: 'suspend', passwordHash: undefined }))).toBeNull();
    expect(findCommandProblem(buildCommand({ action: 'set_quota', quotaBytes: 0 }))).toBeNull();
    expect(
      findCommandProblem(buildCommand({ action: 'rename', newAddress: 'anh2@bacninh.gov.vn' })),
    ).toBeNull();
    expect(
      findCommandProblem(
        buildCommand({ action: 'set_alias', aliasTargets: ['a@bacninh.gov.vn'], allowedSenders: [] }),
      ),
    ).toBeNull();
    expect(findCommandProblem(buildCommand({ action: 'remove_alias' }))).toBeNull();
  });

  it('when the address is outside the domain, then it is refused with a bilingual reason', () => {
    const p = findCommandProblem(buildCommand({ address: 'anh@other.gov.vn' }));
    expect(p?.en).toMatch(/not in domain/);
    expect(formatProblem(p!)).toContain(' / ');
  });

  it.each([
    [{ domain: 'not a domain' }, /invalid domain/],
    [{ address: 'Bad Address@bacninh.gov.vn' }, /invalid mail address/],
    [{ passwordHash: undefined }, /password hash/],
    [{ passwordHash: 'plaintext' }, /password hash/],
    [{ action: 'set_password' as const, passwordHash: undefined }, /password hash/],
    [{ action: 'set_quota' as const }, /quotaBytes/],
    [{ action: 'rename' as const }, /newAddress/],
    [{ action: 'rename' as const, newAddress: 'anh@bacninh.gov.vn' }, /equals/],
    [{ action: 'rename' as const, newAddress: 'x y@bacninh.gov.vn' }, /invalid new address/],
    [{ action: 'set_alias' as const }, /aliasTargets/],
    [{ action: 'set_alias' as const, aliasTargets: [] }, /aliasTargets/],
    [{ action: 'set_alias' as const, aliasTargets: ['a b@x.vn'] }, /invalid address/],
    [{ action: 'set_alias' as const, aliasTargets: ['a@x.vn'], allowedSenders: ['@x'] }, /invalid address/],
  ])('when %j, then the command is refused', (overrides, reason) => {
    expect(findCommandProblem(buildCommand(overrides))?.en).toMatch(reason);
  });
});
