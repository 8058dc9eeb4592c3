import { describe, expect, it } from 'vitest';
import type { DirectoryMailbox } from '../../db/directory-mailbox-repository.ts';
import { compareMailboxes } from './compare-mailboxes.ts';

const dir = (address: string, state: DirectoryMailbox['state'], extra: Partial<DirectoryMailbox> = {}) => ({
  mailboxId: `id-${address}`,
  address,
  domain: 'x.gov.vn',
  state,
  quotaBytes: 100,
  generation: 2,
  aliases: [],
  ...extra,
});
const box = (address: string, active = true, quotaBytes = 100) => ({
  address,
  domain: 'x.gov.vn',
  active,
  quotaBytes,
  generation: 2,
});

describe('compareMailboxes', () => {
  it('when both sides agree, then there is no difference', () => {
    expect(
      compareMailboxes(
        [dir('a@x.gov.vn', 'active'), dir('b@x.gov.vn', 'suspended'), dir('c@x.gov.vn', 'deleted')],
        [box('a@x.gov.vn'), box('b@x.gov.vn', false)],
      ),
    ).toEqual([]);
  });

  it('when they differ, then every difference is reported once, by kind', () => {
    const drifts = compareMailboxes(
      [
        dir('missing@x.gov.vn', 'locked'),
        dir('gone@x.gov.vn', 'deleted'),
        dir('state@x.gov.vn', 'suspended'),
        dir('quota@x.gov.vn', 'active', { quotaBytes: 500 }),
        dir('inflight@x.gov.vn', 'provisioning'),
      ],
      [box('gone@x.gov.vn'), box('state@x.gov.vn'), box('quota@x.gov.vn'), box('stranger@x.gov.vn')],
    );
    expect(drifts.map((d) => [d.kind, d.address])).toEqual([
      ['extra', 'gone@x.gov.vn'],
      ['missing', 'missing@x.gov.vn'],
      ['quota_mismatch', 'quota@x.gov.vn'],
      ['state_mismatch', 'state@x.gov.vn'],
      ['extra', 'stranger@x.gov.vn'],
    ]);
    expect(drifts.find((d) => d.address === 'missing@x.gov.vn')).toMatchObject({
      expected: { active: false, quotaBytes: 100 },
    });
    expect(drifts.find((d) => d.address === 'stranger@x.gov.vn')).toMatchObject({
      reason: 'unknown_to_directory',
      repairable: false,
    });
  });

  it('when an address has a deleted and a live record, then the live one counts', () => {
    expect(
      compareMailboxes(
        [dir('a@x.gov.vn', 'deleted', { generation: 9, mailboxId: 'old' }), dir('a@x.gov.vn', 'active')],
        [box('a@x.gov.vn')],
      ),
    ).toEqual([]);
  });
});
