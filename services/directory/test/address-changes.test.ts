// Address changes on the real stack: a transfer where the rule puts the agency in the address
// (Bắc Ninh), a transfer that keeps it (Khánh Hòa), an agency mailbox handed to a new head (Đắk
// Nông 13.2), and the conversion of an address to the current rule (with an operator's decision).
import { waitFor } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  admin,
  commandFor,
  createPerson,
  isCommand,
  itemApproved,
  mailboxHistory,
  mailboxState,
  publish,
  randomLetters,
  registerTestAgency,
  resultFor,
  useDirectory,
} from './helpers.ts';

const DAY_MS = 24 * 3600 * 1000;

const t = useDirectory();

describe('transfer to another agency', () => {
  it('when a Bắc Ninh civil servant moves to another agency, then the address follows the agency and the old one stays an alias', async () => {
    const from = await registerTestAgency();
    const to = await registerTestAgency();
    const created = await createPerson(t.bus, t.collector, from, {
      familyName: 'Trần',
      middleName: 'Văn',
      givenName: 'Anh',
      position: 'Chuyên viên',
    });
    expect(created.data.address).toBe(`tvanh.${from.abbreviation}@bacninh.gov.vn`);

    const transfer = itemApproved({
      agencyId: from.agencyId,
      operation: 'update',
      mailboxType: 'personal',
      address: created.data.address,
      changes: { agencyId: to.agencyId, position: 'Phó Trưởng phòng' },
      reason: 'Điều động',
    });
    const before = Date.now();
    await publish(t.bus, [transfer]);
    const rename = await commandFor(t.collector, transfer.data.itemId);
    expect(rename.data).toMatchObject({
      action: 'rename',
      mailboxId: created.data.mailboxId,
      address: created.data.address,
      newAddress: `tvanh.${to.abbreviation}@bacninh.gov.vn`,
      domain: 'bacninh.gov.vn',
      generation: 2,
      requestId: transfer.data.requestId,
    });
    const aliasUntil = Date.parse(rename.data.aliasExpiresAt as string);
    expect(aliasUntil - before).toBeGreaterThan(89 * DAY_MS);
    expect(aliasUntil - before).toBeLessThan(91 * DAY_MS);

    expect(await mailboxState(created.data.mailboxId)).toMatchObject({
      address: `tvanh.${to.abbreviation}@bacninh.gov.vn`,
      agencyId: to.agencyId,
      aliases: [created.data.address],
      position: 'Phó Trưởng phòng',
      generation: 2,
    });
    const history = await mailboxHistory(created.data.mailboxId);
    expect(history.find((h) => h.change === 'address_changed')).toMatchObject({
      itemId: transfer.data.itemId,
      reason: 'Điều động',
      details: {
        why: 'transfer',
        from: created.data.address,
        to: `tvanh.${to.abbreviation}@bacninh.gov.vn`,
        fromAgencyId: from.agencyId,
        toAgencyId: to.agencyId,
      },
    });

    // The old address is still taken (alias, then held back): a new Trần Văn Anh gets tvanh1.
    const next = await createPerson(t.bus, t.collector, from, {
      familyName: 'Trần',
      middleName: 'Văn',
      givenName: 'Anh',
      position: 'Văn thư',
    });
    expect(next.data.address).toBe(`tvanh1.${from.abbreviation}@bacninh.gov.vn`);
  });

  it('when a Khánh Hòa civil servant moves to another agency, then the address is kept and only the directory changes', async () => {
    const from = await registerTestAgency({ province: 'khanh-hoa' });
    const to = await registerTestAgency({ province: 'khanh-hoa' });
    const given = `Hải${randomLetters(6)}`;
    const created = await createPerson(
      t.bus,
      t.collector,
      from,
      { familyName: 'Phạm', middleName: 'Minh', givenName: given },
      'khanh-hoa',
    );
    const transfer = itemApproved({
      province: 'khanh-hoa',
      agencyId: from.agencyId,
      operation: 'update',
      mailboxType: 'personal',
      address: created.data.address,
      changes: { agencyId: to.agencyId },
    });
    await publish(t.bus, [transfer]);
    const result = await resultFor(t.collector, transfer.data.itemId);
    expect(result.data).toMatchObject({ outcome: 'applied', address: created.data.address });
    expect(t.collector.events.some((e) => isCommand(e) && e.data.itemId === transfer.data.itemId)).toBe(
      false,
    );
    expect(await mailboxState(created.data.mailboxId)).toMatchObject({
      address: created.data.address,
      agencyId: to.agencyId,
      generation: 1,
      aliases: [],
    });
  });

  it('when the target agency is in another province, then the transfer fails with a reason', async () => {
    const from = await registerTestAgency();
    const elsewhere = await registerTestAgency({ province: 'kien-giang' });
    const created = await createPerson(t.bus, t.collector, from, {
      familyName: 'Lý',
      middleName: 'Thị',
      givenName: 'Hạnh',
    });
    const transfer = itemApproved({
      agencyId: from.agencyId,
      operation: 'update',
      mailboxType: 'personal',
      address: created.data.address,
      changes: { agencyId: elsewhere.agencyId },
    });
    await publish(t.bus, [transfer]);
    const result = await resultFor(t.collector, transfer.data.itemId);
    expect(result.data.outcome).toBe('failed');
    expect(result.data.error).toMatch(/not in this province/);
  });
});

describe('agency mailbox handed to a new head', () => {
  it('when a Đắk Nông agency mailbox gets a new head, then it keeps its address and the handover is in its history', async () => {
    const agency = await registerTestAgency({ province: 'dak-nong' });
    const handover = itemApproved({
      province: 'dak-nong',
      agencyId: agency.agencyId,
      operation: 'update',
      mailboxType: 'agency',
      address: agency.officialMailbox,
      person: { familyName: 'Y', middleName: '', givenName: 'Moan', position: 'Giám đốc' },
      reason: 'Bổ nhiệm Giám đốc mới',
    });
    await publish(t.bus, [handover]);
    const result = await resultFor(t.collector, handover.data.itemId);
    expect(result.data).toMatchObject({ outcome: 'applied', address: agency.officialMailbox });
    expect(t.collector.events.some((e) => isCommand(e) && e.data.itemId === handover.data.itemId)).toBe(
      false,
    );
    expect((await mailboxState(agency.officialMailboxId)).address).toBe(agency.officialMailbox);
    const history = await mailboxHistory(agency.officialMailboxId);
    expect(history.find((h) => h.change === 'handed_over')).toMatchObject({
      itemId: handover.data.itemId,
      details: { head: { familyName: 'Y', givenName: 'Moan', position: 'Giám đốc' } },
    });
  });
});

describe('conversion to the current rule', () => {
  it('when an address already follows the rule, then it is kept and the item is applied', async () => {
    const agency = await registerTestAgency();
    const created = await createPerson(t.bus, t.collector, agency, {
      familyName: 'Đinh',
      middleName: 'Công',
      givenName: 'Tráng',
    });
    const convert = itemApproved({
      agencyId: agency.agencyId,
      operation: 'update',
      mailboxType: 'personal',
      address: created.data.address,
      changes: { convertAddress: true },
    });
    await publish(t.bus, [convert]);
    const result = await resultFor(t.collector, convert.data.itemId);
    expect(result.data).toMatchObject({ outcome: 'applied', address: created.data.address });
  });

  it('when a Thanh Hóa address was chosen outside the rule, then conversion waits for an operator and renames to the decided address', async () => {
    const agency = await registerTestAgency({ province: 'thanh-hoa' });
    const given = `Tuấn${randomLetters(5)}`;
    const person = { familyName: 'Nguyễn', middleName: 'Anh', givenName: given };
    const first = await createPerson(t.bus, t.collector, agency, person, 'thanh-hoa');
    // A namesake: the operator gives an address outside the rule.
    const second = itemApproved({
      province: 'thanh-hoa',
      agencyId: agency.agencyId,
      operation: 'create',
      mailboxType: 'personal',
      person: { ...person, position: 'Văn thư' },
      passwordHash: first.data.passwordHash as string,
    });
    await publish(t.bus, [second]);
    const pending = await waitForDecision(second.data.itemId);
    const custom = `x${randomLetters(8)}.${agency.abbreviation}@thanhhoa.gov.vn`;
    expect((await admin('POST', `/admin/decisions/${pending.id}`, { address: custom })).status).toBe(200);
    const created = await commandFor(t.collector, second.data.itemId);
    expect(created.data.address).toBe(custom);

    const convert = itemApproved({
      province: 'thanh-hoa',
      agencyId: agency.agencyId,
      operation: 'update',
      mailboxType: 'personal',
      address: custom,
      changes: { convertAddress: true },
    });
    await publish(t.bus, [convert]);
    const decision = await waitForDecision(convert.data.itemId);
    expect(decision.candidates[0]).toBe(first.data.address.replace('.', '1.'));
    expect(
      (await admin('POST', `/admin/decisions/${decision.id}`, { address: decision.candidates[0] })).status,
    ).toBe(200);
    const rename = await commandFor(t.collector, convert.data.itemId);
    expect(rename.data).toMatchObject({
      action: 'rename',
      address: custom,
      newAddress: decision.candidates[0],
      generation: 2,
    });
    const history = await mailboxHistory(created.data.mailboxId);
    expect(history.find((h) => h.change === 'address_changed')?.details).toMatchObject({
      why: 'converted_to_rule',
      from: custom,
    });
  });
});

async function waitForDecision(itemId: string) {
  return waitFor(
    async () => {
      const list = await admin('GET', '/admin/decisions');
      return (list.body.items as { id: string; itemId: string; candidates: string[] }[]).find(
        (d) => d.itemId === itemId,
      );
    },
    { what: `pending decision for ${itemId}` },
  );
}
