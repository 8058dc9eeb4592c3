import type { ProvisioningCommand } from '@hopthu/shared/events';
import { describe, expect, it } from 'vitest';
import { cutCreateRuns } from './create-runs.ts';

const command = (
  id: string,
  action: ProvisioningCommand['action'] = 'create',
  over: Partial<ProvisioningCommand> = {},
): ProvisioningCommand => ({
  commandId: `c-${id}`,
  mailboxId: `m-${id}`,
  generation: 1,
  action,
  address: `u${id}@bacninh.gov.vn`,
  domain: 'bacninh.gov.vn',
  requestId: null,
  itemId: null,
  ...over,
});

const shape = (runs: ReturnType<typeof cutCreateRuns<ProvisioningCommand | null>>) =>
  runs.map((r) => (r.kind === 'creates' ? r.items.map((c) => c?.commandId) : (r.item?.commandId ?? 'other')));

describe('cutCreateRuns', () => {
  it('when creates follow each other, then they are one run; anything else goes alone, in order', () => {
    const items = [command('1'), command('2'), command('3', 'suspend'), null, command('4'), command('5')];
    expect(shape(cutCreateRuns(items, (c) => c))).toEqual([['c-1', 'c-2'], 'c-3', 'other', ['c-4', 'c-5']]);
  });

  it('when a mailbox, a command id or an address comes twice, then a new run starts at the second', () => {
    const items = [
      command('1'),
      command('2'),
      command('3', 'create', { mailboxId: 'm-1', generation: 2 }),
      command('4'),
      command('4', 'create', { mailboxId: 'm-other' }),
      command('5', 'create', { address: 'U4@bacninh.gov.vn' }),
    ];
    expect(shape(cutCreateRuns(items, (c) => c))).toEqual([['c-1', 'c-2'], ['c-3', 'c-4'], ['c-4'], ['c-5']]);
  });

  it('when there is nothing, then there are no runs', () => {
    expect(cutCreateRuns([], () => null)).toEqual([]);
  });
});
