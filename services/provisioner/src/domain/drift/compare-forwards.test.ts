import { describe, expect, it } from 'vitest';
import type { DirectoryMailbox } from '../../db/directory-mailbox-repository.ts';
import type { AliasSnapshot } from '../mail-server-adapter.ts';
import { compareAliases } from './compare-aliases.ts';
import { compareForwards } from './compare-forwards.ts';

const A = 'lvan@bacninh.gov.vn';
const T = 'vanthu@bacninh.gov.vn';
const mailbox = (
  forwardTo: string | null,
  state: DirectoryMailbox['state'] = 'active',
): DirectoryMailbox => ({
  mailboxId: 'm-1',
  address: A,
  domain: 'bacninh.gov.vn',
  state,
  quotaBytes: 0,
  generation: 7,
  aliases: [],
  forwardTo,
});
const row = (targets: string[]): AliasSnapshot => ({
  address: A,
  targets,
  allowedSenders: null,
  expiresAt: null,
  generation: 7,
});

describe("the drift check of a mailbox's forward", () => {
  it("when vmail has the directory's forward row (the address itself and the target), then nothing differs, nor for the alias rules", () => {
    expect(compareForwards([mailbox(T)], [row([T, A])])).toEqual([]);
    expect(compareAliases([mailbox(T)], [row([A, T])], new Date())).toEqual([]);
  });

  it('when the row is missing or forwards elsewhere, then a repairable mismatch names what is expected', () => {
    expect(compareForwards([mailbox(T)], [])).toEqual([
      expect.objectContaining({ kind: 'forward_mismatch', address: A, expected: [A, T], actual: null }),
    ]);
    expect(compareForwards([mailbox(T)], [row([A, 'khac@bacninh.gov.vn'])])).toEqual([
      expect.objectContaining({ kind: 'forward_mismatch', actual: [A, 'khac@bacninh.gov.vn'] }),
    ]);
  });

  it('when vmail forwards a mailbox the directory does not forward, or deleted, then the row is extra', () => {
    expect(compareForwards([mailbox(null)], [row([A, T])])).toEqual([
      expect.objectContaining({ kind: 'forward_extra', reason: 'not_forwarded', generation: 7 }),
    ]);
    expect(compareForwards([mailbox(T, 'deleted')], [row([A, T])])).toEqual([
      expect.objectContaining({ kind: 'forward_extra', reason: 'mailbox_deleted' }),
    ]);
  });

  it('when the mailbox is still being provisioned or the row is a group elsewhere, then it is not judged', () => {
    expect(compareForwards([mailbox(T, 'provisioning')], [])).toEqual([]);
    const group = { ...row([T, 'khac@bacninh.gov.vn']), address: 'nhom@bacninh.gov.vn' };
    expect(compareForwards([mailbox(null)], [group])).toEqual([]);
  });
});
