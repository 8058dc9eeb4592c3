import { addDays, listPolicies } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import { judgeRestoreDeleted } from './judge-restore-deleted.ts';

const policy = listPolicies()[0]!;
const days = policy.retention.deletedMailDays;
const address = `an.nv@${policy.domain}`;
const deletedAt = new Date('2026-02-10T03:00:00Z');
const purgeOn = addDays('2026-02-10', days + 1);
const at = (day: string, time = '00:00:00') => new Date(`${day}T${time}Z`);

describe('giving a deleted mailbox back', () => {
  it("when it is asked on the last day of the province's retention and nobody holds the address, then it may", () => {
    expect(
      judgeRestoreDeleted({ address, deletedAt, now: at(addDays(purgeOn, -1), '23:59:59'), holders: [] }),
    ).toEqual({ ok: true, deletedOn: '2026-02-10', purgeOn });
  });

  it('when it is asked on the purge day, then it is refused naming the day', () => {
    const verdict = judgeRestoreDeleted({ address, deletedAt, now: at(purgeOn), holders: [] });
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.reason.vi).toContain(purgeOn);
      expect(verdict.reason.en).toContain('left retention for good');
    }
  });

  it('when another mailbox or alias holds the address, then it is refused naming it', () => {
    const verdict = judgeRestoreDeleted({ address, deletedAt, now: deletedAt, holders: [address] });
    expect(verdict).toMatchObject({ ok: false, reason: { en: expect.stringContaining('is in use') } });
  });

  it('when the agency has another agency mailbox, then its old one is not given back', () => {
    const verdict = judgeRestoreDeleted({
      address,
      deletedAt,
      now: deletedAt,
      holders: [],
      agencyMailbox: `new@${policy.domain}`,
    });
    expect(verdict).toMatchObject({
      ok: false,
      reason: { vi: expect.stringContaining('hộp thư cơ quan khác') },
    });
  });
});
