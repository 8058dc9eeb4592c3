import { addDays, listPolicies } from '@hopthu/naming';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../db/session-repository.ts';
import { restoreDeletedForm } from './restore-deleted-form.ts';

const policy = listPolicies()[0]!;
const days = policy.retention.deletedMailDays;
const address = `an.nv@${policy.domain}`;
const session = (role: string) =>
  ({ role, csrfToken: 'csrf' }) as unknown as SessionRecord & { role: string };
const history = [
  { at: '2026-01-01T02:00:00Z', change: 'created' },
  { at: '2026-03-01T02:00:00Z', change: 'deleted' },
];
const form = (now: string, role = 'operator', h = history) =>
  restoreDeletedForm({ mailboxId: 'id', address, history: h, session: session(role), now: new Date(now) })
    .value;
const purgeOn = addDays('2026-03-01', days + 1);
const vn = (day: string) => day.split('-').reverse().join('/');

describe("a deleted mailbox's page", () => {
  it('when its mail is still held, then an operator may restore it with a reason until the day before the purge', () => {
    const page = form(`${addDays(purgeOn, -1)}T23:00:00Z`);
    expect(page).toContain('class="mailbox-actions restore-deleted"');
    expect(page).toContain('name="action" value="restore_deleted"');
    expect(page).toContain(`đến hết ngày ${vn(addDays(purgeOn, -1))}`);
    expect(page).toContain('required');
  });

  it('when the purge day has come, then the page says the mail is gone and offers nothing', () => {
    const page = form(`${purgeOn}T00:00:00Z`);
    expect(page).not.toContain('<form');
    expect(page).toContain(`bị xóa hẳn từ ngày ${vn(purgeOn)}`);
  });

  it('when the role may only read, then it sees the period but no form', () => {
    const page = form('2026-03-02T00:00:00Z', 'auditor');
    expect(page).not.toContain('<form');
    expect(page).toContain('chỉ được xem');
  });
});
