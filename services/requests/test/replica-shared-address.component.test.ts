// The directory replica when two mailboxes have held one address: a new mailbox taking a deleted
// one's address, and the same states arriving out of order (the topic's partitions are per mailbox,
// so A's states and B's keep no order between them). The states go through the directory consumer's
// own handler (createConsumerHarness) on a database of this file's own (in-process.ts); what is checked is that
// every state is taken (no row refused for its address), and what the lookups by address and the
// restore_deleted check of a submission then answer.
import { randomUUID } from 'node:crypto';
import { createManualClock } from '@hopthu/shared/clock';
import { AppError } from '@hopthu/shared/errors';
import { buildEvent, type MailboxState, Topics } from '@hopthu/shared/events';
import { createLogger } from '@hopthu/shared/logger';
import type { ConsumerHarness, ScratchDatabase } from '@hopthu/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMailboxTypes } from '../src/db/approval-repository.ts';
import { findDeletedMailboxesByAddress, findLiveMailboxesByAddress } from '../src/db/replica-repository.ts';
import type { Database } from '../src/db/schema.ts';
import { findSelfServiceMailbox } from '../src/db/self-service-repository.ts';
import type { SubmitDeps } from '../src/domain/requests/submit-request.ts';
import { type InProcessRequests, replicaAgency, startRequestsInProcess } from './in-process.ts';
import { checkSubmission } from '../src/domain/validation/check-submission.ts';

const DAY = 86_400_000;
const DOMAIN = 'replica.bacninh.gov.vn';
const clock = createManualClock(new Date('2030-11-22T03:00:00.000Z'));
const logger = createLogger('requests-replica-address', { level: process.env.TEST_LOG_LEVEL ?? 'warn' });
let service: InProcessRequests;
let scratch: ScratchDatabase<Database>;
let directory: ConsumerHarness;
let submitDeps: SubmitDeps;
const agencyId = `replica-${randomUUID()}`;

beforeAll(async () => {
  service = await startRequestsInProcess({ clock, logger });
  ({ scratch, directory, submitDeps } = service);
  await replicaAgency(service, {
    agencyId,
    domain: DOMAIN,
    name: 'Sở Bản sao',
    abbreviation: 'sbs',
    officialMailbox: null,
  });
});
afterAll(async () => {
  await service?.close();
});

/** One state of a personal mailbox of the agency, delivered as hopthu.directory.v1 brings it. */
async function state(mailboxId: string, address: string, s: MailboxState['state'], generation: number) {
  const handled = await directory.deliver(
    Topics.directory,
    buildEvent(
      'vn.gov.hopthu.directory.mailbox.v1',
      {
        mailboxId,
        address,
        domain: DOMAIN,
        type: 'personal',
        state: s,
        agencyId,
        displayName: `Người giữ ${mailboxId.slice(0, 4)}`,
        aliases: [],
        quotaBytes: 1_073_741_824,
        generation,
      },
      { source: 'hopthu/directory', subject: mailboxId, time: clock.now() },
    ),
  );
  expect(handled).toBe('handled');
}

const freshAddress = () => `bs.${randomUUID().slice(0, 8)}@${DOMAIN}`;

const rowsAt = (address: string) =>
  scratch.db
    .selectFrom('mailboxes')
    .select(['mailbox_id', 'state'])
    .where('address', '=', address)
    .orderBy('mailbox_id')
    .execute();

/** What a lookup by address answers, from every repository that does one. */
async function lookups(address: string) {
  const [live, deleted, selfService, types] = await Promise.all([
    findLiveMailboxesByAddress(scratch.db, [address]),
    findDeletedMailboxesByAddress(scratch.db, [address]),
    findSelfServiceMailbox(scratch.db, address),
    findMailboxTypes(scratch.db, [address]),
  ]);
  return {
    live: live.get(address)?.mailbox_id,
    deleted: deleted.get(address)?.mailbox_id,
    selfService: selfService?.mailboxId,
    type: types.get(address),
  };
}

/** The submission check of a restore_deleted of `address`: null when it passes, else its errors. */
async function restoreCheck(address: string) {
  try {
    await checkSubmission(submitDeps, {
      principal: { clientId: 'replica-test', agencyId },
      body: {
        agencyId,
        requester: { fullName: 'Nguyễn Thị Bản' },
        reference: { number: '1/SBS-VP', date: '2030-11-20' },
        items: [{ operation: 'restore_deleted', address, reason: 'Cán bộ được tuyển dụng lại' }],
      },
    });
    return null;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, errors: error.errors };
  }
}

const heldByAnother = {
  code: 'conflict',
  errors: [
    {
      field: '/items/0/address',
      message: {
        vi: expect.stringContaining('đang thuộc một hộp thư khác'),
        en: expect.stringContaining('held by another mailbox'),
      },
    },
  ],
};

describe('the directory replica when a new mailbox takes an address another held', () => {
  it('when a mailbox is deleted and a new one is then created at its address, then both rows are kept, lookups answer the live one and a restore is refused while it holds the address', async () => {
    const address = freshAddress();
    const [old, fresh] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    await state(old, address, 'active', 1);
    await state(old, address, 'deleted', 2);
    expect(await lookups(address)).toEqual({
      live: undefined,
      deleted: old,
      selfService: undefined,
      type: undefined,
    });
    // the only deleted mailbox at the address, within retention: the check lets it through
    expect(await restoreCheck(address)).toBeNull();

    clock.advance(40 * DAY);
    await state(fresh, address, 'provisioning', 1);
    await state(fresh, address, 'active', 2);

    expect(await rowsAt(address)).toEqual([
      { mailbox_id: old, state: 'deleted' },
      { mailbox_id: fresh, state: 'active' },
    ]);
    expect(await lookups(address)).toEqual({
      live: fresh,
      deleted: old,
      selfService: fresh,
      type: 'personal',
    });
    expect(await restoreCheck(address)).toEqual(heldByAnother);

    // the new one deleted too: a restore_deleted names the newest delete
    clock.advance(DAY);
    await state(fresh, address, 'deleted', 3);
    expect(await lookups(address)).toEqual({
      live: undefined,
      deleted: fresh,
      selfService: undefined,
      type: undefined,
    });
    const deleted = await findDeletedMailboxesByAddress(scratch.db, [address]);
    expect(deleted.get(address)?.deleted_at).toEqual(clock.now());
    expect(await restoreCheck(address)).toBeNull();
  });

  it('when the states arrive out of order (the new mailbox first, then the old one at the address, then the old one moved away), then every state is taken and lookups answer the live one', async () => {
    const address = freshAddress();
    const elsewhere = freshAddress();
    const [old, fresh] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    // B created at x is seen before A's states: A at x, then A renamed away to y
    await state(fresh, address, 'active', 1);
    await state(old, address, 'active', 1);
    expect(await rowsAt(address)).toEqual([
      { mailbox_id: old, state: 'active' },
      { mailbox_id: fresh, state: 'active' },
    ]);
    // two live rows only until A's next state: the same one each time (the lowest id), not an error
    const meanwhile = await lookups(address);
    expect(meanwhile.live).toBe(old);
    expect(meanwhile.selfService).toBe(old);
    expect(await restoreCheck(address)).toEqual(heldByAnother);

    await state(old, elsewhere, 'active', 2);
    expect(await rowsAt(address)).toEqual([{ mailbox_id: fresh, state: 'active' }]);
    expect(await lookups(address)).toEqual({
      live: fresh,
      deleted: undefined,
      selfService: fresh,
      type: 'personal',
    });
    expect((await lookups(elsewhere)).live).toBe(old);
  });

  it("when a deleted mailbox's states arrive after the new live one's at its address, then both rows are kept, the live one is answered and the deleted one stays restorable once the address is free", async () => {
    const address = freshAddress();
    const [old, fresh] = [`b-${randomUUID()}`, `a-${randomUUID()}`];
    await state(fresh, address, 'active', 1);
    await state(old, address, 'active', 1);
    await state(old, address, 'deleted', 2);

    expect(await rowsAt(address)).toEqual([
      { mailbox_id: fresh, state: 'active' },
      { mailbox_id: old, state: 'deleted' },
    ]);
    expect(await lookups(address)).toEqual({
      live: fresh,
      deleted: old,
      selfService: fresh,
      type: 'personal',
    });
    expect(await restoreCheck(address)).toEqual(heldByAnother);

    // a late, older state of the deleted mailbox changes nothing (generations per mailbox)
    await state(old, address, 'active', 1);
    expect((await lookups(address)).deleted).toBe(old);

    // the live one moves away: the deleted one is what a restore names again
    await state(fresh, freshAddress(), 'active', 2);
    expect(await lookups(address)).toEqual({
      live: undefined,
      deleted: old,
      selfService: undefined,
      type: undefined,
    });
    expect(await restoreCheck(address)).toBeNull();
  });
});
