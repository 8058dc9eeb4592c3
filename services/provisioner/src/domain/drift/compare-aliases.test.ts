import { describe, expect, it } from 'vitest';
import type { AliasSnapshot } from '../mail-server-adapter.ts';
import type { DirectoryMailbox } from '../../db/directory-mailbox-repository.ts';
import { compareAliases } from './compare-aliases.ts';

const now = new Date('2026-06-01T00:00:00Z');
const dir = (
  address: string,
  aliases: string[],
  state: DirectoryMailbox['state'] = 'active',
  extra: Partial<DirectoryMailbox> = {},
): DirectoryMailbox => ({
  mailboxId: `id-${address}`,
  address,
  domain: 'x.gov.vn',
  state,
  quotaBytes: 100,
  generation: 2,
  aliases,
  ...extra,
});
const alias = (address: string, targets: string[], extra: Partial<AliasSnapshot> = {}): AliasSnapshot => ({
  address,
  targets,
  allowedSenders: null,
  expiresAt: null,
  generation: 1,
  ...extra,
});

describe('compareAliases', () => {
  it('when every listed alias forwards to its mailbox, then there is no difference', () => {
    expect(
      compareAliases(
        [dir('a@x.gov.vn', ['a1@x.gov.vn', 'a2@x.gov.vn']), dir('b@x.gov.vn', [], 'suspended')],
        [
          alias('a1@x.gov.vn', ['a@x.gov.vn']),
          alias('a2@x.gov.vn', ['a@x.gov.vn'], { expiresAt: new Date('2026-07-01T00:00:00Z') }),
        ],
        now,
      ),
    ).toEqual([]);
  });

  it('when aliases differ, then each is reported once by kind, with what a repair may do', () => {
    const drifts = compareAliases(
      [
        dir('a@x.gov.vn', ['missing@x.gov.vn', 'moved@x.gov.vn', 'lapsed@x.gov.vn', 'grouped@x.gov.vn']),
        dir('b@x.gov.vn', []),
        dir('gone@x.gov.vn', ['old@x.gov.vn'], 'deleted'),
      ],
      [
        alias('moved@x.gov.vn', ['b@x.gov.vn']),
        alias('lapsed@x.gov.vn', ['a@x.gov.vn'], { expiresAt: new Date('2026-05-01T00:00:00Z') }),
        alias('grouped@x.gov.vn', ['a@x.gov.vn'], { allowedSenders: [] }),
        alias('stray@x.gov.vn', ['b@x.gov.vn'], { generation: 4 }),
        alias('old@x.gov.vn', ['gone@x.gov.vn']),
        alias('dead@x.gov.vn', ['b@x.gov.vn'], { expiresAt: new Date('2026-01-01T00:00:00Z') }),
      ],
      now,
    );
    expect(drifts.map((d) => [d.kind, d.address, d.repairable])).toEqual([
      ['alias_expired', 'dead@x.gov.vn', true],
      ['alias_target_mismatch', 'grouped@x.gov.vn', false],
      ['alias_expired', 'lapsed@x.gov.vn', false],
      ['alias_missing', 'missing@x.gov.vn', true],
      ['alias_target_mismatch', 'moved@x.gov.vn', true],
      ['alias_extra', 'old@x.gov.vn', true],
      ['alias_extra', 'stray@x.gov.vn', true],
    ]);
    expect(drifts.find((d) => d.address === 'missing@x.gov.vn')).toMatchObject({
      mailboxAddress: 'a@x.gov.vn',
      mailboxId: 'id-a@x.gov.vn',
    });
    expect(drifts.find((d) => d.address === 'old@x.gov.vn')).toMatchObject({ reason: 'mailbox_deleted' });
    expect(drifts.find((d) => d.address === 'stray@x.gov.vn')).toMatchObject({
      reason: 'not_listed',
      target: 'b@x.gov.vn',
      generation: 4,
    });
    expect(drifts.find((d) => d.address === 'lapsed@x.gov.vn')).toMatchObject({
      listed: true,
      expiresAt: '2026-05-01T00:00:00.000Z',
    });
  });

  it('when an alias forwards to an address the directory does not know, or is a group, then it is not judged', () => {
    expect(
      compareAliases(
        [dir('a@x.gov.vn', [])],
        [
          alias('ext@x.gov.vn', ['someone@elsewhere.vn']),
          alias('group@x.gov.vn', ['a@x.gov.vn', 'c@x.gov.vn']),
          alias('internal@x.gov.vn', ['a@x.gov.vn'], { allowedSenders: ['a@x.gov.vn'] }),
        ],
        now,
      ),
    ).toEqual([]);
  });

  it('when the mailbox is still being provisioned, then its aliases are not checked either way', () => {
    expect(
      compareAliases(
        [dir('p@x.gov.vn', ['p1@x.gov.vn'], 'provisioning')],
        [alias('p2@x.gov.vn', ['p@x.gov.vn'])],
        now,
      ),
    ).toEqual([]);
  });

  it('when an address was reused, then the live mailbox’s aliases count, not the deleted one’s', () => {
    expect(
      compareAliases(
        [
          dir('a@x.gov.vn', ['old@x.gov.vn'], 'deleted', { mailboxId: 'old', generation: 9 }),
          dir('a@x.gov.vn', ['new@x.gov.vn']),
        ],
        [alias('new@x.gov.vn', ['a@x.gov.vn'])],
        now,
      ),
    ).toEqual([]);
  });
});
