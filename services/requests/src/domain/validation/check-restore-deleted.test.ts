import { describe, expect, it } from 'vitest';
import { listPolicies } from '@hopthu/naming';
import type { AgencyRow, MailboxRow } from '../../db/replica-repository.ts';
import type { SubmitBody } from '../requests/submission.ts';
import { type Item, type ItemContext, Problems } from './check-item.ts';
import { checkRestoreDeleted } from './check-restore-deleted.ts';

const AGENCY = '0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f';
const policy = listPolicies()[0]!;
const days = policy.retention.deletedMailDays;
const address = `an.nv@${policy.domain}`;
const agencyRow = { agency_id: AGENCY, ancestor_ids: [AGENCY] } as unknown as AgencyRow;
const deletedRow = (deletedAt: string | null) =>
  ({
    address,
    agency_id: AGENCY,
    type: 'personal',
    state: 'deleted',
    deleted_at: deletedAt,
  }) as unknown as MailboxRow;

function check(options: { deletedAt?: string | null; live?: boolean; deleted?: boolean; now: string }) {
  const item: Item = { operation: 'restore_deleted', address };
  const body = { agencyId: AGENCY, items: [item] } as unknown as SubmitBody;
  const ctx = {
    body,
    agencies: new Map([[AGENCY, agencyRow]]),
    mailboxes: new Map(options.live ? [[address, { ...deletedRow(null), state: 'active' }]] : []),
    deletedMailboxes: new Map(
      options.deleted === false ? [] : [[address, deletedRow(options.deletedAt ?? null)]],
    ),
    now: new Date(options.now),
  } as unknown as ItemContext;
  const problems = new Problems();
  checkRestoreDeleted(ctx, item, '/items/0', problems);
  return problems;
}

describe('a restore of a deleted mailbox', () => {
  const deletedAt = '2026-01-01T10:00:00Z';
  const dayMs = 86_400_000;
  const lastDay = new Date(Date.parse('2026-01-01T23:59:59Z') + days * dayMs).toISOString();
  const purgeDay = new Date(Date.parse('2026-01-02T00:00:00Z') + days * dayMs).toISOString();

  it("when it comes on the last day of the province's retention, then it passes", () => {
    const p = check({ deletedAt, now: lastDay });
    expect([...p.invalid, ...p.conflicts, ...p.forbidden]).toEqual([]);
  });

  it('when it comes on the purge day, then the address is refused naming the day, in Vietnamese and English', () => {
    const p = check({ deletedAt, now: purgeDay });
    expect(p.invalid).toHaveLength(1);
    expect(p.invalid[0]?.field).toBe('/items/0/address');
    expect(p.invalid[0]?.message.vi).toContain(purgeDay.slice(0, 10));
    expect(p.invalid[0]?.message.en).toContain('cannot be restored');
  });

  it('when another mailbox holds the address, then it is a conflict', () => {
    const p = check({ deletedAt, live: true, now: lastDay });
    expect(p.conflicts.map((e) => e.field)).toEqual(['/items/0/address']);
    expect(p.conflicts[0]?.message.en).toContain('held by another mailbox');
  });

  it('when no deleted mailbox of the agency has the address, then it is forbidden', () => {
    expect(check({ deleted: false, now: lastDay }).forbidden).toHaveLength(1);
  });

  it('when the replica does not know the delete day, then the directory judges it', () => {
    const p = check({ deletedAt: null, now: '2030-01-01T00:00:00Z' });
    expect([...p.invalid, ...p.conflicts, ...p.forbidden]).toEqual([]);
  });
});
