import type { ProvisioningCommand } from '@hopthu/shared/events';
import { describe, expect, it } from 'vitest';
import { findCommandProblem } from './validate-command.ts';

const command = (overrides: Partial<ProvisioningCommand>): ProvisioningCommand => ({
  commandId: 'c-1',
  mailboxId: 'd-1',
  generation: 1,
  action: 'set_alias_domain',
  address: 'bacgiang.gov.vn',
  domain: 'bacgiang.gov.vn',
  targetDomain: 'bacninh.gov.vn',
  requestId: null,
  itemId: null,
  ...overrides,
});

describe('alias-domain commands', () => {
  it('when the alias domain and its target are domains, then the command is fine', () => {
    expect(findCommandProblem(command({}))).toBeNull();
    expect(
      findCommandProblem(command({ action: 'remove_alias_domain', targetDomain: undefined })),
    ).toBeNull();
  });

  it.each([
    ['no target', { targetDomain: undefined }, 'targetDomain'],
    ['a target that is not a domain', { targetDomain: 'not a domain' }, 'targetDomain'],
    ['the target is the alias itself', { targetDomain: 'bacgiang.gov.vn' }, 'target domain equals'],
    ['address and domain differ', { address: 'x@bacgiang.gov.vn' }, 'both address and domain'],
    ['an invalid alias domain', { address: 'bac giang', domain: 'bac giang' }, 'invalid domain'],
  ])('when %s, then it is refused with a reason in both languages', (_, overrides, english) => {
    const problem = findCommandProblem(command(overrides as Partial<ProvisioningCommand>));
    expect(problem?.en).toContain(english);
    expect(problem?.vi.length).toBeGreaterThan(0);
  });
});
