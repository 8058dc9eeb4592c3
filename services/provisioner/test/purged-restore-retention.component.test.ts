// The provisioner's purge check for a restore (refuse-purged-restore.ts) in a domain of no province
// judges by this installation's VMAIL_RETENTION_DAYS, as the purge does, not by the naming
// package's 90-day default: with 10 days configured, a restore 11 days after the delete whose mail
// is no longer in retention is refused naming the purge day; 10 days after, it is not. On a scratch
// database (the applied delete is the provisioner's own log) with no mail retained.
import path from 'node:path';
import { deletedMailDaysFor } from '@hopthu/naming';
import { createScratchDatabase, type ScratchDatabase } from '@hopthu/shared/testing';
import { PermanentError } from '@hopthu/shared/inbox';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAppliedCommand } from '../src/db/applied-command-repository.ts';
import type { ProvisionerDb } from '../src/db/schema.ts';
import { refusePurgedRestore } from '../src/domain/commands/refuse-purged-restore.ts';

const DAY_MS = 86_400_000;

describe('a restore of a mailbox in a domain of no province, judged by VMAIL_RETENTION_DAYS', () => {
  let scratch: ScratchDatabase<ProvisionerDb>;
  const mailboxId = randomUUID();
  const address = `purge-${mailboxId.slice(0, 8)}@no-province.example`;
  const deletedAt = new Date('2026-10-01T08:00:00Z');
  const noMailRetained = { listRetained: async () => [] };
  const restore = { action: 'restore_deleted' as const, mailboxId, address, generation: 3 };

  beforeAll(async () => {
    scratch = await createScratchDatabase<ProvisionerDb>({
      service: 'provisioner',
      migrationsPath: path.join(import.meta.dirname, '..', 'migrations'),
    });
    await upsertAppliedCommand(scratch.db, {
      commandId: randomUUID(),
      mailboxId,
      generation: 2,
      action: 'delete',
      address,
      outcome: 'applied',
      attempts: 1,
      error: null,
      eventId: randomUUID(),
      appliedAt: deletedAt,
    });
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  const check = (daysAfter: number, retentionDays: number) =>
    refusePurgedRestore(
      {
        db: scratch.db,
        adapter: noMailRetained,
        now: new Date(deletedAt.getTime() + daysAfter * DAY_MS),
        retentionDays,
      },
      restore,
    );

  it('when 10 days are configured, then a restore 11 days after the delete is refused naming the purge day', async () => {
    expect(deletedMailDaysFor(address)).toBe(90); // the naming default the check used to assume
    const refused = await check(11, 10).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect((refused as Error).message).toContain('2026-10-12');
    expect((refused as Error).message).toContain('left retention for good');
  });

  it('when 10 days are configured, then a restore on the last day of retention is not refused', async () => {
    await expect(check(10, 10)).resolves.toBeUndefined();
  });

  it('when 90 days are configured, then the same restore 11 days after is not refused', async () => {
    await expect(check(11, 90)).resolves.toBeUndefined();
  });
});
