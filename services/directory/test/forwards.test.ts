// A mailbox's forward in the directory on the real stack: an approved set_forward commands the
// alias row on the mailbox's own address (the address itself and the target) under the mailbox's
// next generation; a transfer that changes the address moves the forward along (the row written
// again on the new address after the rename); a delete ends it (remove_alias after the delete).
import { waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  createPerson,
  isCommand,
  itemApproved,
  mailboxHistory,
  mailboxState,
  publish,
  registerTestAgency,
  useDirectory,
} from './helpers.ts';

const t = useDirectory();

/** The commands the directory issued for an item, in order, once `count` of them are there. */
async function commandsFor(itemId: string, count: number) {
  return waitFor(
    async () => {
      const found = t.collector.events.filter((e) => isCommand(e) && e.data.itemId === itemId);
      return found.length >= count ? found.filter(isCommand).map((e) => e.data) : undefined;
    },
    { timeoutMs: 60_000, what: `${count} commands for item ${itemId}` },
  );
}

describe("a mailbox's forward in the directory", () => {
  it('when a forwarded mailbox moves to another agency and is then deleted, then the forward follows the address and ends with the mailbox', async () => {
    const from = await registerTestAgency();
    const to = await registerTestAgency();
    const holder = (
      await createPerson(t.bus, t.collector, from, {
        familyName: 'Đỗ',
        middleName: 'Văn',
        givenName: 'Chuyển',
      })
    ).data;
    const target = (
      await createPerson(t.bus, t.collector, from, { familyName: 'Đỗ', middleName: 'Thị', givenName: 'Nhận' })
    ).data;
    await waitFor(
      async () => ((await mailboxState(holder.mailboxId)).state === 'active' ? true : undefined),
      {
        timeoutMs: 60_000,
        what: `${holder.address} active`,
      },
    );

    const set = itemApproved({
      agencyId: from.agencyId,
      operation: 'set_forward',
      mailboxType: 'personal',
      address: holder.address,
      changes: { forwardTo: target.address },
    });
    await publish(t.bus, [set]);
    const [forward] = await commandsFor(set.data.itemId, 1);
    expect(forward).toMatchObject({
      action: 'set_alias',
      mailboxId: holder.mailboxId,
      address: holder.address,
      aliasTargets: [holder.address, target.address],
      generation: 2,
    });

    const transfer = itemApproved({
      agencyId: from.agencyId,
      operation: 'update',
      mailboxType: 'personal',
      address: holder.address,
      changes: { agencyId: to.agencyId },
      reason: 'Điều động',
    });
    await publish(t.bus, [transfer]);
    const [rename, moved] = await commandsFor(transfer.data.itemId, 2);
    const newAddress = `dvchuyen.${to.abbreviation}@bacninh.gov.vn`;
    expect(rename).toMatchObject({ action: 'rename', newAddress, generation: 3 });
    expect(moved).toMatchObject({
      action: 'set_alias',
      mailboxId: holder.mailboxId,
      address: newAddress,
      aliasTargets: [newAddress, target.address],
      generation: 4,
    });
    expect(await mailboxState(holder.mailboxId)).toMatchObject({
      address: newAddress,
      forwardTo: target.address,
    });
    expect(await mailboxHistory(holder.mailboxId)).toContainEqual(
      expect.objectContaining({
        change: 'forward_moved',
        itemId: transfer.data.itemId,
        details: { forwardTo: target.address, address: newAddress },
      }),
    );

    const remove = itemApproved({
      agencyId: to.agencyId,
      operation: 'delete',
      mailboxType: 'personal',
      address: newAddress,
      reason: 'Nghỉ hưu',
    });
    await publish(t.bus, [remove]);
    const [deleted, ended] = await commandsFor(remove.data.itemId, 2);
    expect(deleted).toMatchObject({ action: 'delete', generation: 5 });
    expect(ended).toMatchObject({ action: 'remove_alias', address: newAddress, generation: 6 });
    expect(await mailboxState(holder.mailboxId)).toMatchObject({ state: 'deleted', forwardTo: null });
    expect(await mailboxHistory(holder.mailboxId)).toContainEqual(
      expect.objectContaining({ change: 'forward_ended', itemId: remove.data.itemId }),
    );
  }, 180_000);
});
