import { describe, expect, it } from 'vitest';
import { credentialParts } from './request-import-credentials.ts';

const box = (n: number, agencyId: string, state = 'active') => ({
  mailboxId: `m${n}`,
  address: `x${n}@bacninh.gov.vn`,
  agencyId,
  state,
});

describe('the credentials an import owes', () => {
  it('are grouped per agency, in parts of at most the given size, numbered part of parts', () => {
    const parts = credentialParts([box(1, 'a'), box(2, 'b'), box(3, 'a'), box(4, 'a')], 2);
    expect(parts).toEqual([
      {
        agencyId: 'a',
        part: 1,
        parts: 2,
        mailboxes: [
          { mailboxId: 'm1', address: 'x1@bacninh.gov.vn' },
          { mailboxId: 'm3', address: 'x3@bacninh.gov.vn' },
        ],
      },
      { agencyId: 'a', part: 2, parts: 2, mailboxes: [{ mailboxId: 'm4', address: 'x4@bacninh.gov.vn' }] },
      { agencyId: 'b', part: 1, parts: 1, mailboxes: [{ mailboxId: 'm2', address: 'x2@bacninh.gov.vn' }] },
    ]);
  });

  it('leave out mailboxes that are not active (failed, suspended, locked): a restore issues theirs', () => {
    expect(credentialParts([box(1, 'a', 'suspended'), box(2, 'a', 'locked'), box(3, 'a', 'failed')])).toEqual(
      [],
    );
  });

  it('never put more than 500 mailboxes in a part', () => {
    const parts = credentialParts(Array.from({ length: 1201 }, (_, i) => box(i, 'a')));
    expect(parts.map((p) => p.mailboxes.length)).toEqual([500, 500, 201]);
    expect(parts.every((p) => p.parts === 3)).toBe(true);
  });
});
