// A mailbox's forward in the directory on the real stack: an approved set_forward commands the
// alias row on the mailbox's own address (the address itself and the target) under the mailbox's
// next generation; a transfer that changes the address moves the forward along (the mail server's
// rename moves the row, the directory records forward_moved and keeps forwardTo); a delete ends it
// (the mail server's delete removes the row, the directory records forward_ended). The
// provisioner's drift check, which expects the row where the directory's state says, stays clean.
import { adminFetch, serviceUrl, waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  createPerson,
  isCommand,
  itemApproved,
  mailboxHistory,
  mailboxState,
  publish,
  registerTestAgency,
  resultFor,
  useDirectory,
} from './helpers.ts';

const t = useDirectory();
const provisioner = serviceUrl('provisioner');

/** Waits until the drift check finds nothing at these addresses (the replica has caught up). */
async function noDriftAt(...addresses: string[]) {
  await waitFor(
    async () => {
      const drift = await adminFetch(provisioner, 'GET', '/admin/drift?domain=bacninh.gov.vn');
      const found = (drift.body.differences as { address: string }[]).filter((d) =>
        addresses.includes(d.address),
      );
      return found.length === 0 ? true : undefined;
    },
    { timeoutMs: 60_000, what: `no drift at ${addresses.join(', ')}` },
  );
}

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
    const [rename] = await commandsFor(transfer.data.itemId, 1);
    const newAddress = `dvchuyen.${to.abbreviation}@bacninh.gov.vn`;
    expect(rename).toMatchObject({ action: 'rename', newAddress, generation: 3 });
    // once the mail server has renamed it, the drift check is clean only with the row moved
    expect((await resultFor(t.collector, transfer.data.itemId)).data.outcome).toBe('applied');
    await noDriftAt(holder.address, newAddress);
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
    const [deleted] = await commandsFor(remove.data.itemId, 1);
    expect(deleted).toMatchObject({ action: 'delete', address: newAddress, generation: 4 });
    expect(await mailboxState(holder.mailboxId)).toMatchObject({ state: 'deleted', forwardTo: null });
    expect(await mailboxHistory(holder.mailboxId)).toContainEqual(
      expect.objectContaining({ change: 'forward_ended', itemId: remove.data.itemId }),
    );
    expect((await resultFor(t.collector, remove.data.itemId)).data.outcome).toBe('applied');
    await noDriftAt(newAddress);
    // only the mailbox's own commands went: the forward needed none of its own
    const later = t.collector.events.filter(
      (e) => isCommand(e) && e.data.mailboxId === holder.mailboxId && e.data.generation > 2,
    );
    expect(later.map((e) => (e.data as { action: string }).action)).toEqual(['rename', 'delete']);
  }, 180_000);
});
